/**
 * The conformance runner's engine: each case's modules (named `test-N.rego`, Rego v1) and query
 * prepared with `prepareQuery` (policyc's compiler + the SDK), data set per evaluation.
 */
import { prepareQuery } from "../eval/engine.js";
import { loadCompiler } from "../eval/compile.js";
import type { CaseEngine } from "./runner.js";

/** Generous enough for every case, small enough that a runaway case stops in well under a second. */
const CASE_FUEL = 50_000_000;
const CASE_MEMORY_PAGES = 2048;

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
      });
      return {
        evaluate(data, input) {
          prepared.setData(data);
          return prepared.evaluate(input);
        },
      };
    },
  };
}
