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
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { diag, DiagnosticError, type Diagnostic } from "../diagnostics/index.js";
import { WasmDiagnostics } from "./wasm/diagnostics.js";

/** Stack of the fallback thread, in MiB. */
export const DEEP_STACK_MB = 1024;

export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/** Longest a compile on the large stack may take before the caller gives up on it. */
const WORKER_DEADLINE_MS = 10 * 60_000;

const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
const reply = (m) => { try { workerData.port.postMessage(m); } finally { Atomics.store(workerData.done, 0, 1); Atomics.notify(workerData.done, 0); } };
// Under tsx (policyc's own tests run the sources) the worker registers tsx's loader itself.
const ready = workerData.tsx ? import(workerData.tsx).then((tsx) => tsx.register()) : Promise.resolve();
ready.then(() => import(workerData.url)).then((m) => reply(m.compileReply(workerData.input)), (e) => reply({ ok: false, message: String((e && e.stack) || e) }));
`;

export type Reply = { ok: true; wasm: Uint8Array } | { ok: false; diagnostics?: Diagnostic[]; overflow?: boolean; message?: string };

/** Runs `compile(input)` (src/engine/index.ts) on a thread with a large stack and waits for it. */
export function compileOnDeepStack(input: unknown): Uint8Array {
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  // The worker module is this module's sibling (.ts under tsx in tests, .js in dist). A small
  // CommonJS bootstrap imports it, so that a failure to load it still answers and wakes us.
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const url = new URL(`./deep-compile-worker${ext}`, import.meta.url).href;
  const tsx = ext === ".ts" ? pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href : undefined;
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { url, tsx, input, port: port2, done },
    transferList: [port2],
    resourceLimits: { stackSizeMb: DEEP_STACK_MB },
  });
  try {
    // The worker always answers (its bootstrap catches everything); the deadline only guards
    // against a worker killed outright (out of memory).
    const deadline = Date.now() + WORKER_DEADLINE_MS;
    while (Atomics.load(done, 0) === 0 && Date.now() < deadline) Atomics.wait(done, 0, 0, 1000);
    const msg = receiveMessageOnPort(port1)?.message as Reply | undefined;
    if (!msg) throw new Error("the compile worker on the large stack did not answer");
    if (msg.ok) return msg.wasm;
    if (msg.diagnostics) throw new DiagnosticError(msg.diagnostics);
    if (msg.overflow) throw new DiagnosticError([diag(WasmDiagnostics.tooDeep, [DEEP_STACK_MB])]);
    throw new Error(msg.message ?? "compile failed");
  } finally {
    void worker.terminate();
    port1.close();
  }
}
