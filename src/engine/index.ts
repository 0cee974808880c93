/**
 * The engine's public API: Rego text → a Wasm module on OPA's ABI (`compile`), built either by
 * policyc's own pipeline (parse → compile → plan → Wasm) or by a real `opa build` (`engine: "opa"`),
 * and loading modules through `@open-policy-agent/opa-wasm` (`loadModule`).
 */
import { diag, DiagnosticError, type Diagnostic } from "../diagnostics/index.js";
import { parseModule, parseQuery } from "./rego/index.js";
import type { Body, Module } from "./rego/index.js";
import { compileModules } from "./compiler/index.js";
import { planPolicy } from "./plan/planner.js";
import type { Policy } from "./plan/ir.js";
import { generateModule } from "./wasm/codegen/module.js";
import { WasmDiagnostics } from "./wasm/diagnostics.js";
import { compileWithOpa, findOpa, toOpaEntrypoint } from "./runner/opa.js";
import { compileOnDeepStack, isStackOverflow } from "./deep-compile.js";

export { loadModule, DEFAULT_MEMORY_LIMIT_PAGES, DEFAULT_FUEL, type LoadOptions, type LoadedModule, type ResultSet } from "./runner/load.js";
export { EvalError, EvalTimeout, type EvalErrorCode } from "./runner/errors.js";
export { compileWithOpa, findOpa } from "./runner/opa.js";

export type Engine = "policyc" | "opa";

export interface CompileInput {
  /** Rego sources; `parsed` (from `parseModule` of that text) skips parsing it again. */
  modules: { file: string; text: string; parsed?: Module; regoVersion?: "v0" | "v1" }[];
  /** Rules to expose, as `pkg/rule` (OPA's `-e` form) or `data.pkg.rule`. */
  entrypoints?: string[];
  /** Ad-hoc queries, each an entrypoint whose result rows bind the query's variables. */
  queries?: { name: string; text: string }[];
  /** Syntax of modules and queries (default v1, as OPA 1.x); a module's own `regoVersion` wins. */
  regoVersion?: "v0" | "v1";
  /** `opa` builds with a real `opa build -t wasm` (must be on PATH; entrypoints only). */
  engine?: Engine;
  /**
   * Built-ins the caller supplies beyond OPA's (as OPA's own test runners register `test.sleep`).
   * They are called as host built-ins `policyc.<name>`; pass their implementations to
   * `loadModule(..., { builtins })`.
   */
  extraBuiltins?: { name: string; arity: number }[];
  /**
   * Keep `print(...)` calls, as `opa eval` does: they call the host built-in `internal.print`, whose
   * output goes to the print sink (stderr by default). By default they are erased, as `opa build` does.
   */
  enablePrint?: boolean;
  /**
   * Record `trace(msg)` notes: each call reports its message, position and rule to the note sink
   * (src/engine/builtins/notes.ts), as `opa test --explain notes` traces them. Off by default.
   */
  traceNotes?: boolean;
  /**
   * Instrument the module for coverage (policyc engine only): it records every source row whose
   * expression evaluation reached or whose rule produced a value, read back through
   * `LoadedModule.coverage`. Off by default; uninstrumented modules carry no trace of it.
   */
  coverage?: boolean;
  /**
   * The base documents the policy will run with, when known (`opa test`, `eval -d`): rules at paths
   * that hold base data are refused, as OPA refuses them (policyc engine only).
   */
  baseData?: unknown;
}

/** Compiles Rego modules into a Wasm module; throws `DiagnosticError` on bad input. */
export function compile(input: CompileInput): Uint8Array {
  if (input.engine === "opa") {
    if (input.queries?.length) throw new Error("the opa engine compiles entrypoints only, not ad-hoc queries");
    return compileWithOpa({ modules: input.modules, entrypoints: input.entrypoints ?? [], regoVersion: input.regoVersion });
  }
  try {
    return compileHere(input);
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    return compileOnDeepStack(input);
  }
}

/** `compile` on the current thread's stack (deep-compile-worker.ts runs it on a large one). */
export function compileHere(input: CompileInput): Uint8Array {
  return generateModule(plan(input));
}

/** Parses, compiles and plans; exposed for tests and tools that inspect the IR. */
export function plan(input: CompileInput): Policy {
  const regoVersion = input.regoVersion ?? "v1";
  const entrypoints = (input.entrypoints ?? []).map(toOpaEntrypoint);
  if (entrypoints.length === 0 && !input.queries?.length) throw new DiagnosticError([diag(WasmDiagnostics.noEntrypoints)]);
  const diagnostics: Diagnostic[] = [];
  const modules: Module[] = [];
  for (const m of input.modules) {
    const parsed = m.parsed ?? collect(diagnostics, () => parseModule(m.text, { file: m.file, regoVersion: m.regoVersion ?? regoVersion }));
    if (parsed) modules.push(parsed);
  }
  const queries: { name: string; query: Body; regoVersion: "v0" | "v1" }[] = [];
  for (const q of input.queries ?? []) {
    const query = collect(diagnostics, () => parseQuery(q.text, { file: q.name, regoVersion }));
    if (query) queries.push({ name: q.name, query, regoVersion });
  }
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
  const compiled = compileModules(modules, { extraBuiltins: input.extraBuiltins, enablePrint: input.enablePrint, traceNotes: input.traceNotes, baseData: input.baseData });
  return planPolicy(compiled, { entrypoints, queries, coverage: input.coverage === true });
}

function collect<T>(into: Diagnostic[], f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof DiagnosticError) {
      into.push(...e.diagnostics);
      return undefined;
    }
    throw e;
  }
}

/** Whether `engine: "opa"` can be used on this machine. */
export function opaAvailable(): boolean {
  return findOpa() !== undefined;
}
