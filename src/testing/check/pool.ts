/**
 * Spreads the chunks of a check over worker threads. Each worker loads the compiled policy set
 * once (`CheckPlan`) and parses and evaluates the batches of chunks it is sent; at most two batches
 * per worker are in flight, so the chunks read ahead stay few (memory is bounded by the batches in
 * flight, not by the input). Results come back in input order. Small inputs (under one batch per
 * worker) are evaluated on the main thread: starting workers costs more than they would save.
 */
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { Diagnostic } from "../../diagnostics/index.js";
import { checkChunk, Evaluator, type CheckPlan, type ObjectResult } from "./evaluate.js";
import type { Chunk } from "./inputs.js";

export interface ChunkResults {
  results: ObjectResult[];
  diagnostics: Diagnostic[];
}

/** Chunks per message: large enough to amortize messaging, small enough to balance the workers. */
const BATCH = 32;

export async function evaluateChunks(plan: CheckPlan, chunks: Iterable<Chunk>, workers: number): Promise<ChunkResults> {
  const it = chunks[Symbol.iterator]();
  const head: Chunk[] = [];
  const threshold = workers > 1 ? BATCH * workers : 0;
  let done = false;
  while (head.length < threshold) {
    const n = it.next();
    if (n.done) {
      done = true;
      break;
    }
    head.push(n.value);
  }
  if (workers <= 1 || done) {
    const ev = await Evaluator.create(plan);
    const out: ChunkResults = { results: [], diagnostics: [] };
    const all = (function* () {
      yield* head;
      if (!done) for (let n = it.next(); !n.done; n = it.next()) yield n.value;
    })();
    for (const c of all) {
      const r = await checkChunk(ev, c);
      out.results.push(...r.results);
      out.diagnostics.push(...r.diagnostics);
    }
    return out;
  }
  return runPool(plan, head, it, workers);
}

function startWorker(plan: CheckPlan): Worker {
  const js = new URL("./worker.js", import.meta.url);
  if (existsSync(js)) return new Worker(js, { workerData: plan });
  // Running from the TypeScript sources (tests, the bench under tsx): the worker is the .ts file
  // beside this one, loaded through tsx's hooks, which a worker thread must register itself.
  const ts = new URL("./worker.ts", import.meta.url).href;
  const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`;
  return new Worker(boot, { eval: true, workerData: plan });
}

interface Reply {
  id: number;
  results?: ChunkResults;
  error?: string;
}

async function runPool(plan: CheckPlan, head: Chunk[], rest: Iterator<Chunk>, n: number): Promise<ChunkResults> {
  const queue = head;
  let exhausted = false;
  const nextBatch = (): Chunk[] | undefined => {
    while (!exhausted && queue.length < BATCH) {
      const x = rest.next();
      if (x.done) exhausted = true;
      else queue.push(x.value);
    }
    return queue.length === 0 ? undefined : queue.splice(0, BATCH);
  };
  const batches: ChunkResults[] = [];
  let nextId = 0;
  const workers = Array.from({ length: n }, () => startWorker(plan));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            const send = () => {
              while (inFlight < 2) {
                const b = nextBatch();
                if (!b) break;
                const id = nextId++;
                inFlight++;
                w.postMessage({ id, chunks: b });
              }
              if (inFlight === 0) resolve();
            };
            w.on("message", (m: Reply) => {
              if (m.error !== undefined) return reject(new Error(`check worker: ${m.error}`));
              batches[m.id] = m.results!;
              inFlight--;
              send();
            });
            w.on("error", reject);
            w.on("exit", (code) => {
              if (inFlight > 0) reject(new Error(`check worker exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const out: ChunkResults = { results: [], diagnostics: [] };
  for (const b of batches) {
    out.results.push(...b.results);
    out.diagnostics.push(...b.diagnostics);
  }
  return out;
}
