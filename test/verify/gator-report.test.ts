// `--reporter gator`: gator verify's report layout (Go-test-like lines, `ok`/`FAIL` per suite file
// with its time in seconds to three decimals, PASS/FAIL last), quiet by default, listing runs,
// passes and skips with -v.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { renderGator } from "../../src/testing/report/gator.js";
import type { CaseResult, RunResult, SuiteResult, TestResult } from "../../src/testing/run/results.js";

const kase = (name: string, status: CaseResult["status"], durationMs: number, reasons: string[] = []): CaseResult => ({
  name,
  status,
  reasons,
  diagnostics: [],
  durationMs,
});
const tst = (name: string, cases: CaseResult[], durationMs: number, extra: Partial<TestResult> = {}): TestResult => ({
  name,
  status: cases.some((c) => c.status === "fail") ? "fail" : cases.length > 0 && cases.every((c) => c.status === "skip") ? "skip" : "pass",
  invalid: false,
  reasons: [],
  diagnostics: [],
  cases,
  durationMs,
  ...extra,
});
const suite = (display: string, tests: TestResult[], durationMs: number, extra: Partial<SuiteResult> = {}): SuiteResult => ({
  path: `/abs/${display}`,
  display,
  status: tests.some((t) => t.status === "fail") ? "fail" : "pass",
  diagnostics: [],
  warnings: [],
  tests,
  durationMs,
  ...extra,
});
const run = (...suites: SuiteResult[]): RunResult => ({ suites, diagnostics: [], durationMs: 0 });

const passing = () => suite("policies/labels/suite.yaml", [tst("require-labels", [kase("with-label", "pass", 100), kase("without-label", "pass", 230)], 330)], 330);

test("a passing suite is one ok line, then PASS; -v lists every test and case run", () => {
  assert.is(renderGator(run(passing())), "ok\tpolicies/labels/suite.yaml\t0.330s\nPASS\n\n");
  assert.is(
    renderGator(run(passing()), { verbose: true }),
    [
      "=== RUN   require-labels",
      "    === RUN   with-label",
      "    --- PASS: with-label\t(0.100s)",
      "    === RUN   without-label",
      "    --- PASS: without-label\t(0.230s)",
      "--- PASS: require-labels\t(0.330s)",
      "ok\tpolicies/labels/suite.yaml\t0.330s",
      "PASS",
      "",
      "",
    ].join("\n"),
  );
  // Two suites: one ok line each, in run order.
  const two = renderGator(run(passing(), suite("policies/repos/suite.yaml", [tst("repos", [kase("a", "pass", 7)], 9)], 1234)));
  assert.is(two, "ok\tpolicies/labels/suite.yaml\t0.330s\nok\tpolicies/repos/suite.yaml\t1.234s\nPASS\n\n");
});

test("a failing case prints its reasons indented under --- FAIL, then the test, the suite and FAIL", () => {
  const r = run(suite("s.yaml", [tst("forbid", [kase("ok", "pass", 1), kase("bad", "fail", 20, ["got 0 violations but want at least 1"])], 25)], 30));
  assert.is(r.suites[0]!.status, "fail");
  assert.is(renderGator(r), "    --- FAIL: bad\t(0.020s)\n        got 0 violations but want at least 1\n--- FAIL: forbid\t(0.025s)\nFAIL\ts.yaml\t0.030s\nFAIL\n\n");
  // Several reasons: one line each.
  const many = renderGator(run(suite("s.yaml", [tst("t", [kase("c", "fail", 0, ["first", "second"])], 0)], 0)));
  assert.match(many, /        first\n        second\n/);
  // One failing suite among passing ones makes the last line FAIL.
  assert.match(renderGator(run(passing(), suite("s.yaml", [tst("t", [kase("c", "fail", 0, ["x"])], 0)], 0))), /ok\tpolicies\/labels\/suite.yaml\t0.330s\n[\s\S]*FAIL\ts.yaml\t0.000s\nFAIL\n\n$/);
});

test("a test that could not run prints its error under the test line and no cases", () => {
  const broken = tst("foo", [kase("a", "fail", 0, ["test 'foo' failed: bad constraint"]), kase("b", "fail", 0, ["test 'foo' failed: bad constraint"])], 4, {
    status: "fail",
    reasons: ["constraint 'c.yaml' is not valid: unknown fields: spec.match.kinds[0].versions"],
  });
  assert.is(renderGator(run(suite("s.yaml", [broken], 5))), "--- FAIL: foo\t(0.004s)\n  constraint 'c.yaml' is not valid: unknown fields: spec.match.kinds[0].versions\nFAIL\ts.yaml\t0.005s\nFAIL\n\n");
  assert.is.not(renderGator(run(suite("s.yaml", [broken], 5)), { verbose: true }).includes("=== RUN   a"), true);
  // An invalid:true test that passes has no cases and prints only with -v.
  const invalid = tst("invalid-params", [], 2, { invalid: true });
  assert.is(renderGator(run(suite("s.yaml", [invalid], 2))), "ok\ts.yaml\t0.002s\nPASS\n\n");
  assert.match(renderGator(run(suite("s.yaml", [invalid], 2)), { verbose: true }), /^=== RUN   invalid-params\n--- PASS: invalid-params\t\(0\.002s\)\n/);
});

test("skipped tests and cases show only with -v, as === SKIP; a skipped suite is ok in 0.000s", () => {
  const s = suite("s.yaml", [tst("skipped-test", [kase("x", "skip", 0)], 0), tst("t", [kase("skipped-case", "skip", 0), kase("run", "pass", 10)], 10)], 10);
  assert.is(renderGator(run(s)), "ok\ts.yaml\t0.010s\nPASS\n\n");
  assert.is(
    renderGator(run(s), { verbose: true }),
    "=== SKIP  skipped-test\n=== RUN   t\n    === SKIP  skipped-case\n    === RUN   run\n    --- PASS: run\t(0.010s)\n--- PASS: t\t(0.010s)\nok\ts.yaml\t0.010s\nPASS\n\n",
  );
  const skippedSuite = suite("skip.yaml", [tst("t", [kase("c", "skip", 0)], 0)], 3, { status: "skip" });
  assert.is(renderGator(run(skippedSuite)), "ok\tskip.yaml\t0.000s\nPASS\n\n");
});

test.run();
