/**
 * Spreads the chunks of a check over threads: the main thread and `n - 1` worker threads. The main
 * thread takes its share between the workers' messages: it reads the inputs and writes the report
 * anyway, a thread per core more would only take turns with it, and its share's results are not
 * copied between threads. The workers are started once per process (`startWorkers` as soon as a
 * run knows its inputs are large, while the policy set compiles) and kept for the process's later
 * checks, unreferenced between runs so they never keep it alive. Each run sends every worker its
 * `CheckPlan` once (the Wasm modules already compiled: instances only), then batches of chunks,
 * which the worker parses and evaluates; at most two batches per worker are in flight, so the
 * chunks read ahead stay few (memory is bounded by the batches in flight, not by the input).
 * Results are handed to the caller in input order as soon as every earlier one is known (the
 * batches that arrive early wait, at most those in flight), each trimmed to the fields the
 * caller's report prints, so a run need not hold the results of the objects it has reported. Small
 * inputs (under one batch per thread) are evaluated on the main thread alone: handing them over
 * costs more than it would save.
 */
import { createHash } from "node:crypto";
import { serialize } from "node:v8";
import type { Worker } from "node:worker_threads";
import type { Diagnostic } from "../../diagnostics/index.js";
import { checkBatch, checkChunk, Evaluator, type CheckPlan, type ObjectResult } from "./evaluate.js";
import type { Chunk } from "./inputs.js";
import type { InventoryAnswer } from "./inventory.js";
import { unpackResults, type PackedResults, type SharedNames } from "./result-pack.js";
import { startThread } from "./threads.js";

export interface ChunkResults {
  results: ObjectResult[];
  diagnostics: Diagnostic[];
}

/**
 * Fields of `ObjectResult` that only some reports print; the others drop them as results are made,
 * before they are copied between threads or kept.
 */
export interface ResultFields {
  /** Each violation's `details` (gator's json and yaml reports). */
  details: boolean;
  /** `matchedConstraints` (PolicyReports list an object's passing constraints). */
  matchedConstraints: boolean;
}

export const ALL_FIELDS: ResultFields = { details: true, matchedConstraints: true };

/** Where a run's results go, in input order, and its parse diagnostics. */
export interface ResultSink {
  result(r: ObjectResult): void;
  diagnostics(ds: readonly Diagnostic[]): void;
}

export function trimResults(batch: ChunkResults, keep: ResultFields): ChunkResults {
  for (const r of batch.results) {
    if (!keep.matchedConstraints) r.matchedConstraints = [];
    if (!keep.details) for (const v of r.violations) v.details = undefined;
  }
  return batch;
}

/** Chunks per message: large enough to amortize messaging, small enough to balance the workers. */
const BATCH = 32;
/**
 * Chunks the main thread checks before it looks at the workers' messages again: a few
 * milliseconds, well under the two batches each worker has queued, so no worker waits for it.
 */
const MAIN_BATCH = 8;
/** A batch's text at most (a batch is cut early); a chunk larger than this is checked on the main thread. */
const BATCH_BYTES = 1 << 20;

/**
 * What the main thread sends a worker: a run's plan (with its key), the key of the plan it sent
 * the worker before (the same plan again: the worker keeps what it loaded), or a batch of the run's
 * chunks.
 */
export type ToWorker =
  | { plan: CheckPlan; key: string; keep: ResultFields; run: number }
  | { reuse: string; keep: ResultFields; run: number }
  | { id: number; run: number; chunks: Chunk[] };

export interface FromWorker {
  id: number;
  results?: PackedResults;
  error?: string;
}

/** Checks every chunk, giving the sink each result (and each chunk's parse diagnostics) in input order. */
export async function evaluateChunks(plan: CheckPlan, chunks: Iterable<Chunk>, workers: number, sink: ResultSink, keep: ResultFields = ALL_FIELDS): Promise<void> {
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
    const ev = await localEvaluator(plan);
    const all = (function* () {
      yield* head.splice(0);
      if (!done) for (let n = it.next(); !n.done; n = it.next()) yield n.value;
    })();
    for (const c of all) deliver(trimResults(await checkChunk(ev, c), keep), sink);
    return;
  }
  return runPool(plan, head, it, workers, sink, keep);
}

