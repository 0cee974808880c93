/**
 * The `--differential` hook (issue 5): a second Rego evaluator that `policyc test` runs every case
 * on, failing cases whose violations differ. Whoever provides one (e.g. a real `opa` on PATH)
 * registers a factory here; until then `--differential` explains that none is available.
 */
import { loadEngine, opaBuildBackend, type RegoBackend } from "./gatekeeper/backend.js";

export type BackendFactory = () => Promise<RegoBackend | string>;

let factory: BackendFactory | undefined;

/** Registers the second engine; the factory returns a back end, or a reason it is unavailable. */
export function registerDifferentialBackend(f: BackendFactory): void {
  factory = f;
}

/**
 * The registered second engine; without one, a real `opa` on PATH (modules built by `opa build`,
 * evaluated the same way); otherwise the reason there is none.
 */
export async function differentialBackend(): Promise<RegoBackend | string> {
  if (factory) return factory();
  const engine = await loadEngine();
  if (engine.opaAvailable()) return opaBuildBackend;
  return "no second engine: install `opa` on PATH (or register one with registerDifferentialBackend in src/testing/differential.ts)";
}
