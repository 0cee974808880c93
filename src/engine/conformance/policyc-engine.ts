/**
 * The conformance runner's engine: each case's modules (named `test-N.rego`, Rego v1) and query
 * prepared with `prepareQuery` (policyc's compiler + the SDK), data set per evaluation.
 */
import { prepareQuery } from "../eval/engine.js";
import { loadCompiler } from "../eval/compile.js";
import { parseJson } from "../builtins/json.js";
import type { Row } from "./compare.js";
import type { CaseEngine } from "./runner.js";

/** Generous enough for every case, small enough that a runaway case stops in well under a second. */
const CASE_FUEL = 50_000_000;
const CASE_MEMORY_PAGES = 2048;

/**
 * `test.sleep(duration)`: OPA's own conformance runners register it for the `time caching` case,
 * which checks that `time.now_ns` is fixed for one evaluation. It blocks the thread for the
 * duration (at most 1 s) and returns null, as OPA's does.
 */
const TEST_SLEEP = {
  name: "test.sleep",
  arity: 1,
  impl: (d: unknown) => {
    const m = typeof d === "string" ? /^(\d+)(ms|s)$/.exec(d) : null;
    const ms = m ? Number(m[1]) * (m[2] === "s" ? 1000 : 1) : 0;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(ms, 1000));
    return null;
  },
};

export async function policycCaseEngine(): Promise<CaseEngine> {
  await loadCompiler();
  return {
    prepare(modules, query) {
      const prepared = prepareQuery({
        modules: modules.map((text, i) => ({ file: `test-${i}.rego`, text })),
        query,
        regoVersion: "v1",
        fuel: CASE_FUEL,
        memoryLimitPages: CASE_MEMORY_PAGES,
        extraBuiltins: [TEST_SLEEP],
      });
      return {
        evaluate(data, input) {
          prepared.setData(data);
          return exactly(() => prepared.evaluate(input), prepared.query.vars);
        },
      };
    },
  };
}

/**
 * Runs an SDK evaluation and re-reads its result text exactly: the SDK's own `JSON.parse` rounds
 * integers beyond 2^53, which would hide errors in big-number cases. The result set is the last
 * text the SDK parses during `evaluate` (host built-in arguments are parsed before it).
 */
function exactly(run: () => Row[], vars: string[]): Row[] {
  const original = JSON.parse;
  let last: string | undefined;
  JSON.parse = function (text: string, reviver?: Parameters<typeof JSON.parse>[1]) {
    last = text;
    return original(text, reviver);
  } as typeof JSON.parse;
  let rows: Row[];
  try {
    rows = run();
  } finally {
    JSON.parse = original;
  }
  if (last === undefined) return rows;
  let exact: unknown;
  try {
    exact = parseJson(last);
  } catch {
    return rows;
  }
  if (!Array.isArray(exact) || exact.length !== rows.length) return rows;
  return (exact as Row[]).map((r) => {
    const out: Row = {};
    for (const v of vars) if (v in r) out[v] = r[v];
    return out;
  });
}
