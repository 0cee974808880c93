/**
 * A `policyc check` worker thread: loads the compiled policy set from `workerData` once, then
 * parses and checks each batch of chunks it receives and posts the results back (`pool.ts`).
 */
import { parentPort, workerData } from "node:worker_threads";
import { checkChunk, Evaluator, type CheckPlan } from "./evaluate.js";
import type { Chunk } from "./inputs.js";
import type { ChunkResults } from "./pool.js";

const evaluator = Evaluator.create(workerData as CheckPlan);

parentPort!.on("message", async (m: { id: number; chunks: Chunk[] }) => {
  try {
    const ev = await evaluator;
    const out: ChunkResults = { results: [], diagnostics: [] };
    for (const c of m.chunks) {
      const r = await checkChunk(ev, c);
      out.results.push(...r.results);
      out.diagnostics.push(...r.diagnostics);
    }
    parentPort!.postMessage({ id: m.id, results: out });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).stack ?? String(e) });
  }
});
