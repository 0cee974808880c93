import { test } from "uvu";
import * as assert from "uvu/assert";
import { render } from "../../src/testing/report/index.js";
import { unifiedDiff } from "../../src/testing/golden/diff.js";
import { canonicalViolations, parseGolden, serializeGolden } from "../../src/testing/golden/golden.js";
import { parseFilter } from "../../src/testing/suite/filter.js";
import { checkAssertion } from "../../src/testing/suite/assertions.js";
import type { RunResult } from "../../src/testing/run/results.js";
import { RE2JS } from "re2js";
import { progressBar } from "../../src/testing/report/progress.js";

const run: RunResult = {
  durationMs: 12,
  diagnostics: [],
  suites: [
    {
      path: "/x/suite.yaml",
      display: "x/suite.yaml",
      name: "x",
      status: "fail",
      diagnostics: [],
      warnings: [],
      durationMs: 5,
      tests: [
        {
          name: "t",
          status: "fail",
          invalid: false,
          reasons: [],
          diagnostics: [],
          durationMs: 5,
          cases: [
            { name: "ok", status: "pass", reasons: [], diagnostics: [], durationMs: 1 },
            { name: "bad <&>", status: "fail", reasons: ["got 0 violations but want exactly 1"], diagnostics: [], durationMs: 2, diff: "--- a\n+++ b\n@@ -1 +0,0 @@\n-msg" },
            { name: "later", status: "skip", reasons: [], diagnostics: [], durationMs: 0 },
          ],
        },
        { name: "inv", status: "pass", invalid: true, reasons: [], diagnostics: [], durationMs: 1, cases: [] },
      ],
    },
  ],
};

test("pretty: failures with reasons and diff, summary last", () => {
  const { text, summaryOnStderr } = render("pretty", run);
  assert.not.ok(summaryOnStderr);
  assert.match(text, /^FAIL  x\/suite\.yaml \(x\)  2 passed, 1 failed, 1 skipped/m);
  assert.match(text, /✗ t › bad <&>\n\s+got 0 violations but want exactly 1\n\s+--- a/);
  assert.is(text.trimEnd().split("\n").pop(), "2 passed, 1 failed, 1 skipped");
});

test("tap: a test point per unit, YAML block for failures, summary last", () => {
  const { text } = render("tap", run);
  const lines = text.trimEnd().split("\n");
  assert.equal(lines.slice(0, 3), ["TAP version 13", "1..4", "ok 1 - x/suite.yaml › t › ok"]);
  assert.ok(lines.includes("not ok 2 - x/suite.yaml › t › bad <&>"));
  assert.ok(lines.includes("ok 3 - x/suite.yaml › t › later # SKIP"));
  assert.is(lines.at(-1), "2 passed, 1 failed, 1 skipped");
});

test("junit: escaped XML with failures and skips; json: parseable with the summary", () => {
  const { text, summaryOnStderr } = render("junit", run);
  assert.ok(summaryOnStderr);
  assert.match(text, /<testsuites name="policyc" tests="4" failures="1" skipped="1"/);
  assert.match(text, /<testcase classname="x\/suite\.yaml\.t" name="bad &lt;&amp;&gt;" time="0\.002">/);
  assert.match(text, /<failure message="got 0 violations but want exactly 1">/);
  assert.match(text, /<skipped\/>/);
  const json = JSON.parse(render("json", run).text);
  assert.equal(json.summary, { passed: 2, failed: 1, skipped: 1 });
  assert.is(json.results[1].case, "bad <&>");
});

test("unified diff and golden canonical form", () => {
  assert.is(unifiedDiff(["a", "b", "c"], ["a", "c", "d"], "x", "y"), "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n c\n+d");
  assert.is(unifiedDiff([], ["n"], "x", "y"), "--- x\n+++ y\n@@ -0,0 +1 @@\n+n");
  const vs = canonicalViolations([
    { msg: "b", details: { z: 1, a: 2 } },
    { msg: "a", details: {} },
  ]);
  assert.equal(vs.map((v) => v.msg), ["a", "b"]);
  assert.is(JSON.stringify(vs[1]!.details), '{"a":2,"z":1}');
  const text = serializeGolden({ t: { c: vs } });
  assert.equal(parseGolden(text), { t: { c: vs } });
  assert.throws(() => parseGolden('{"t": {"c": [{"nomsg": 1}]}}'), /list of \{msg, details\}/);
});

test("gator filters and assertions", () => {
  const or = parseFilter("label");
  assert.ok(or.matchesCase("required-labels", "anything"));
  assert.ok(or.matchesTest("other", ["missing-label"]));
  assert.not.ok(or.matchesCase("other", "case"));
  const and = parseFilter("^req//^ok$");
  assert.ok(and.matchesCase("required", "ok"));
  assert.not.ok(and.matchesCase("required", "not-ok"));
  assert.throws(() => parseFilter("a//b//c"), /at most one/);
  const a = { violations: 0 as const, message: "container", regex: RE2JS.compile("container"), span: { file: "s", line: 1, col: 1 } };
  assert.ok(checkAssertion(a, ["initContainer <x> bad"]).ok, "regexes are case-sensitive, as in gator");
  assert.is(checkAssertion({ ...a, violations: "yes" }, []).reason, 'got 0 violations containing "container" but want at least 1');
  assert.is(checkAssertion({ violations: 2, span: a.span }, ["a"]).reason, "got 1 violations but want exactly 2");
});

test("progress bar redraws in place and erases itself", () => {
  const out: string[] = [];
  const bar = progressBar((s) => out.push(s), 10);
  bar.update(5, 10);
  bar.update(10, 10);
  bar.done();
  assert.is(out[0], "\r[#####.....] 5/10");
  assert.is(out[1], "\r[##########] 10/10");
  assert.match(out[2]!, /^\r +\r$/);
});

test.run();
