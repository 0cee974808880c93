/**
 * The thread `compileOnDeepStack` (deep-compile.ts) starts: compiles once with a large stack and
 * posts the module bytes or the diagnostics back, then wakes the waiting caller.
 */
import { workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import { DiagnosticError } from "../diagnostics/index.js";
import { compileHere, type CompileInput } from "./index.js";
import { isStackOverflow } from "./deep-compile.js";

const { input, port, done } = workerData as { input: CompileInput; port: MessagePort; done: Int32Array };
try {
  const wasm = compileHere(input);
  port.postMessage({ ok: true, wasm }, [wasm.buffer as ArrayBuffer]);
} catch (e) {
  if (e instanceof DiagnosticError) port.postMessage({ ok: false, diagnostics: e.diagnostics });
  else port.postMessage({ ok: false, overflow: isStackOverflow(e), message: e instanceof Error ? e.stack ?? e.message : String(e) });
} finally {
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}