/**
 * A plan's identity. A process that checks again with the same plan (a watch loop, the runs of a
 * test suite or a bench) keeps the evaluator loaded for it, on the main thread and in each worker:
 * its Wasm instances with the inventory parsed, its CEL programs compiled and its constraints
 * indexed. Loading them is a tenth of a run on a cluster snapshot; on two threads, twice that.
 */
const planKeys = new WeakMap<CheckPlan, string>();

export function planKey(plan: CheckPlan): string {
  let key = planKeys.get(plan);
  if (key === undefined) {
    const h = createHash("sha256");
    // The modules are the plan's bytes (`compiled.modules`) compiled; the data may be shared memory.
    h.update(serialize({ ...plan, wasmModules: undefined, moduleData: undefined }));
    for (const d of plan.moduleData) h.update(d === undefined ? "-" : `${d.length}:`).update(d ?? new Uint8Array());
    key = h.digest("hex");
    planKeys.set(plan, key);
  }
  return key;
}

/** The main thread's evaluator for the last plan it checked. */
let local: { key: string; evaluator: Promise<Evaluator> } | undefined;

function localEvaluator(plan: CheckPlan): Promise<Evaluator> {
  const key = planKey(plan);
  if (local?.key !== key) {
    const evaluator = Evaluator.create(plan);
    local = { key, evaluator };
    evaluator.catch(() => {
      if (local?.evaluator === evaluator) local = undefined;
    });
  }
  return local.evaluator;
}

function deliver(batch: ChunkResults, sink: ResultSink): void {
  if (batch.diagnostics.length > 0) sink.diagnostics(batch.diagnostics);
  for (const r of batch.results) sink.result(r);
}

/**
 * A worker's heap. Its young generation is where each object's review, results and Wasm I/O are
 * allocated and die. Node's default lets it grow to 48 MB; at 8 MB the scavenger ran 170 times a
 * run and promoted what was merely in flight, and a worker checked a chunk 15-25% slower than the
 * main thread. At 24 MB it keeps pace, for about 10 MB more of peak RSS (one worker on two cores).
 * The old generation's limit also sets how far V8 lets it grow before collecting: with the default
 * (gigabytes) a worker's heap reaches four times what is live, with 256 MB about 1.3 times. What
 * a worker holds at once is bounded well below it: the plan, and one batch of chunks of at most
 * `BATCH_BYTES` each (larger chunks are checked on the main thread, which has no such limit).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 24, maxOldGenerationSizeMb: 256 };

/** The process's workers, kept between runs, and the key of the plan each was last sent. */
let kept: Worker[] = [];
const sentPlan = new WeakMap<Worker, string>();
let runs = 0;

/**
 * Starts (or keeps) the worker threads of a run on `threads` threads (the main thread is one of
 * them); they load their code meanwhile.
 */
export function startPool(threads: number): Worker[] {
  return startWorkers(threads - 1);
}

