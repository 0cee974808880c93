/**
 * Finds the runtime library files (runtime.wasm, natives.json) beside the sources, both when running
 * from src/ (tsx) and from the compiled dist/ (which does not copy binary assets).
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { diag, DiagnosticError } from "../../diagnostics/index.js";
import { WasmDiagnostics } from "./diagnostics.js";

const here = path.dirname(fileURLToPath(import.meta.url));

export function runtimeAssetPath(name: string): string {
  const candidates = [
    path.resolve(here, "..", "runtime", name),
    // dist/engine/wasm -> src/engine/runtime
    path.resolve(here, "..", "..", "..", "src", "engine", "runtime", name),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new DiagnosticError([diag(WasmDiagnostics.runtimeMissing, [candidates[0]])]);
  return found;
}

let runtimeCache: Uint8Array | undefined;

export function loadRuntimeWasm(): Uint8Array {
  runtimeCache ??= new Uint8Array(readFileSync(runtimeAssetPath("runtime.wasm")));
  return runtimeCache;
}

export interface NativeBuiltin {
  name: string;
  export: string;
  arity: number;
  /** Host built-in the native falls back to (big or decimal numbers, non-ASCII case mapping). */
  host?: string;
}

let nativesCache: Map<string, NativeBuiltin> | undefined;

export function loadNatives(): Map<string, NativeBuiltin> {
  if (!nativesCache) {
    const list = JSON.parse(readFileSync(runtimeAssetPath("natives.json"), "utf8")) as NativeBuiltin[];
    nativesCache = new Map(list.map((n) => [n.name, n]));
  }
  return nativesCache;
}
