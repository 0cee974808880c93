/**
 * The time limit on the user's code. Policy and config files run on the main thread (their
 * definitions hold functions and object identities that cannot cross a thread), so a synchronous
 * `while (true) {}` can only be stopped from outside: a worker thread waits for the deadline, then
 * asks the main thread's inspector to evaluate `onExpire`. The inspector runs it as an interrupt
 * even while the main thread spins, on top of the spinning code's stack, so `new Error().stack`
 * there names the user's line that is still running. `onExpire` reports and ends the process.
 */
import { closeSync, writeSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { realExit } from "./contain.js";

const EXPIRE = Symbol.for("policyc.watchdog.expire");

const WORKER = `
const { Session } = require("node:inspector");
const { workerData } = require("node:worker_threads");
const session = new Session();
session.connectToMainThread();
setTimeout(() => {
  session.post("Runtime.evaluate", { expression: "globalThis[Symbol.for('policyc.watchdog.expire')]?.()" });
}, workerData.ms);
`;

export interface Watchdog {
  stop(): Promise<void>;
}

/**
 * Starts the clock. `onExpire(stack)` runs on the main thread when `ms` pass before `stop()`; the
 * stack is that of the code running at that moment. It must not return (it exits the process).
 */
export function startWatchdog(ms: number, onExpire: (stack: string) => never): Watchdog {
  (globalThis as Record<symbol, unknown>)[EXPIRE] = () => onExpire(new Error("timeout").stack ?? "");
  let worker: Worker | undefined;
  try {
    worker = new Worker(WORKER, { eval: true, workerData: { ms } });
    // An error of the watchdog itself (no inspector in this Node build) must not fail the build.
    worker.on("error", () => undefined);
  } catch {
    worker = undefined;
  }
  return {
    async stop() {
      delete (globalThis as Record<symbol, unknown>)[EXPIRE];
      await worker?.terminate();
    },
  };
}

/**
 * Writes `text` to stderr and ends the process with `code`, from inside the watchdog's interrupt.
 * stderr is closed first because Node, exiting with an inspector session attached, would add
 * "Waiting for the debugger to disconnect..." under the diagnostic.
 */
export function reportAndExit(text: string, code: number): never {
  try {
    writeSync(2, text);
    closeSync(2);
  } catch {
    // Nothing more to say.
  }
  return realExit(code);
}
