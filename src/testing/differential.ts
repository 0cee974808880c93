/**
 * The `--differential` hook (issue 5): a second Rego evaluator that `policyc test` runs every case
 * on, failing cases whose violations differ. Whoever provides one (e.g. a real `opa` on PATH)
 * registers a factory here; until then `--differential` explains that none is available.
 */
import type { RegoBackend } from "./gatekeeper/backend.js";

export type BackendFactory = () => Promise<RegoBackend | string>;

let factory: BackendFactory | undefined;

/** Registers the second engine; the factory returns a back end, or a reason it is unavailable. */
export function registerDifferentialBackend(f: BackendFactory): void {
  factory = f;
}

/** The registered second engine, or the reason there is none. */
export async function differentialBackend(): Promise<RegoBackend | string> {
  if (!factory) return "no second engine is registered (registerDifferentialBackend in src/testing/differential.ts)";
  return factory();
}
