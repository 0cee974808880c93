import { test } from "uvu";
import * as assert from "uvu/assert";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { projectRoot } from "../support/shared.js";
import { projectTest } from "../../src/testing/project-test.js";
import { countResults } from "../../src/testing/run/results.js";
import { command } from "../../src/cli/commands/test.js";

const generated = path.join(projectRoot, "generated");
const testsDir = path.join(generated, "tests");

function copyGenerated(): { dir: string; out: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "policyc-test-"));
  const out = path.join(dir, "generated");
  cpSync(generated, out, { recursive: true });
  return { dir, out, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function cli(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  return command
    .run(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, isTTY: false })
    .then((code) => ({ code, stdout, stderr }));
}

test("policyc test passes on the repo's examples, with golden files beside every emitted suite", async () => {
  const run = await projectTest({ cwd: projectRoot, outDir: "generated" });
  const c = countResults(run);
  const reasons = run.suites.flatMap((s) => s.tests.flatMap((t) => t.cases.flatMap((k) => k.reasons)));
  assert.is(c.failed, 0, `${reasons.join("\n")}\n(after changing examples: node bin/policyc.js build && node bin/policyc.js test --update, then commit generated/)`);
  assert.ok(c.passed >= 20, `only ${c.passed} cases ran`);
  const suites = readdirSync(testsDir);
  assert.ok(suites.length >= 7);
  for (const s of suites)
    assert.ok(existsSync(path.join(testsDir, s, "golden.json")), `generated/tests/${s}/golden.json is missing: run \`policyc test --update\` and commit it`);
});

test("every example check has an allowed and a disallowed case; K8sAllowedRepos covers initContainers", () => {
  for (const s of readdirSync(testsDir)) {
    const suite = parse(readFileSync(path.join(testsDir, s, "suite.yaml"), "utf8"));
    const cases = suite.tests.flatMap((t: { cases: { assertions: { violations?: unknown; message?: string }[] }[] }) => t.cases);
    const expects = (c: { assertions: { violations?: unknown; message?: string }[] }) => c.assertions.find((a) => a.message === undefined)?.violations;
    assert.ok(cases.some((c: never) => expects(c) === "no" || expects(c) === 0), `${s} has an allowed case`);
    assert.ok(cases.some((c: never) => expects(c) === "yes" || (typeof expects(c) === "number" && (expects(c) as number) > 0)), `${s} has a disallowed case`);
  }
  const samples = path.join(testsDir, "k8sallowedrepos", "samples");
  const objects = readdirSync(samples, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => parse(readFileSync(path.join(samples, f), "utf8")));
  assert.ok(objects.some((o) => Array.isArray(o?.spec?.initContainers) && o.spec.initContainers.length > 0), "an initContainers case exists");
});

test("flipping one character of the emitted Rego fails policyc test with a readable diff", async () => {
  const t = copyGenerated();
  const file = path.join(t.out, "manifests", "constrainttemplate-k8sallowedrepos.yaml");
  const text = readFileSync(file, "utf8");
  assert.ok(text.includes('"initContainers"'), "the emitted K8sAllowedRepos Rego checks initContainers");
  // One character: the rule for init containers now reads a field that does not exist.
  writeFileSync(file, text.replace('"initContainers"', '"initContainerz"'));
  const r = await cli(["--out", "generated"], t.dir);
  assert.is(r.code, 1);
  assert.match(r.stdout, /✗ K8sAllowedRepos › disallowed-init-container/);
  assert.match(r.stdout, /got 0 violations but want exactly 1/);
  assert.match(r.stdout, /--- generated\/tests\/k8sallowedrepos\/golden\.json \(expected\)\n\s+\+\+\+ engine \(actual\)/);
  assert.match(r.stdout, /\n\s+-container <init> has an invalid image repo <busybox:1\.36>/);
  assert.match(r.stdout.trimEnd().split("\n").pop()!, /^\d+ passed, 1 failed$/);
  t.cleanup();
});

test("--update records golden files deterministically; a missing golden fails the case", async () => {
  const t = copyGenerated();
  const golden = path.join(t.out, "tests", "k8sallowedrepos", "golden.json");
  const committed = readFileSync(golden, "utf8");
  rmSync(golden);
  const missing = await cli(["--out", "generated", "--filter", "allowed"], t.dir);
  assert.is(missing.code, 1);
  assert.match(missing.stdout, /PC4027: no golden entry for case 'K8sAllowedRepos › allowed-image'/);
  const updated = await cli(["--out", "generated", "--update"], t.dir);
  assert.is(updated.code, 0);
  assert.match(updated.stderr, /updated generated\/tests\/k8sallowedrepos\/golden\.json/);
  assert.is(readFileSync(golden, "utf8"), committed, "the same results give the same bytes");
  const withStale = JSON.parse(committed);
  withStale["K8sAllowedRepos"]["removed-case"] = [];
  writeFileSync(golden, JSON.stringify(withStale));
  const stale = await cli(["--out", "generated"], t.dir);
  assert.is(stale.code, 0, "a stale entry is a warning");
  assert.match(stale.stdout, /warning PC4028: .*'K8sAllowedRepos › removed-case'/);
  await cli(["--out", "generated", "--update"], t.dir);
  assert.is(readFileSync(golden, "utf8"), committed, "--update drops entries of removed cases");
  const json = await cli(["--out", "generated", "--reporter", "json"], t.dir);
  assert.is(JSON.parse(json.stdout).summary.failed, 0);
  assert.match(json.stderr, /^\d+ passed, 0 failed\n$/m);
  t.cleanup();
});

test.run();
