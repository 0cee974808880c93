/**
 * A `policyc check` worker thread, kept for the process's runs (`pool.ts`). For each run it parses
 * the documents it is sent on the first pass into inventory entries (`inventory.ts`), loads the
 * run's `CheckPlan` once (instantiating the Wasm modules the main thread compiled; a run with the
 * plan of the run before keeps what was loaded), then parses and checks each batch of chunks it
 * receives and posts the results back, packed (`result-pack.ts`).
 */
import { parentPort } from "node:worker_threads";
import { checkBatch, Evaluator } from "./evaluate.js";
import { chunkEntries, type InventoryAnswer, type InventoryRequest } from "./inventory.js";
import { trimResults, type FromWorker, type ResultFields, type ToWorker } from "./pool.js";
import { packResults } from "./result-pack.js";

let current: { run: number; keep: ResultFields; evaluator: Promise<Evaluator> } | undefined;
/** The evaluator of the last plan loaded, by the plan's key. */
let loaded: { key: string; evaluator: Promise<Evaluator> } | undefined;

parentPort!.on("message", async (m: ToWorker | InventoryRequest) => {
  if ("inventory" in m) {
    try {
      parentPort!.postMessage({ inventory: m.inventory, entries: chunkEntries(m.chunks, m.defaultNamespace) } satisfies InventoryAnswer);
    } catch (e) {
      parentPort!.postMessage({ inventory: m.inventory, error: (e as Error).stack ?? String(e) } satisfies InventoryAnswer);
    }
    return;
  }
  if ("plan" in m) {
    // The last plan's evaluator (its Wasm instances and memories) is garbage from here.
    current = loaded = undefined;
    const evaluator = Evaluator.create(m.plan);
    // A plan that fails to load is reported with the run's first batch.
    evaluator.catch(() => {});
    loaded = { key: m.key, evaluator };
    current = { run: m.run, keep: m.keep, evaluator };
    return;
  }
  if ("reuse" in m) {
    const evaluator = loaded?.key === m.reuse ? loaded.evaluator : Promise.reject(new Error(`plan ${m.reuse} was not loaded in this worker`));
    evaluator.catch(() => {});
    current = { run: m.run, keep: m.keep, evaluator };
    return;
  }
  try {
    if (!current || current.run !== m.run) throw new Error(`no plan for run ${m.run}`);
    const keep = current.keep;
    const out = await checkBatch(await current.evaluator, m.chunks);
    const results = packResults(trimResults(out, keep));
    parentPort!.postMessage({ id: m.id, results } satisfies FromWorker, [results.ints.buffer]);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).stack ?? String(e) } satisfies FromWorker);
  }
});
