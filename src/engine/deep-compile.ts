/**
 * The safety net for programs whose shape is deeper than the native stack: the parser, compiler,
 * planner and code generator are recursive over the AST (recursion follows nesting and some long
 * chains: `1 + 1 + …`, `else` branches, rule-to-rule references). A compile that exhausts the
 * main thread's stack (~1 MB) is run again, synchronously, on a worker thread with a 1 GiB stack
 * (reserved, not committed: only the pages the recursion touches are used), so a 100,000-element
 * array or 5,000 chained rules compile instead of failing. Only programs past what even that stack
 * holds end with PC5422 — a diagnostic, never a RangeError.
 *
 * Ordinary programs never start the worker: the first attempt runs on the caller's thread.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { diag, DiagnosticError, type Diagnostic } from "../diagnostics/index.js";
import { WasmDiagnostics } from "./wasm/diagnostics.js";

/** Stack of the fallback thread, in MiB. */
export const DEEP_STACK_MB = 1024;

export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

type Reply = { ok: true; wasm: Uint8Array } | { ok: false; diagnostics?: Diagnostic[]; overflow?: boolean; message?: string };

/** Runs `compile(input)` (src/engine/index.ts) on a thread with a large stack and waits for it. */
export function compileOnDeepStack(input: unknown): Uint8Array {
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  // The worker is this module's sibling, as .ts under tsx (tests) and .js in dist.
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const worker = new Worker(new URL(`./deep-compile-worker${ext}`, import.meta.url), {
    workerData: { input, port: port2, done },
    transferList: [port2],
    resourceLimits: { stackSizeMb: DEEP_STACK_MB },
  });
  try {
    // Wakes on the worker's notify, or on its exit (an error before it could reply).
    while (Atomics.load(done, 0) === 0) Atomics.wait(done, 0, 0, 1000);
    const msg = receiveMessageOnPort(port1)?.message as Reply | undefined;
    if (!msg) throw new Error("the compile worker exited without a result");
    if (msg.ok) return msg.wasm;
    if (msg.diagnostics) throw new DiagnosticError(msg.diagnostics);
    if (msg.overflow) throw new DiagnosticError([diag(WasmDiagnostics.tooDeep, [DEEP_STACK_MB])]);
    throw new Error(msg.message ?? "compile failed");
  } finally {
    void worker.terminate();
    port1.close();
  }
}
