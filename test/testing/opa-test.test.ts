// policyc test PATH...: OPA's unit-test runner (loading, discovery, outcomes, reports, coverage).
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadPaths, goGlobToRegExp } from "../../src/testing/opa-test/load.js";
import { runOpaTests } from "../../src/testing/opa-test/run.js";
import { goDuration } from "../../src/testing/opa-test/report.js";
import { parseDuration } from "../../src/cli/args.js";
import { runCli, writeTree } from "../support/cli.js";

const tree = (files: Record<string, string>) => writeTree("policyc-opatest-", files);

const cli = (argv: string[], cwd: string) => runCli(["test", ...argv], cwd);

const POLICY = `package authz
import rego.v1
allow if {
  input.method == "GET"
  input.user == "alice"
}
deny contains msg if {
  input.method == "DELETE"
  msg := "no deletes"
}
`;

const TESTS = `package authz_test
import rego.v1
import data.authz

test_get_allowed if authz.allow with input as {"method": "GET", "user": "alice"}
test_get_allowed if authz.allow with input as {"method": "GET", "user": "bob"}
test_delete_denied if count(authz.deny) == 1 with input as {"method": "DELETE"}
test_limits if data.config.limits.max == 3
todo_test_later if false
test_not_bool := 7
test_conflict if {
  x := conflict
}
conflict := 1 if true
conflict := 2 if true
`;