function startWorkers(n: number): Worker[] {
  if (kept.length !== n) {
    for (const w of kept) void w.terminate();
    kept = Array.from({ length: n }, () => {
      const w = startThread("worker", WORKER_LIMITS);
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

async function runPool(plan: CheckPlan, head: Chunk[], rest: Iterator<Chunk>, n: number, sink: ResultSink, keep: ResultFields): Promise<void> {
  const queue = head;
  let exhausted = false;
  const nextBatch = (size = BATCH): Chunk[] | undefined => {
    while (!exhausted && queue.length < size) {
      const x = rest.next();
      if (x.done) exhausted = true;
      else queue.push(x.value);
    }
    if (queue.length === 0) return undefined;
    // A large chunk alone (checked on the main thread); else chunks up to BATCH_BYTES of text.
    if (queue[0]!.text.length > BATCH_BYTES) return queue.splice(0, 1);
    let n = 0;
    for (let bytes = 0; n < queue.length && n < size && queue[n]!.text.length <= BATCH_BYTES && (bytes += queue[n]!.text.length) <= BATCH_BYTES; n++);
    return queue.splice(0, Math.max(1, n));
  };
  // Large chunks are checked on the main thread, by its evaluator for the plan.
  const checkHere = async (chunk: Chunk): Promise<ChunkResults> => trimResults(await checkChunk(await localEvaluator(plan), chunk), keep);
  // Batches that arrived before an earlier one, by id (at most those in flight).
  const early = new Map<number, ChunkResults>();
  let nextOut = 0;
  const arrived = (id: number, batch: ChunkResults) => {
    // After a thread failed, the run is over: a batch still finishing is not reported.
    if (failed) return;
    early.set(id, batch);
    for (let b = early.get(nextOut); b; b = early.get(nextOut)) {
      early.delete(nextOut++);
      deliver(b, sink);
    }
  };
  const shared: SharedNames = { ids: new Map(), constraints: new Map() };
  let nextId = 0;
  const run = ++runs;
  const workers = startPool(n);
  const cleanups: (() => void)[] = [];
  let failed = false;
  // The main thread's share: small batches, each followed by a turn of the event loop, where the
  // workers' results are delivered and their next batches sent.
  // With POLICYC_TIMINGS=1: each thread's share of the chunks and the time it was busy.
  const timings = process.env.POLICYC_TIMINGS === "1";
  const share = { chunks: 0, ms: 0 };
  const before = timings ? workers.map((w) => w.performance.eventLoopUtilization()) : [];
  const chunksOf = new Map<Worker, number>();
  const mainShare = async () => {
    const ev = await localEvaluator(plan);
    for (let b = nextBatch(MAIN_BATCH); b && !failed; b = nextBatch(MAIN_BATCH)) {
      const t0 = timings ? performance.now() : 0;
      share.chunks += b.length;
      const id = nextId++;
      arrived(id, trimResults(await checkBatch(ev, b), keep));
      if (timings) share.ms += performance.now() - t0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  try {
    await Promise.all([
      mainShare().catch((e: unknown) => {
        failed = true;
        throw e;
      }),
      ...workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            const fail = (e: Error) => {
              failed = true;
              reject(e);
            };
            const send = () => {
              while (inFlight < 2) {
                // Near the end of the input, smaller batches: no thread waits long for another's last ones.
                const b = nextBatch(exhausted ? Math.min(BATCH, Math.max(MAIN_BATCH, Math.ceil(queue.length / (2 * n)))) : BATCH);
                if (!b) break;
                const id = nextId++;
                inFlight++;
                if (b.length === 1 && b[0]!.text.length > BATCH_BYTES) {
                  checkHere(b[0]!).then((r) => {
                    arrived(id, r);
                    inFlight--;
                    send();
                  }, fail);
                  continue;
                }
                chunksOf.set(w, (chunksOf.get(w) ?? 0) + b.length);
                w.postMessage({ id, run, chunks: b } satisfies ToWorker);
              }
              if (inFlight === 0) resolve();
            };
            const onMessage = (m: FromWorker | InventoryAnswer) => {
              // An inventory answer the run stopped waiting for (`inventory.ts`).
              if ("inventory" in m) return;
              if (m.error !== undefined) return fail(new Error(`check worker: ${m.error}`));
              arrived(m.id, unpackResults(m.results!, shared));
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
            const key = planKey(plan);
            if (sentPlan.get(w) === key) w.postMessage({ reuse: key, keep, run } satisfies ToWorker);
            else {
              w.postMessage({ plan, key, keep, run } satisfies ToWorker);
              sentPlan.set(w, key);
            }
            send();
          }),
      ),
    ]);
    if (timings) {
      const threads = workers.map((w, i) => `worker ${i + 1} ${chunksOf.get(w) ?? 0} chunks, busy ${w.performance.eventLoopUtilization(before[i]).active.toFixed(0)} ms`);
      process.stderr.write(`policyc timing: check threads: main ${share.chunks} chunks, busy ${share.ms.toFixed(0)} ms; ${threads.join("; ")}\n`);
    }
  } finally {
    for (const c of cleanups) c();
    // After a failure the workers' state is unknown: the next run starts fresh ones.
    if (failed) {
      for (const w of workers) void w.terminate();
      kept = [];
    }
  }
}
