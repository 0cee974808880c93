// The conformance runner's pieces without the engine: case loading, result comparison as OPA's
// Wasm runner does it, input_term conversion and the verdict rules.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { requireShared } from "../../support/shared.js";
import { loadCases } from "../../../src/engine/conformance/cases.js";
import { compareResultSets } from "../../../src/engine/conformance/compare.js";
import { ExactNum } from "../../../src/engine/builtins/value.js";
import { inputTermToJson } from "../../../src/engine/conformance/input-term.js";
import { judge, runConformance, type CaseEngine } from "../../../src/engine/conformance/runner.js";
import type { ConformanceCase } from "../../../src/engine/conformance/cases.js";

const base: ConformanceCase = { category: "c", file: "c/f.yaml", note: "c/n", query: "data.test.p = x", modules: [], strictError: false, sortBindings: false, ignoreGeneratedVars: false };

test("loads every case of the corpus with its category", () => {
  const dir = requireShared("corpora/opa-conformance/v1", "conformance corpus");
  if (!dir) return;
  const cases = loadCases(dir);
  assert.is(cases.length, 2067);
  assert.is(new Set(cases.map((c) => c.category)).size, 145);
  assert.is(cases.filter((c) => c.strictError).length, 205);
  assert.is(cases.filter((c) => c.inputTerm !== undefined).length, 86);
  const agg = cases.find((c) => c.note === "aggregates/count virtual");
  assert.ok(agg && agg.sortBindings && agg.modules.length === 1);
});

test("result sets compare as sets, numbers by value, sort_bindings sorts actual arrays", () => {
  assert.is(compareResultSets([{ x: 1 }, { x: 2 }], [{ x: 2 }, { x: 1.0 }]), undefined);
  assert.ok(compareResultSets([{ x: 1 }], [{ x: 2 }]));
  assert.ok(compareResultSets([{ x: [2, 1] }], [{ x: [1, 2] }]));
  assert.is(compareResultSets([{ x: [2, "a", 1] }], [{ x: [1, 2, "a"] }], { sortBindings: true }), undefined);
  assert.is(compareResultSets([{ x: { b: 1, a: 2 } }], [{ x: { a: 2, b: 1 } }]), undefined);
  assert.is(compareResultSets([{ x: 1, __localq0__: 3 }], [{ x: 1 }], { ignoreGeneratedVars: true }), undefined);
  assert.ok(compareResultSets([], [{ x: 1 }]));
  // Big integers compare digit for digit: a rounded double is not the expected value.
  assert.ok(compareResultSets([{ x: 18446744073709552000 }], [{ x: 18446744073709551614n }]));
  assert.is(compareResultSets([{ x: new ExactNum("18446744073709551614") }], [{ x: 18446744073709551614n }]), undefined);
  assert.is(compareResultSets([], []), undefined);
});

test("input_term: JSON terms convert, sets are skipped with a reason", () => {
  assert.equal(inputTermToJson('{"a": [1, "b", null, true]}'), { ok: true, value: { a: [1, "b", null, true] } });
  const set = inputTermToJson("{1, 2}");
  assert.is(set.ok, false);
  assert.match((set as { reason: string }).reason, /set/);
  assert.is(inputTermToJson('{1: "a"}').ok, false);
});

test("a missing corpus yields no report (the CLI then prints a skip message and exits 0)", async () => {
  assert.is(await runConformance({ corpusDir: "/nonexistent/opa-conformance/v1", engine: { prepare: () => ({ evaluate: () => [] }) } }), undefined);
});

test("verdicts follow OPA's Wasm runner", () => {
  const strict = { ...base, wantErrorCode: "eval_type_error", strictError: true };
  assert.is(judge(strict, [], undefined).status, "pass");
  assert.is(judge(strict, [{ x: 1 }], undefined).status, "fail");
  assert.is(judge(strict, [], new Error("divide by zero")).status, "fail");
  const both = { ...strict, wantResult: [{ x: { b: {} } }] };
  assert.is(judge(both, [{ x: { b: {} } }], undefined).status, "pass");
  assert.is(judge(both, [], undefined).status, "fail");
  const conflict = { ...base, wantErrorCode: "eval_conflict_error" };
  assert.is(judge(conflict, undefined, new Error("test-0.rego:3:1: var assignment conflict")).status, "pass");
  assert.is(judge(conflict, undefined, new Error("boom")).status, "fail");
  assert.is(judge(conflict, [], undefined).status, "fail");
  const result = { ...base, wantResult: [{ x: 1 }] };
  assert.is(judge(result, [{ x: 1 }], undefined).status, "pass");
  assert.is(judge(result, [{ x: 2 }], undefined).status, "fail");
  assert.is(judge(result, undefined, new Error("x")).status, "fail");
});

test("runner: compile failures fail (never skip); every non-pass carries a reason", async () => {
  const dir = requireShared("corpora/opa-conformance/v1", "conformance corpus");
  if (!dir) return;
  let prepared = 0;
  const broken: CaseEngine = {
    prepare() {
      prepared++;
      throw new Error("PC5100: not implemented");
    },
  };
  const report = await runConformance({ corpusDir: dir, engine: broken, filter: /^(aggregates|inputvalues)\// });
  assert.ok(report);
  const r = report!;
  assert.is(r.total.pass, 0);
  assert.ok(r.total.fail > 0);
  assert.ok(prepared > 0 && prepared <= r.total.fail);
  for (const x of r.results) {
    assert.ok(x.reason, `${x.note} has a reason`);
    if (x.status === "skip") assert.match(x.reason!, /input_term|excluded/);
  }
  assert.is(r.total.total, r.results.length);
});

test.run();
