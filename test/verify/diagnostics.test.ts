import { test } from "uvu";
import * as assert from "uvu/assert";
import { verify } from "../../src/testing/verify.js";
import { allDiagnostics, countResults } from "../../src/testing/run/results.js";
import { readFileSync } from "node:fs";
import { renderDiagnostic } from "../../src/diagnostics/index.js";
import { command } from "../../src/cli/commands/verify.js";
import { constraintYaml, fakeBackend, podYaml, templateYaml, tempTree } from "./fixtures.js";

const backend = fakeBackend({ "k8sdemo/violation": () => [] });
const header = "apiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\ntests:\n";
const okTest = `- name: fine
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: ok
    object: pod.yaml
    assertions: [{violations: "no"}]
`;
const common = {
  "template.yaml": templateYaml("K8sDemo", "k8sdemo"),
  "constraint.yaml": constraintYaml("K8sDemo"),
  "pod.yaml": podYaml("p", "x"),
};

/** Runs one suite body beside a passing test and returns the codes with their line numbers. */
async function problems(body: string, extra: Record<string, string> = {}) {
  const t = tempTree({ ...common, ...extra, "suite.yaml": header + okTest + body });
  const run = await verify([t.dir], { cwd: t.dir, backend });
  t.cleanup();
  const ds = allDiagnostics(run).map((d) => `${d.code}@${d.span?.file.split("/").pop()}:${d.span?.line}`);
  return { run, ds, counts: countResults(run) };
}

test("object file with several objects: PC4005 at the reference, the run continues", async () => {
  const { ds, counts } = await problems(
    `- name: t
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: two
    object: two.yaml
    assertions: [{violations: "no"}]
`,
    { "two.yaml": podYaml("a", "x") + "---\n" + podYaml("b", "y") },
  );
  assert.equal(ds, ["PC4005@suite.yaml:16"]);
  assert.equal(counts, { passed: 1, failed: 1, skipped: 0 });
});

test("missing sample, inventory and template files: PC4001 naming the file", async () => {
  const { ds, run } = await problems(`- name: t
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: no-object
    object: nope.yaml
    assertions: [{violations: "no"}]
  - name: no-inventory
    object: pod.yaml
    inventory: [gone.yaml]
    assertions: [{violations: "no"}]
- name: t2
  template: missing-template.yaml
  constraint: constraint.yaml
  cases:
  - name: c
    object: pod.yaml
    assertions: [{violations: "no"}]
`);
  assert.equal(ds, ["PC4001@suite.yaml:16", "PC4001@suite.yaml:20", "PC4001@suite.yaml:23"]);
  assert.match(allDiagnostics(run)[2]!.message, /template file 'missing-template.yaml' does not exist/);
});

test("a template file that is not a ConstraintTemplate, and a constraint of the wrong kind", async () => {
  const { ds } = await problems(
    `- name: t
  template: pod.yaml
  constraint: constraint.yaml
  cases: []
- name: t2
  template: template.yaml
  constraint: other.yaml
  cases: []
`,
    { "other.yaml": constraintYaml("K8sOther") },
  );
  assert.equal(ds, ["PC4007@suite.yaml:12", "PC4009@suite.yaml:17"]);
});

test("wrongly shaped assertions: PC4010, PC4003, PC4013, PC4011 with their lines", async () => {
  const { ds, counts } = await problems(`- name: t
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: bool
    object: pod.yaml
    assertions: [{violations: true}]
  - name: negative
    object: pod.yaml
    assertions:
    - violations: -1
  - name: word
    object: pod.yaml
    assertions:
    - violations: maybe
  - name: message-not-string
    object: pod.yaml
    assertions:
    - message: [a]
  - name: bad-regex
    object: pod.yaml
    assertions:
    - message: "(unclosed"
  - name: empty
    object: pod.yaml
    assertions: []
  - name: missing-object
    assertions: [{violations: "no"}]
`);
  assert.equal(ds, [
    "PC4010@suite.yaml:17",
    "PC4010@suite.yaml:21",
    "PC4010@suite.yaml:25",
    "PC4003@suite.yaml:29",
    "PC4013@suite.yaml:33",
    "PC4011@suite.yaml:36",
    "PC4004@suite.yaml:37",
  ]);
  assert.equal(counts, { passed: 1, failed: 7, skipped: 0 });
});