test("loader: data files land under their folder's path, prefixes and ignores apply, unknown files inside folders are skipped", () => {
  const dir = tree({
    "p.rego": "package p\n",
    "config/limits/data.json": '{"max": 3}',
    "config/limits/other.yaml": "min: 1\n",
    "config/notes.txt": "not data",
    "skip_me/x.rego": "package broken {",
    "root.json": '{"top": true}',
  });
  try {
    const l = loadPaths(["."], { cwd: dir, ignore: ["skip_*"] });
    assert.equal(l.diagnostics, []);
    assert.equal(l.modules.map((m) => m.file), ["p.rego"]);
    assert.equal(l.data, { config: { limits: { max: 3, min: 1 } }, top: true });
    // The argument itself is never ignored, and a prefix places the data.
    const pre = loadPaths(["a.b:config/limits"], { cwd: dir, ignore: ["limits"] });
    assert.equal(pre.data, { a: { b: { max: 3, min: 1 } } });
    // Two files defining one value conflict.
    writeFileSync(path.join(dir, "config/limits/dup.json"), '{"max": 4}');
    const bad = loadPaths(["config"], { cwd: dir });
    assert.equal(bad.diagnostics.map((d) => d.code), ["PC4304"]);
    assert.equal(loadPaths(["nope"], { cwd: dir }).diagnostics.map((d) => d.code), ["PC4301"]);
    // A non-object at the data root is refused.
    writeFileSync(path.join(dir, "list.json"), "[1]");
    assert.equal(loadPaths(["list.json"], { cwd: dir }).diagnostics.map((d) => d.code), ["PC4303"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("loader: bundle mode reads only data.json/data.yaml files; a multi-document YAML file gives its first document", () => {
  const dir = tree({
    "b/p.rego": "package p\n",
    "b/roles/data.json": '{"admin": ["alice"]}',
    "b/roles/extra.json": '{"ignored": true}',
    "b/teams/data.yaml": "a: 1\n---\na: 2\n",
  });
  try {
    const b = loadPaths(["b"], { cwd: dir, bundle: true });
    assert.equal(b.diagnostics, []);
    assert.equal(b.modules.map((m) => m.file), ["b/p.rego"]);
    assert.equal(b.data, { roles: { admin: ["alice"] }, teams: { a: 1 } });
    const plain = loadPaths(["b"], { cwd: dir });
    assert.equal(plain.data, { roles: { admin: ["alice"], ignored: true }, teams: { a: 1 } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Go globs match whole names with *, ?, classes and escapes", () => {
  assert.ok(goGlobToRegExp("*_test.rego").test("a_test.rego"));
  assert.not.ok(goGlobToRegExp("*_test.rego").test("a_test.rego.bak"));
  assert.ok(goGlobToRegExp("v?.json").test("v1.json"));
  assert.ok(goGlobToRegExp("[a-c]x").test("bx"));
  assert.not.ok(goGlobToRegExp("[^a-c]x").test("bx"));
  assert.ok(goGlobToRegExp("a\\*").test("a*"));
});

test("tests: duplicates run separately, todo_test_ is skipped, outcomes are decided as opa test does", () => {
  const run = runOpaTests({
    modules: [{ file: "authz_test.rego", text: TESTS }, { file: "authz.rego", text: POLICY }],
    data: { config: { limits: { max: 3 } } },
    regoVersion: "v1",
  });
  const byName = Object.fromEntries(run.results.map((r) => [r.name, r]));
  assert.equal(run.results.map((r) => r.name), ["test_get_allowed", "test_get_allowed#01", "test_delete_denied", "test_limits", "todo_test_later", "test_not_bool", "test_conflict"]);
  assert.equal(byName.test_get_allowed!.fail, undefined);
  assert.is(byName["test_get_allowed#01"]!.fail, true, "the second definition fails on its own");
  assert.equal(byName.test_delete_denied!.fail, undefined);
  assert.equal(byName.test_limits!.fail, undefined);
  assert.is(byName.todo_test_later!.skip, true);
  assert.is(byName.test_not_bool!.fail, true, "a test whose value is not true fails");
  assert.is(byName.test_conflict!.error?.code, "eval_conflict_error");
  assert.equal(byName.test_get_allowed!.location, { file: "authz_test.rego", row: 5, col: 1 });
  assert.is(byName.test_get_allowed!.package, "data.authz_test");
  // --run filters on the full name.
  const only = runOpaTests({ modules: [{ file: "t.rego", text: TESTS }, { file: "a.rego", text: POLICY }], data: {}, regoVersion: "v1", run: /delete/ });
  assert.equal(only.results.map((r) => r.name), ["test_delete_denied"]);
});

test("parameterised tests report named sub-results; a false one fails the test", () => {
  const run = runOpaTests({
    modules: [{ file: "t.rego", text: `package t
import rego.v1
test_double[note] if {
  some tc in [{"note": "one", "in": 1, "out": 2}, {"note": "two", "in": 2, "out": 4}]
  note := tc.note
  tc.in * 2 == tc.out
}
test_mixed[note] := ok if {
  some note, ok in {"good": true, "bad": false}
}
` }],
    data: {},
    regoVersion: "v1",
  });
  const [double, mixed] = run.results;
  assert.equal(double!.fail, undefined);
  assert.equal(Object.keys(double!.sub_results!).sort(), ["one", "two"]);
  assert.is(mixed!.fail, true);
  assert.is(mixed!.sub_results!.bad!.fail, true);
  assert.is(mixed!.sub_results!.good!.fail, false);
});

test("v0 sources need --v0-compatible; v0 test rules run as OPA runs them", async () => {
  const dir = tree({ "t.rego": 'package t\ntest_v0 { x := "a"; x == "a" }\ntest_v0_fails { false }\n' });
  try {
    const v1 = await cli(["t.rego"], dir);
    assert.is(v1.code, 1);
    assert.match(v1.stderr, /t\.rego:2/);
    for (const flag of ["--v0-compatible", "--v0"]) {
      const v0 = await cli([flag, "t.rego"], dir);
      assert.is(v0.code, 1);
      assert.match(v0.stdout, /^t\.rego:3:\ndata\.t\.test_v0_fails: FAIL \(/m);
      assert.match(v0.stdout, /^PASS: 1\/2\nFAIL: 1\/2\n1 passed, 1 failed\n$/m);
      assert.not.match(v0.stdout, /test_v0: PASS/, "passing tests are listed only with -v");
    }
    const verbose = await cli(["--v0", "-v", "-r", "test_v0$", "t.rego"], dir);
    assert.is(verbose.code, 0);
    assert.match(verbose.stdout, /^t\.rego:2:\ndata\.t\.test_v0: PASS \(\d[\d.]*(ns|µs|ms|s)\)$/m);
    assert.match(verbose.stdout, /1 passed, 0 failed\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--format json prints opa test's array; the summary goes to stderr", async () => {
  const dir = tree({ "authz.rego": POLICY, "authz_test.rego": TESTS, "config/limits/data.json": '{"max": 3}' });
  try {
    const r = await cli(["--format", "json", "."], dir);
    assert.is(r.code, 1);
    const results = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.is(results.length, 7);
    assert.equal(Object.keys(results[0]!), ["location", "package", "name", "duration"]);
    assert.is(typeof results[0]!.duration, "number");
    const conflict = results.find((x) => x.name === "test_conflict")!;
    assert.equal(Object.keys(conflict), ["error", "location", "package", "name", "duration"]);
    // OPA's topdown.Error: topdown's words, at the rule that produced the second value.
    assert.equal(conflict.error, { code: "eval_conflict_error", message: "complete rules must not produce multiple outputs", location: { file: "authz_test.rego", row: 15, col: 1 } });
    assert.is(results.find((x) => x.name === "todo_test_later")!.skip, true);
    const pretty = await cli(["-r", "conflict", "."], dir);
    assert.match(pretty.stdout, /data\.authz_test\.test_conflict: ERROR \([^)]*\)\n  authz_test\.rego:15: eval_conflict_error: complete rules must not produce multiple outputs\n/);
    assert.is(r.stderr, "3 passed, 3 failed\n");
    // -f is opa test's short --format.
    assert.equal(JSON.parse((await cli(["-f", "json", "-r", "limits", "."], dir)).stdout).length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("skipped tests make the exit status 1 unless -z; print() output is shown with the test", async () => {
  const dir = tree({
    "t.rego": 'package t\nimport rego.v1\ntest_ok if { print("seen", 1) }\ntodo_test_x if false\n',
    // OPA trims the whole output (strings.TrimSpace) before indenting each line.
    "u.rego": 'package u\nimport rego.v1\ntest_bad if {\n\tprint("  lead")\n\tprint("mid\\nline")\n\tprint("")\n\tfalse\n}\n',
  });
  try {
    const r = await cli(["-v", "t.rego"], dir);
    assert.is(r.code, 1);
    assert.match(r.stdout, /data\.t\.test_ok: PASS .*\n\n  seen 1\n\n/);
    assert.match((await cli(["u.rego"], dir)).stdout, /data\.u\.test_bad: FAIL .*\n\n  lead\n  mid\n  line\n\n-{80}\n/);
    assert.match(r.stdout, /data\.t\.todo_test_x: SKIPPED\n/);
    assert.match(r.stdout, /SKIPPED: 1\/2\n/);
    assert.is((await cli(["-z", "t.rego"], dir)).code, 0);
    const json = JSON.parse((await cli(["--format", "json", "-z", "t.rego"], dir)).stdout) as { output?: string }[];
    assert.is(Buffer.from(json[0]!.output!, "base64").toString(), "seen 1\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--coverage prints OPA's report: covered and not covered rows per file, counts and percentages", async () => {
  const dir = tree({
    "authz.rego": POLICY,
    "authz_test.rego": `package authz_test
import rego.v1
import data.authz

test_get if authz.allow with input as {"method": "GET", "user": "alice"}
`,
  });
  try {
    const r = await cli(["--coverage", "."], dir);
    assert.is(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    const policy = report.files["authz.rego"];
    // allow's head and both expressions ran; deny (rows 7-9) never did.
    assert.equal(policy.covered, [{ start: { row: 3 }, end: { row: 5 } }]);
    assert.equal(policy.not_covered, [{ start: { row: 7 }, end: { row: 9 } }]);
    assert.is(policy.covered_lines, 3);
    assert.is(policy.not_covered_lines, 3);
    assert.is(policy.coverage, 50);
    assert.equal(report.files["authz_test.rego"].covered, [{ start: { row: 5 }, end: { row: 5 } }]);
    assert.is(report.covered_lines, 4);
    assert.is(report.not_covered_lines, 3);
    assert.ok(Math.abs(report.coverage - 400 / 7) < 1e-9);
    // With no test run nothing is covered.
    const none = await cli(["--coverage", "-r", "nothing", "."], dir);
    assert.equal(JSON.parse(none.stdout).covered_lines, 0);
    const low = await cli(["--coverage", "--threshold", "80", "-v", "."], dir);
    assert.is(low.code, 1);
    assert.match(low.stderr, /Code coverage threshold not met: got 57\.14 instead of 80\.00\nLines not covered:\n\tauthz\.rego:7-9\n/);
    assert.is((await cli(["--threshold", "50", "."], dir)).code, 0, "--threshold turns coverage on");
    assert.match((await cli(["--threshold", "101", "."], dir)).stderr, /error PC1091: `--threshold` value `101` is not a number from 0 to 100/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("coverage: a failing expression counts as evaluated, a rule head only once its body succeeded", () => {
  const run = runOpaTests({
    modules: [
      { file: "authz.rego", text: POLICY },
      { file: "t.rego", text: 'package t\nimport rego.v1\ntest_bob if not data.authz.allow with input as {"method": "GET", "user": "bob"}\n' },
    ],
    data: {},
    regoVersion: "v1",
    coverage: true,
  });
  assert.equal(run.results[0]!.fail, undefined);
  const policy = run.coverage!.files["authz.rego"]!;
  assert.equal(policy.covered, [{ start: { row: 4 }, end: { row: 5 } }]);
  assert.equal(policy.not_covered, [{ start: { row: 3 }, end: { row: 3 } }, { start: { row: 7 }, end: { row: 9 } }]);
});

test("bad input: unparsable modules and compile errors are diagnostics at the user's file, exit 1", async () => {
  const dir = tree({ "bad.rego": "package p\nimport rego.v1\ntest_x if {\n", "unsafe.rego": "package q\nimport rego.v1\ntest_y if { x == 1 }\n" });
  try {
    const parse = await cli(["bad.rego"], dir);
    assert.is(parse.code, 1);
    assert.match(parse.stderr, /^bad\.rego:\d+:\d+: error PC50\d\d/m);
    const unsafe = await cli(["unsafe.rego"], dir);
    assert.is(unsafe.code, 1);
    assert.match(unsafe.stderr, /^unsafe\.rego:3:\d+: error PC52\d\d/m);
    assert.match((await cli(["--run", "(", "unsafe.rego"], dir)).stderr, /error PC1091: `--run` value `\(` is not a regular expression: /);
    assert.match((await cli(["--timeout", "5 parsecs", "unsafe.rego"], dir)).stderr, /error PC1091: `--timeout` value `5 parsecs` is not a duration/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("durations print as Go prints them; --timeout takes Go durations", () => {
  assert.is(goDuration(0), "0s");
  assert.is(goDuration(512), "512ns");
  assert.is(goDuration(1500), "1.5µs");
  assert.is(goDuration(2_345_678), "2.345678ms");
  assert.is(goDuration(61_500_000_000), "1m1.5s");
  assert.is(parseDuration("1m30s"), 90e3);
  assert.is(parseDuration("250ms"), 250);
  assert.is(parseDuration("5"), 5000);
  assert.is(parseDuration("0"), undefined);
  assert.is(parseDuration("0", { allowZero: true }), 0);
  assert.is(parseDuration("5 parsecs"), undefined);
});


test("opa.runtime() is OPA's runtime description under policyc test (env, version, no config); {} elsewhere", async () => {
  const dir = tree({ "t.rego": `package t
import rego.v1
test_env if opa.runtime().env.POLICYC_PROBE == "on"
test_version if regex.match(\`^\\d+\\.\\d+\\.\\d+$\`, opa.runtime().version)
test_flags if {
  opa.runtime().authorization_enabled == false
  opa.runtime().skip_known_schema_check == false
  not opa.runtime().config
}
` });
  const prev = process.env.POLICYC_PROBE;
  process.env.POLICYC_PROBE = "on";
  try {
    const r = await cli(["t.rego"], dir);
    assert.is(r.stdout, "PASS: 3/3\n3 passed, 0 failed\n");
  } finally {
    if (prev === undefined) delete process.env.POLICYC_PROBE;
    else process.env.POLICYC_PROBE = prev;
    rmSync(dir, { recursive: true, force: true });
  }
  // Gatekeeper's evaluations give OPA no runtime: the built-in's value outside eval/test is {}.
  const { allBuiltins } = await import("../../src/engine/builtins/index.js");
  assert.equal(allBuiltins()["opa.runtime"]!(), {});
});

test("opa test's other flags: --explain/--var-values warn that no trace is kept, --count repeats, --bench and gobench, unsupported flags fail clearly", async () => {
  const dir = tree({ "t.rego": "package t\nimport rego.v1\ntest_ok if true\ntest_bad if false\n" });
  try {
    const explain = await cli(["--explain", "fails", "t.rego"], dir);
    assert.is(explain.code, 1);
    assert.match(explain.stdout, /data\.t\.test_ok: PASS/, "--explain turns on verbose output");
    assert.match(explain.stderr, /PC4314/);
    const vv = await cli(["--var-values", "t.rego"], dir);
    assert.match(vv.stdout, /^-{80}\nFAILURES\n-{80}\ndata\.t\.test_bad: FAIL \(/m);
    const twice = await cli(["--count", "2", "-r", "test_ok", "-p", "4", "--target", "wasm", "t.rego"], dir);
    assert.is(twice.code, 0);
    assert.is(twice.stdout, "PASS: 1/1\n1 passed, 0 failed\n".repeat(2));
    const gobench = await cli(["--bench", "--format", "gobench", "-r", "test_ok", "t.rego"], dir);
    assert.is(gobench.code, 0);
    assert.match(gobench.stdout, /^BenchmarkDataTTestOk\t +\d+\t +[\d.]+ ns\/op\n/);
    assert.is((await cli(["--format", "gobench", "t.rego"], dir)).code, 1, "gobench needs --bench");
    assert.is((await cli(["--bench", "--coverage", "t.rego"], dir)).code, 1);
    for (const flag of [["--capabilities", "caps.json"], ["--schema", "s.json"], ["--watch"]]) {
      const r = await cli([...flag, "t.rego"], dir);
      assert.is(r.code, 1);
      assert.match(r.stderr, new RegExp(`PC4313: ${flag[0]} is not supported`));
    }
    const empty = await cli(["--fail-on-empty", "-r", "nothing", "t.rego"], dir);
    assert.is(empty.code, 1);
    assert.match(empty.stderr, /PC4315/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a rule at a path that holds base data is a compile error, as OPA's path-conflicts check makes it", async () => {
  const dir = tree({
    "bad/a/data.json": '{"b": 1, "c": {"d": 2}, "e": "s", "keep": 0}',
    "bad/a/p.rego": "package a\nimport rego.v1\nb := 2\nc.d.x := 3\ne.f := 4\nok := 5\ntest_ok if ok == 5\n",
    "good/fine/data.json": '{"x": {"y": 1}}',
    "good/fine/q.rego": "package fine\nimport rego.v1\nz := 1\nx.w := 2\ntest_fine if { data.fine.x == {\"y\": 1, \"w\": 2}; z == 1 }\n",
  });
  try {
    // A data file inside a folder lands under the folder's path (data.a here).
    const r = await cli(["bad"], dir);
    assert.is(r.code, 1);
    // At the rule's data path (b), below data (c.d.x under the number c.d) and below a string (e.f).
    assert.match(r.stderr, /a\/p\.rego:3:1: error PC5112: conflicting rule for data path a\/b found/);
    assert.match(r.stderr, /a\/p\.rego:4:1: error PC5112: conflicting rule for data path a\/c\/d\/x found/);
    assert.match(r.stderr, /a\/p\.rego:5:1: error PC5112: conflicting rule for data path a\/e\/f found/);
    assert.not.match(r.stderr, /data path a\/ok/);
    // Rules beside data in the same object are fine.
    const ok = await cli(["good"], dir);
    assert.is(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /1 passed, 0 failed/);
    // eval -d refuses the same tree, as opa eval does.
    const ev = await runCli(["eval", "-d", "bad", "data.a.ok"], dir);
    assert.is(ev.code, 1);
    assert.match(ev.stderr, /PC5112: conflicting rule for data path a\/b found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("parameterised tests: every head with a dynamic ref part is one (OPA's Head.DocKind), whatever its depth or where the test name sits", async () => {
  const dir = tree({ "t.rego": `package qux
import rego.v1
test_cases_nested[x][y] if { some x in ["foo", "bar"]; some y in ["do", "re", "mi"]; not f(x, y) }
f(x, y) if { x == "foo"; y == "re" }
test_dup.foo[y] if { x := "foo"; y := "bar" }
test_dup[x][y] if { x := "foo"; y := "bar" }
a.b.test_deep[k] if { some k in ["p", "q"] }
test_three[a][b][c] if { some a in [1]; some b in ["x"]; some c in [true, false]; c }
test_ground["k"] if true
test_set contains k if some k in [1]
` });
  try {
    const json = JSON.parse((await cli(["--format", "json", "t.rego"], dir)).stdout) as { name: string; fail?: boolean; sub_results?: unknown }[];
    const by = Object.fromEntries(json.map((r) => [r.name, r]));
    assert.equal(by.test_cases_nested!.sub_results, {
      bar: { name: "bar", sub_results: { do: { name: "do" }, mi: { name: "mi" }, re: { name: "re" } } },
      foo: { name: "foo", fail: true, sub_results: { do: { name: "do" }, mi: { name: "mi" }, re: { name: "re", fail: true } } },
    });
    // Duplicates are renamed first; the renamed ones keep their dynamic tails.
    assert.equal([by.test_dup!.fail, by["test_dup#01"]!.fail], [undefined, undefined]);
    assert.equal(by["test_dup#01"]!.sub_results, { foo: { name: "foo", sub_results: { bar: { name: "bar" } } } });
    assert.equal(by["a.b.test_deep"]!.sub_results, { p: { name: "p" }, q: { name: "q" } });
    assert.equal(by.test_three!.sub_results, {
      "1": { name: "1", fail: true, sub_results: { x: { name: "x", fail: true, sub_results: { false: { name: "false", fail: true }, true: { name: "true" } } } } },
    });
    // A ground ref is a complete document (an object, not true); a multi-value head is a set.
    assert.equal([by.test_ground!.fail, by.test_ground!.sub_results], [true, undefined]);
    assert.equal([by.test_set!.fail, by.test_set!.sub_results], [true, undefined]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("parameterised tests: a case reached but failing is a failed sub-result, as OPA's injected test-case call records it", async () => {
  const dir = tree({ "t.rego": `package t
import rego.v1
cases := {"one": {"in": 1, "out": 2}, "two": {"in": 2, "out": 5}, "three": {"in": 3, "out": 6}}
double(x) := x * 2
test_kv[name] if {
  some name, tc in cases
  print("case", name)
  double(tc.in) == tc.out
}
test_ref[tc.note] if {
  some tc in [{"note": "a", "x": 1}, {"note": "b", "x": 2}]
  tc.x < 2
}
test_bare[name] if {
  some name
  cases[name]
  cases[name].out > 2
}
test_nested[group][name] if {
  some group in ["g1", "g2"]
  some name, tc in cases
  group != "g2"
  double(tc.in) == tc.out
}
test_nested_value[group] := result if {
  some group in ["g1", "g2"]
  result := {name: ok | some name in ["one", "two"]; ok := passes(group, name)}
}
passes("g2", _) := true
passes(g, name) := name == "one" if g != "g2"
test_none[name] if {
  some name in []
}
test_all_pass[name] if {
  some name, tc in cases
  tc.in > 0
}
` });
  try {
    const r = await cli(["-v", "t.rego"], dir);
    assert.is(r.code, 1);
    assert.match(r.stdout, /data\.t\.test_kv: FAIL \(.*\)\n  one: PASS\n  three: PASS\n  two: FAIL\n\n  case one\n  case three\n  case two\n/);
    assert.match(r.stdout, /data\.t\.test_ref: FAIL \(.*\)\n  a: PASS\n  b: FAIL\n/);
    assert.match(r.stdout, /data\.t\.test_bare: FAIL \(.*\)\n  one: FAIL\n  three: PASS\n  two: PASS\n/, "a bare `some` does not bind: the ref after it does");
    // Any head ref with a dynamic part is a parameterised test (OPA's Head.DocKind): nested names
    // nest, and a case reached before the body fails is a failed sub-result at its depth.
    assert.match(r.stdout, /data\.t\.test_nested: FAIL \(.*\)\n  g1: FAIL\n    one: PASS\n    three: PASS\n    two: FAIL\n  g2: FAIL\n    one: FAIL\n    three: FAIL\n    two: FAIL\n/);
    assert.match(r.stdout, /data\.t\.test_nested_value: FAIL \(.*\)\n  g1: FAIL\n    one: PASS\n    two: FAIL\n  g2: PASS\n    one: PASS\n/);
    assert.match(r.stdout, /data\.t\.test_none: PASS/);
    assert.match(r.stdout, /data\.t\.test_all_pass: PASS \(.*\)\n  one: PASS\n  three: PASS\n  two: PASS\n/);
    // The FAILURES section repeats each failed leaf with its lineage.
    assert.match(r.stdout, /data\.t\.test_kv: FAIL \(.*\)\n\n  two: FAIL\n\n/);
    assert.match(r.stdout, /data\.t\.test_nested_value: FAIL \(.*\)\n\n  g1: FAIL\n    two: FAIL\n\n/);
    // Leaves are counted (3+2+3+6+4+3 cases); a test with no case counts once.
    assert.match(r.stdout, /PASS: 14\/22\nFAIL: 8\/22\n/);
    const json = JSON.parse((await cli(["--format", "json", "-r", "test_ref", "t.rego"], dir)).stdout) as Record<string, unknown>[];
    assert.equal(json[0]!.sub_results, { a: { name: "a" }, b: { name: "b", fail: true } });
    // The reach rules live in a module of their own: the package the tests see is the user's.
    const own = tree({
      "p.rego": "package p\nimport rego.v1\ntest_x[n] if { some n in [1] }\n",
      "q.rego": "package q\nimport rego.v1\ntest_keys if data.p == {\"test_x\": {1: true}}\n",
    });
    try {
      const both = await cli(["."], own);
      assert.is(both.stdout, "PASS: 2/2\n2 passed, 0 failed\n");
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bundle mode: the .manifest's rego_version and file_rego_versions globs set each module's Rego version, over the default", async () => {
  const dir = tree({
    "b/.manifest": JSON.stringify({ revision: "1", rego_version: 0, file_rego_versions: { "/modern/*.rego": 1, "/mixed/{x,y}.rego": 1 } }),
    "b/legacy/a_test.rego": "package legacy\ntest_v0 { x := 1; x == 1 }\n",
    "b/modern/deep/b_test.rego": "package modern\ntest_v1 if { x := 1; x == 1 }\n",
    "b/mixed/y.rego": "package mixed\ntest_y if true\n",
    "b/mixed/z.rego": "package mixed.z\ntest_z { true }\n",
  });
  try {
    const r = await cli(["-b", "b"], dir);
    assert.is(r.stdout, "PASS: 4/4\n4 passed, 0 failed\n", r.stderr);
    // --v0-compatible does not override a bundle's own version (as in OPA): the v1 file still parses as v1.
    assert.is((await cli(["-b", "--v0-compatible", "b"], dir)).code, 0);
    // Without -b the manifest is not read: the v0 modules fail to parse as v1.
    const plain = await cli(["b"], dir);
    assert.is(plain.code, 1);
    assert.match(plain.stderr, /legacy\/a_test\.rego:2:\d+: error PC5005/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bundle mode: modules and data outside the manifest's roots are refused, as OPA refuses the bundle", async () => {
  const dir = tree({
    "b/.manifest": JSON.stringify({ revision: "1", roots: ["authz", "authz_test"] }),
    "b/authz/p.rego": "package authz\nallow if true\n",
    "b/authz/p_test.rego": "package authz_test\nimport data.authz\ntest_allow if authz.allow\n",
    "b/authz/users/data.json": '{"users": ["a"]}',
  });
  try {
    assert.is((await cli(["-b", "b"], dir)).stdout, "PASS: 1/1\n1 passed, 0 failed\n");
    writeFileSync(path.join(dir, "b/authz/other.rego"), "package other\nx := 1\n");
    const mod = await cli(["-b", "b"], dir);
    assert.is(mod.code, 1);
    assert.match(mod.stderr, /other\.rego:1:1: error PC4317: manifest roots \[authz authz_test\] do not permit 'package other' in module/);
    rmSync(path.join(dir, "b/authz/other.rego"));
    writeFileSync(path.join(dir, "b/data.json"), '{"config": {"x": 1}}');
    const data = await cli(["-b", "b"], dir);
    assert.is(data.code, 1);
    assert.match(data.stderr, /PC4318: manifest roots \[authz authz_test\] do not permit data at path '\/config'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});


test("--explain notes: a failed test shows its trace() notes with their lineage, as OPA's Notes filter prints them; passing tests and --explain fails show none", async () => {
  const dir = tree({
    // A note in the test body, then in a function the test calls (its Enter shown once per run of notes).
    "a_test.rego": 'package a\nimport rego.v1\nhelper(x) if {\n\ttrace(sprintf("helper got %v", [x]))\n\tx > 1\n}\ntest_one if {\n\ttrace("start")\n\thelper(1)\n}\ntest_ok if trace("fine")\n',
    // Two notes in a row, a rule reached through an import, a note after the failure never runs.
    "b_test.rego": 'package b_test\nimport rego.v1\nimport data.lib\ntest_two if {\n\ttrace("one")\n\ttrace("two \\"q\\"")\n\tlib.check with input as {"n": 0}\n\ttrace("never")\n}\n',
    "lib.rego": 'package lib\nimport rego.v1\ncheck if {\n\ttrace(sprintf("n=%d", [input.n]))\n\tinput.n > 0\n}\n',
    // A v0 module: default-keyword rules and a note in a partial set rule the test counts.
    "c_test.rego": 'package c\nviolation[msg] {\n\ttrace("checking")\n\tinput.bad\n\tmsg := "bad"\n}\ntest_three {\n\tcount(violation) == 1 with input as {"bad": false}\n}\n',
  });
  try {
    const r = await cli(["--explain", "notes", "a_test.rego", "b_test.rego", "lib.rego"], dir);
    assert.is(r.code, 1);
    assert.not.match(r.stderr, /PC4314/, "notes are recorded: no warning");
    const failures = r.stdout.slice(r.stdout.indexOf("FAILURES"));
    // OPA's trace table: the location column is padded to its widest cell plus four, then a space.
    const table = (rows: [string, string][]) => {
      const w = Math.max(...rows.map(([l]) => l.length)) + 4;
      return rows.map(([l, e]) => `  ${l.padEnd(w)} ${e}`).join("\n");
    };
    const one = table([
      ["query:1", "Enter data.a.test_one = _"],
      ["a_test.rego:7", "| Enter data.a.test_one"],
      ["a_test.rego:8", '| | Note "start"'],
      ["a_test.rego:3", "| | Enter data.a.helper"],
      ["a_test.rego:4", '| | | Note "helper got 1"'],
    ]);
    assert.ok(failures.includes(`data.a.test_one: FAIL`) && failures.includes(`)\n\n${one}\n\n`), failures);
    assert.ok(one.startsWith("  query:1" + " ".repeat(11) + "Enter"), one);
    const two = table([
      ["query:1", "Enter data.b_test.test_two = _"],
      ["b_test.rego:4", "| Enter data.b_test.test_two"],
      ["b_test.rego:5", '| | Note "one"'],
      ["b_test.rego:6", '| | Note "two \\"q\\""'],
      ["lib.rego:3", "| | Enter data.lib.check"],
      ["lib.rego:4", '| | | Note "n=0"'],
    ]);
    assert.ok(failures.includes(`)\n\n${two}\n\n`), failures);
    assert.not.match(failures, /never|fine/);
    const v0 = await cli(["--v0-compatible", "-v", "c_test.rego"], dir);
    assert.match(v0.stdout, /c_test\.rego:2 +\| \| Enter data\.c\.violation\n  c_test\.rego:3 +\| \| \| Note "checking"\n/);
    const fails = await cli(["--explain", "fails", "a_test.rego"], dir);
    assert.not.match(fails.stdout, /Note/, "the Fails filter keeps no notes");
    assert.match(fails.stderr, /PC4314/);
    assert.not.match((await cli(["a_test.rego"], dir)).stdout, /Note/, "without -v the report has no FAILURES section");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--var-values: each failed test shows the expression it failed at and its variables' values with OPA's arrows", async () => {
  const dir = tree({
    // Values bound before the failing expression; a set-valued variable; a variable never bound.
    "v_test.rego": 'package v\nimport rego.v1\ndeny contains "bad" if input.bad\ntest_eq if {\n\tx := 1\n\ty := 2\n\tx == y + 1\n}\ntest_count if {\n\tresult := deny with input as {"bad": true}\n\tcount(result) == 2\n}\ntest_undef if {\n\tz := input.missing\n\tz == 1\n}\ntest_ok if true\n',
    // v0, spaces for indentation, a negated expression, a string value.
    "w_test.rego": 'package w\ntest_not {\n    name := "alice"\n    not name == "alice"\n}\n',
    // Iteration: the values of the last attempt; a function the test calls.
    "u_test.rego": 'package u\nimport rego.v1\nbig(n) if n > 10\ntest_iter if {\n\tsome n in [1, 2]\n\tbig(n)\n}\ntest_some if {\n\tsome k\n\tobj := {"a": 1}\n\tobj[k] == 2\n}\ntest_every if {\n\tlimits := {"a": 1, "b": 5, "c": 9}\n\tevery k, v in limits {\n\t\tis_number(v)\n\t\tv < 3\n\t}\n}\ntest_every_set if {\n\tevery s in {"x", "yy", "zzz"} {\n\t\tcount(s) < 2\n\t}\n}\n',
  });
  try {
    const r = await cli(["--var-values", "v_test.rego", "u_test.rego"], dir);
    assert.is(r.code, 1);
    assert.not.match(r.stderr, /PC4314/);
    const failures = r.stdout.slice(r.stdout.indexOf("FAILURES"));
    const block = (name: string, lines: string[]) => new RegExp(`data\\.${name}: FAIL \\([^)]*\\)\\n\\n${lines.map(escape).join("\\n")}\\n\\n`);
    const escape = (l: string) => l.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    assert.match(failures, block("v.test_eq", ["  v_test.rego:7:", "    \tx == y + 1", "    \t|    |", "    \t|    2", "    \t1"]));
    assert.match(failures, block("v.test_count", ["  v_test.rego:11:", "    \tcount(result) == 2", "    \t      |", '    \t      {"bad"}']));
    assert.match(failures, block("v.test_undef", ["  v_test.rego:14:", "    \tz := input.missing", "    \t|", "    \tundefined"]));
    assert.match(failures, block("u.test_iter", ["  u_test.rego:6:", "    \tbig(n)", "    \t    |", "    \t    2"]));
    // In an `every`, the expression that failed for the first element it failed for (OPA's last Fail).
    assert.match(failures, block("u.test_every", ["  u_test.rego:17:", "    \t\tv < 3", "    \t\t|", "    \t\t5"]));
    assert.match(failures, block("u.test_every_set", ["  u_test.rego:22:", "    \t\tcount(s) < 2", "    \t\t      |", '    \t\t      "yy"']));
    // A `some k` declaration before the failing expression: k is still unbound there.
    assert.match(failures, block("u.test_some", ["  u_test.rego:11:", "    \tobj[k] == 2", "    \t|   |", "    \t|   undefined", '    \t{"a": 1}']));
    assert.not.match(failures, /test_ok/);
    const v0 = await cli(["--v0-compatible", "--var-values", "w_test.rego"], dir);
    assert.match(v0.stdout, block("w.test_not", ["  w_test.rego:4:", '        not name == "alice"', "            |", '            "alice"']));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
