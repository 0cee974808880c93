/**
 * The bridge to the engine API (`compile()` in src/engine/index.ts): policyc compiles the query as
 * a query plan; a real `opa build` (entrypoints only) gets the query wrapped as a rule.
 */
import { compile } from "../index.js";
import type { Source } from "./engine.js";

/** Name of the query entrypoint in modules built by policyc. */
export const QUERY_ENTRYPOINT = "q";

export function compileQueryWithPolicyc(
  modules: Source[],
  queryText: string,
  regoVersion: "v0" | "v1",
  extraBuiltins?: { name: string; arity: number }[],
  baseData?: unknown,
): Uint8Array {
  // As `opa eval`: print() output goes to stderr (the eval command collects it).
  return compile({ modules, queries: [{ name: QUERY_ENTRYPOINT, text: queryText }], regoVersion, extraBuiltins, enablePrint: true, baseData });
}

export function compileWithOpaBuild(modules: Source[], entrypoints: string[], regoVersion: "v0" | "v1"): Uint8Array {
  return compile({ modules, entrypoints, regoVersion, engine: "opa" });
}

/** Kept for callers that load lazily; the compiler is a static import now. */
export async function loadCompiler(): Promise<void> {}
