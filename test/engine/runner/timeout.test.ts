// --timeout: an evaluation past its deadline stops (eval_cancel_error) in generated code and in
// built-ins, and eval, test (OPA unit tests and gator suites) and verify report it and go on.
import { rmSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, loadModule, EvalError, EvalTimeout } from "../../../src/engine/index.js";
import { runSuites } from "../../../src/testing/run/verify.js";
import { loadSuites } from "../../../src/testing/verify.js";
import { allDiagnostics } from "../../../src/testing/run/results.js";
import { parseDuration } from "../../../src/cli/args.js";
import { formatMs } from "../../../src/engine/builtins/budget.js";
import { runCli, writeTree } from "../../support/cli.js";

// Nested loops over 20,000 elements: 400 million iterations, minutes of work.
const SLOW = `count([1 | some x in numbers.range(1, 20000); some y in numbers.range(1, 20000); x == y]) > 0`;

const tree = (files: Record<string, string>) => writeTree("policyc-timeout-", files);

const cli = (argv: string[], cwd: string) => runCli(argv, cwd);

/** CPU milliseconds since `c0` (wall time says little on a loaded CI machine). */
function cpuMs(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

function moduleOf(rego: string, timeoutMs?: number) {
  const wasm = compile({ modules: [{ file: "p.rego", text: rego }], entrypoints: ["p/r"] });
  return loadModule(wasm, timeoutMs === undefined ? {} : { timeoutMs });
}

test("a pure-Wasm loop stops at the deadline with eval_cancel_error; the module evaluates again afterwards", () => {
  const m = moduleOf(`package p\nr if ${SLOW}\nfast := 1`, 300);
  m.setData({});
  const t0 = process.cpuUsage();
  const err = (() => {
    try {
      m.evaluate(undefined, "p/r");
    } catch (e) {
      return e;
    }
  })();
  const took = cpuMs(t0);
  assert.instance(err, EvalTimeout);
  assert.is((err as EvalError).code, "eval_cancel_error");
  assert.ok(took < 3000, `stopped after ${took} ms`);
  // The next evaluation gets a fresh deadline and budget.
  m.timeoutMs = undefined;
  const m2 = moduleOf(`package p\nr := 7`, 300);
  m2.setData({});
  assert.equal(m2.evaluate(undefined, "p/r"), [{ result: 7 }]);
  assert.equal(m2.evaluate(undefined, "p/r"), [{ result: 7 }]);
});

test("many calls of built-ins written in JavaScript stop at the deadline too", () => {
  const m = moduleOf(`package p\nr := count([s | some i in numbers.range(1, 2000000); s := sprintf("%v-%v", [i, {"a": [i]}])])`, 300);
  m.setData({});
  const t0 = process.cpuUsage();
  assert.throws(() => m.evaluate(undefined, "p/r"), (e: unknown) => e instanceof EvalTimeout);
  assert.ok(cpuMs(t0) < 3000);
});

test("without a timeout the budget still applies, and a generous one changes no result", () => {
  const m = moduleOf(`package p\nr := count([x | some x in numbers.range(1, 100000); x % 7 == 0])`, 60_000);
  m.setData({});
  assert.equal(m.evaluate(undefined, "p/r"), [{ result: 14285 }]);
  const wasm = compile({ modules: [{ file: "p.rego", text: `package p\nr if ${SLOW}` }], entrypoints: ["p/r"] });
  const small = loadModule(wasm, { fuel: 100_000 });
  small.setData({});
  assert.throws(() => small.evaluate(undefined, "p/r"), (e: unknown) => e instanceof EvalError && e.code === "eval_budget_exceeded");
});

test("durations are read as OPA's flags read them and printed as Go prints them", () => {
  assert.is(parseDuration("1m30s"), 90_000);
  assert.is(parseDuration("500ms"), 500);
  assert.is(parseDuration("0", { allowZero: true }), 0);
  assert.is(formatMs(3000), "3s");
  assert.is(formatMs(500), "500ms");
  assert.is(formatMs(90_000), "1m30s");
});

test("policyc eval --timeout: the query stops with PC5592 and exit 1; a bad duration is a usage error", async () => {
  const dir = tree({});
  try {
    const t0 = process.cpuUsage();
    const r = await cli(["eval", "--timeout", "300ms", SLOW], dir);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /PC5592/);
    assert.match(r.stderr, /--timeout 300ms/);
    assert.ok(cpuMs(t0) < 5000);
    const bad = await cli(["eval", "--timeout", "soon", "1"], dir);
    assert.is(bad.code, 1);
    assert.match(bad.stderr, /--timeout/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("policyc test PATH --timeout: the slow test is an ERROR with PC4312 at its rule, the others run", async () => {
  const dir = tree({ "p_test.rego": `package p\n\ntest_slow if {\n\t${SLOW}\n}\n\ntest_fast if true\n` });
  try {
    const r = await cli(["test", "--timeout", "300ms", "-v", "."], dir);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stdout, /data\.p\.test_slow: ERROR/);
    assert.match(r.stdout, /eval_cancel_error/);
    assert.match(r.stdout, /data\.p\.test_fast: PASS/);
    assert.match(r.stderr, /p_test\.rego:3:1: error PC4312: test data\.p\.test_slow ran longer than --timeout 300ms/);
    assert.match(r.stdout, /1 passed, 1 failed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const template = (rego: string) => `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sslow
spec:
  crd:
    spec:
      names:
        kind: K8sSlow
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
${rego.split("\n").map((l) => `        ${l}`).join("\n")}
`;

const SUITE = {
  "template.yaml": template(`package k8sslow\nimport future.keywords.in\nviolation[{"msg": "slow"}] {\n  input.review.object.metadata.name == "slow"\n  ${SLOW}\n}\nviolation[{"msg": "fast"}] {\n  input.review.object.metadata.name == "fast"\n}`),
  "constraint.yaml": "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sSlow\nmetadata:\n  name: demo\n",
  "slow.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: slow\n  namespace: default\n",
  "fast.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: fast\n  namespace: default\n",
  "suite.yaml": `apiVersion: test.gatekeeper.sh/v1alpha1
kind: Suite
metadata:
  name: demo
tests:
- name: slow
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: stuck
    object: slow.yaml
    assertions:
    - violations: yes
  - name: quick
    object: fast.yaml
    assertions:
    - violations: 1
`,
};

test("policyc verify --timeout: the stuck case fails with PC4052 naming the template, the next case passes", async () => {
  const dir = tree(SUITE);
  try {
    const t0 = process.cpuUsage();
    const r = await cli(["verify", "--timeout", "300ms", "-v", "."], dir);
    assert.is(r.code, 1, r.stderr + r.stdout);
    const all = r.stdout + r.stderr;
    assert.match(all, /PC4052/);
    assert.match(all, /template 'k8sslow' ran longer than the 300ms evaluation timeout on case 'stuck'/);
    assert.match(all, /1 passed, 1 failed/);
    assert.ok(cpuMs(t0) < 10_000);
    const bad = await cli(["verify", "--timeout", "soon", "."], dir);
    assert.is(bad.code, 1);
    assert.match(bad.stderr, /--timeout/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("golden suites (policyc test) use the same limit: Gatekeeper's 3 s by default, timeoutMs when given", async () => {
  const dir = tree(SUITE);
  try {
    const loaded = loadSuites(["."], dir);
    const suites = await runSuites(loaded.suites, { cwd: dir, timeoutMs: 250 });
    const codes = allDiagnostics({ suites, diagnostics: [], durationMs: 0 }).map((d) => d.code);
    assert.equal(codes, ["PC4052"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
