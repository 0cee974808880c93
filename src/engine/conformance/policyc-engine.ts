/**
 * The conformance runner's engine: each case's modules (named `test-N.rego`, Rego v1) and query
 * prepared with `prepareQuery` (policyc's compiler + the SDK), data set per evaluation.
 */
import { prepareQuery } from "../eval/engine.js";
import { loadCompiler } from "../eval/compile.js";
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
          return pick(prepared.evaluate(input) as Row[], prepared.query.vars);
        },
      };
    },
  };
}

/** The query's variables of each row (prepareQuery already reads the result text exactly). */
function pick(rows: Row[], vars: string[]): Row[] {
  return rows.map((r) => {
    const out: Row = {};
    for (const v of vars) if (v in r) out[v] = r[v];
    return out;
  });
}
