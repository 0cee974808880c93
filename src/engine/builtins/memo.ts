/**
 * Per-evaluation memo for non-deterministic built-ins (`time.now_ns`, `rand.intn`, `uuid.rfc4122`):
 * OPA returns one value per query for the same arguments. An evaluation through the SDK runs
 * synchronously, so values are kept until the event loop next turns, then forgotten.
 */
const memo = new Map<string, unknown>();
let scheduled = false;

export function perEvaluation<T>(key: string, compute: () => T): T {
  if (memo.has(key)) return memo.get(key) as T;
  const v = compute();
  memo.set(key, v);
  if (!scheduled) {
    scheduled = true;
    setImmediate(() => {
      memo.clear();
      scheduled = false;
    });
  }
  return v;
}

/** Forgets memoised values now (callers that know an evaluation starts call this). */
export function startEvaluation(): void {
  memo.clear();
}
