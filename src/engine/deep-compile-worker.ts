/**
 * What the thread `compileOnDeepStack` (deep-compile.ts) starts runs: one compile on its large
 * stack, answered as data (module bytes, diagnostics, or the failure).
 */
import { DiagnosticError } from "../diagnostics/index.js";
import { compileHere, type CompileInput } from "./index.js";
import { isStackOverflow, type Reply } from "./deep-compile.js";

export function compileReply(input: CompileInput): Reply {
  try {
    return { ok: true, wasm: compileHere(input) };
  } catch (e) {
    if (e instanceof DiagnosticError) return { ok: false, diagnostics: e.diagnostics };
    return { ok: false, overflow: isStackOverflow(e), message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}
