/**
 * Spreads the chunks of a check over worker threads. The workers are started once per process
 * (`startWorkers` as soon as a run knows its inputs are large, while the policy set compiles) and
 * kept for the process's later checks, unreferenced between runs so they never keep it alive. Each
 * run sends every worker its `CheckPlan` once (the Wasm modules already compiled: instances only),
 * then batches of chunks, which the worker parses and evaluates; at most two batches per worker are
 * in flight, so the chunks read ahead stay few (memory is bounded by the batches in flight, not by
 * the input). Results come back in input order. Small inputs (under one batch per worker) are
 * evaluated on the main thread: handing them over costs more than it would save.
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

/** What the main thread sends a worker: a run's plan, or a batch of that run's chunks. */
export type ToWorker = { plan: CheckPlan; run: number } | { id: number; run: number; chunks: Chunk[] };

export interface FromWorker {
  id: number;
  results?: ChunkResults;
  error?: string;
}

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

/**
 * A worker's young generation (where each object's review, results and Wasm I/O are allocated and
 * die): V8 lets it grow to 48 MB per thread under a steady allocation rate, memory that a check,
 * whose objects are each garbage a moment after they are checked, does not need. Capped, the
 * scavenger runs more often on a smaller space (its cost follows what survives, which is little);
 * the old generation is not limited, so a large object still fits.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

function startWorker(): Worker {
  const js = new URL("./worker.js", import.meta.url);
  if (existsSync(js)) return new Worker(js, { resourceLimits: WORKER_LIMITS });
  // Running from the TypeScript sources (tests, the bench under tsx): the worker is the .ts file
  // beside this one, loaded through tsx's hooks, which a worker thread must register itself.
  const ts = new URL("./worker.ts", import.meta.url).href;
  const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`;
  return new Worker(boot, { eval: true, resourceLimits: WORKER_LIMITS });
}

/** The process's workers, kept between runs. */
let kept: Worker[] = [];
let runs = 0;

/** Starts (or keeps) `n` worker threads for the next run; they load their code meanwhile. */
export function startWorkers(n: number): Worker[] {
  if (kept.length !== n) {
    for (const w of kept) void w.terminate();
    kept = Array.from({ length: n }, () => {
      const w = startWorker();
      w.unref();
      // A worker that dies is replaced at the next run.
      w.once("exit", () => {
        kept = kept.filter((x) => x !== w);
      });
      return w;
    });
  }
  return kept;
}

interface SharedNames {
  ids: Map<string, string>;
  constraints: Map<string, { kind: string; name: string }>;
}

/**
 * Results copied from a worker carry their own copy of every constraint name: each object's
 * matched constraints and each violation's constraint are made to share one per constraint (a
 * cluster snapshot has a few hundred constraints and hundreds of thousands of matches).
 */
function shareConstraints(batch: ChunkResults, shared: SharedNames): ChunkResults {
  const id = (s: string) => {
    const hit = shared.ids.get(s);
    if (hit !== undefined) return hit;
    shared.ids.set(s, s);
    return s;
  };
  for (const r of batch.results) {
    r.matchedConstraints = r.matchedConstraints.map(id);
    for (const v of r.violations) {
      const key = `${v.constraint.kind}/${v.constraint.name}`;
      let c = shared.constraints.get(key);
      if (!c) {
        c = v.constraint;
        shared.constraints.set(key, c);
      }
      v.constraint = c;
    }
  }
  return batch;
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
  const shared: SharedNames = { ids: new Map(), constraints: new Map() };
  let nextId = 0;
  const run = ++runs;
  const workers = startWorkers(n);
  const cleanups: (() => void)[] = [];
  let failed = false;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            const fail = (e: Error) => {
              failed = true;
              reject(e);
            };
            const send = () => {
              while (inFlight < 2) {
                const b = nextBatch();
                if (!b) break;
                const id = nextId++;
                inFlight++;
                w.postMessage({ id, run, chunks: b } satisfies ToWorker);
              }
              if (inFlight === 0) resolve();
            };
            const onMessage = (m: FromWorker) => {
              if (m.error !== undefined) return fail(new Error(`check worker: ${m.error}`));
              batches[m.id] = shareConstraints(m.results!, shared);
              inFlight--;
              send();
            };
            const onExit = (code: number) => fail(new Error(`check worker exited with code ${code}`));
            w.on("message", onMessage);
            w.on("error", fail);
            w.on("exit", onExit);
            cleanups.push(() => {
              w.off("message", onMessage);
              w.off("error", fail);
              w.off("exit", onExit);
              w.unref();
            });
            // Referenced while the run waits for it.
            w.ref();
            w.postMessage({ plan, run } satisfies ToWorker);
            send();
          }),
      ),
    );
  } finally {
    for (const c of cleanups) c();
    // After a failure the workers' state is unknown: the next run starts fresh ones.
    if (failed) {
      for (const w of workers) void w.terminate();
      kept = [];
    }
  }
  const out: ChunkResults = { results: [], diagnostics: [] };
  for (const b of batches) {
    out.results.push(...b.results);
    out.diagnostics.push(...b.diagnostics);
  }
  return out;
}
