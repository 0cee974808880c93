/**
 * The bridge to policyc's compiler (`compile()` in src/engine/index.ts): modules in, Wasm out.
 * Loaded lazily so the eval command and the conformance runner start even while the compiler is
 * being built; `loadCompiler()` must be awaited once before `compileWithPolicyc`.
 */
import type { Source } from "./engine.js";

type CompileFn = (opts: { modules: Source[]; entrypoints: string[]; regoVersion: "v0" | "v1" }) => Uint8Array;

let compileFn: CompileFn | undefined;

export async function loadCompiler(): Promise<void> {
  if (compileFn) return;
  const spec = "../index.js";
  const mod = (await import(spec)) as { compile?: CompileFn };
  if (typeof mod.compile !== "function") throw new Error("src/engine/index.ts does not export compile()");
  compileFn = mod.compile;
}

export function compileWithPolicyc(modules: Source[], entrypoints: string[], regoVersion: "v0" | "v1"): Uint8Array {
  if (!compileFn) throw new Error("policyc's compiler is not loaded (call loadCompiler first)");
  return compileFn({ modules, entrypoints, regoVersion });
}