test("suite-level problems: invalid YAML (PC4002), tests not a list, invalid with cases, unknown fields warn", async () => {
  const t = tempTree({
    ...common,
    "a/suite.yaml": "apiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\ntests:\n  - name: [unclosed\n",
    "b/suite.yaml": "apiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\ntests: {}\n",
    "c/suite.yaml":
      header +
      "- name: both\n  template: ../template.yaml\n  constraint: ../constraint.yaml\n  invalid: true\n  colour: red\n  cases:\n  - name: c\n    object: ../pod.yaml\n    assertions: [{violations: 'no'}]\n",
    "d/suite.yaml": header + okTest.replace(/template.yaml|constraint.yaml|pod.yaml/g, "../$&"),
    "not-a-suite.yaml": "kind: Other\n",
  });
  const run = await verify([t.dir], { cwd: t.dir, backend });
  const ds = allDiagnostics(run).map((d) => `${d.code}@${d.span?.file}:${d.span?.line}`);
  assert.equal(ds, ["PC4002@a/suite.yaml:5", "PC4003@b/suite.yaml:3", "PC4012@c/suite.yaml:7", "PC4020@c/suite.yaml:8"]);
  assert.equal(countResults(run), { passed: 1, failed: 3, skipped: 0 }, "one bad suite does not stop the others");
  assert.is(run.suites.length, 4, "non-suite YAML is ignored");
  t.cleanup();
});

test("CLI: exit 1 on failure, summary last line, bad paths and filters are diagnostics", async () => {
  const t = tempTree({ ...common, "suite.yaml": header + okTest, "bad/suite.yaml": header + "- name: x\n" });
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), cwd: t.dir };
  // The default back end is the real engine; the suite in bad/ fails before reaching it.
  const code = await command.run(["bad", "missing-dir"], io);
  assert.is(code, 1);
  const text = out.join("");
  assert.match(text, /missing-dir.*does not exist/);
  assert.match(text, /bad\/suite\.yaml:4:\d+: error PC4004: 'template' is required/);
  assert.is(text.trimEnd().split("\n").pop(), "0 passed, 2 failed");
  out.length = 0;
  assert.is(await command.run(["pod.yaml"], io), 1, "a file named explicitly must be a suite");
  assert.match(out.join(""), /pod\.yaml:2:7: error PC4023: 'pod\.yaml' is not a gator Suite/);
  assert.is(await command.run(["--run", "a//b//c", "."], io), 1);
  assert.match(out.join(""), /PC4017/);
  assert.is(await command.run(["--reporter", "xml", "."], io), 1);
  out.length = 0;
  assert.is(await command.run(["--reporter", "junit", "--output", "report.xml", "suite.yaml"], { ...io, stdout: (s: string) => out.push(s) }), 1);
  assert.match(readFileSync(`${t.dir}/report.xml`, "utf8"), /^<\?xml version="1\.0"[^]*<testcase classname="suite\.yaml\.fine" name="ok"/);
  assert.is(out.join("").trimEnd().split("\n").pop(), "0 passed, 1 failed", "stdout ends with the summary; the engine is not given a fake here");
  t.cleanup();
});

test("an expansion file without an ExpansionTemplate fails its test (PC4031 at the reference); the other test still runs", async () => {
  const { ds, counts } = await problems("- name: t\n  template: template.yaml\n  constraint: constraint.yaml\n  expansion: pod.yaml\n  cases:\n  - name: c\n    object: pod.yaml\n    assertions: [{violations: 'no'}]\n");
  assert.equal(ds, ["PC4031@suite.yaml:14"]);
  assert.equal(counts, { passed: 1, failed: 1, skipped: 0 });
});

test("Rego Gatekeeper would reject (PC4030): disallowed data refs, imports, lib packages, no violation rule", async () => {
  const bad = templateYaml("K8sDemo", "k8sdemo").replace('violation[{"msg": msg}] { msg := "x" }', 'violation[{"msg": msg}] { msg := data.config.x }');
  const { run, ds } = await problems("- name: t\n  template: bad-template.yaml\n  constraint: constraint.yaml\n  cases: []\n", { "bad-template.yaml": bad });
  assert.equal(ds, ["PC4030@suite.yaml:12"]);
  assert.match(allDiagnostics(run)[0]!.message, /reference data\.config\.x at .* is not allowed/);
});

test("Rego compile errors point into the template file (PC4016 with the engine's diagnostics)", async () => {
  const broken = templateYaml("K8sDemo", "k8sdemo").replace('violation[{"msg": msg}] { msg := "x" }', 'violation[{"msg": msg}] { msg := }');
  const t = tempTree({ ...common, "template.yaml": broken, "suite.yaml": header + okTest });
  const run = await verify([t.dir], { cwd: t.dir });
  t.cleanup();
  const d = allDiagnostics(run).find((x) => x.code === "PC4016")!;
  assert.ok(d, "compile failure reported");
  const lines = broken.split("\n");
  const row = lines.findIndex((l) => l.includes("msg := }")) + 1;
  assert.match(d.notes?.[0] ?? "", new RegExp(`^template\\.yaml:${row}:\\d+: PC50\\d\\d`));
});

test("diagnostics render with file:line:col", async () => {
  const { run } = await problems("- name: t\n  template: template.yaml\n  constraint: constraint.yaml\n  cases:\n  - name: c\n    object: pod.yaml\n    assertions: [{violations: maybe}]\n");
  const d = allDiagnostics(run)[0]!;
  assert.match(renderDiagnostic(d), /suite\.yaml:17:\d+: error PC4010: assertion 'violations' must be "yes", "no" or an integer >= 0, got string "maybe"/);
});

test.run();
