// `policyc verify` as gator users run it: which files a path selects (gator reads a directory's own
// files, `DIR/...` the whole tree) and which engine a template with both CEL and Rego runs on (gator's
// --enable-k8s-native-validation, true by default).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, writeTree } from "../support/cli.js";
import { twoEngineTemplateYaml } from "../check/policy-yaml.js";

const suite = (name: string, up = "") => `apiVersion: test.gatekeeper.sh/v1alpha1
kind: Suite
tests:
- name: ${name}
  template: ${up}template.yaml
  constraint: ${up}constraint.yaml
  cases:
  - name: ${name}-case
    object: ${up}pod.yaml
    assertions:
    - violations: 1
`;

// The two engines word the same finding differently, so a message assertion tells which one ran.
const twoEngineTemplate = twoEngineTemplateYaml(
  "K8sEngine",
  { expression: "!has(object.metadata.labels) || !('tier' in object.metadata.labels)", message: "judged by CEL: the tier label is set" },
  `package k8sengine
violation[{"msg": "judged by Rego: the tier label is set"}] {
  input.review.object.metadata.labels.tier
}`,
);
const constraint = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sEngine
metadata: {name: engine}
spec: {match: {kinds: [{apiGroups: [""], kinds: [Pod]}]}}
`;
const pod = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default, labels: {tier: web}}
spec: {containers: [{name: c, image: nginx}]}
`;
const engineSuite = (engine: string) => `apiVersion: test.gatekeeper.sh/v1alpha1
kind: Suite
tests:
- name: engine
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: labelled
    object: pod.yaml
    assertions:
    - violations: 1
      message: "^judged by ${engine}:"
`;

async function engineRun(engine: string, flags: string[]) {
  const dir = writeTree("policyc-gator-cli-", { "suite.yaml": engineSuite(engine), "template.yaml": twoEngineTemplate, "constraint.yaml": constraint, "pod.yaml": pod });
  try {
    return await runCli(["verify", "--no-color", ...flags, "suite.yaml"], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a template with CEL and Rego runs on CEL by default, as gator's --enable-k8s-native-validation defaults to true", async () => {
  assert.is((await engineRun("CEL", [])).code, 0);
  assert.is((await engineRun("Rego", [])).code, 1, "the Rego must not be what judged the case");
  assert.is((await engineRun("CEL", ["--enable-k8s-native-validation"])).code, 0);
  assert.is((await engineRun("CEL", ["--enable-k8s-native-validation=true"])).code, 0);
});

test("--enable-k8s-native-validation=false (gator's spelling) and --disable-k8s-native-validation run the Rego", async () => {
  assert.is((await engineRun("Rego", ["--enable-k8s-native-validation=false"])).code, 0);
  assert.is((await engineRun("Rego", ["--disable-k8s-native-validation"])).code, 0);
  assert.is((await engineRun("CEL", ["--enable-k8s-native-validation=false"])).code, 1);
});

test("of the two spellings the last one given wins", async () => {
  assert.is((await engineRun("CEL", ["--disable-k8s-native-validation", "--enable-k8s-native-validation"])).code, 0);
  assert.is((await engineRun("Rego", ["--enable-k8s-native-validation", "--enable-k8s-native-validation=false"])).code, 0);
  assert.is((await engineRun("Rego", ["--enable-k8s-native-validation=true", "--disable-k8s-native-validation"])).code, 0);
});

// A tree with a suite at each of three depths; every suite passes, so the count of passed cases
// says which files the path selected.
const simpleTemplate = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8stier}
spec:
  crd: {spec: {names: {kind: K8sTier}}}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8stier
        violation[{"msg": "tier label set"}] { input.review.object.metadata.labels.tier }
`;
const tierConstraint = constraint.replace(/K8sEngine/g, "K8sTier").replace("name: engine", "name: tier");

function tree(): string {
  return writeTree("policyc-gator-paths-", {
    "template.yaml": simpleTemplate,
    "constraint.yaml": tierConstraint,
    "pod.yaml": pod,
    "top.yaml": suite("top"),
    "sub/mid.yaml": suite("mid", "../"),
    "sub/deeper/low.yml": suite("low", "../../"),
    "only-below/x/s.yaml": suite("x", "../../"),
  });
}

async function passedIn(dir: string, path: string) {
  const r = await runCli(["verify", "--no-color", path], dir);
  const out = r.stdout + r.stderr;
  // The last line is the run's total ("N passed, N failed").
  const total = [...out.matchAll(/^(\d+) passed, \d+ failed/gm)].pop();
  return { code: r.code, out, passed: Number(total?.[1] ?? -1) };
}

test("a directory is read as gator reads it: its own files only", async () => {
  const dir = tree();
  try {
    assert.is((await passedIn(dir, ".")).passed, 1);
    assert.is((await passedIn(dir, "sub")).passed, 1);
    assert.is((await passedIn(dir, "sub/deeper")).passed, 1, ".yml files count too");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("suites that hold no tests fail with PC4029 (gator reads them as Suites and runs nothing): another apiVersion, no tests, an empty list", async () => {
  // gator takes any file of group test.gatekeeper.sh and kind Suite as a Suite and ignores the fields
  // it does not know, so a suite written in another shape passes without running a case.
  const dir = writeTree("policyc-gator-notests-", {
    "other/suite.yaml": "apiVersion: test.gatekeeper.sh/v1beta1\nkind: Suite\nspec:\n  cases:\n  - name: x\n",
    "absent/suite.yaml": "apiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\nmetadata: {name: empty}\n",
    "empty/suite.yaml": "apiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\ntests: []\n",
  });
  try {
    const other = await passedIn(dir, "other");
    assert.is(other.code, 1);
    assert.match(other.out, /error PC4029: the suites found under 'other' hold no tests/);
    assert.match(other.out, /other\/suite\.yaml has no 'tests' \(gator ignores its 'spec'\)/);
    for (const d of ["absent", "empty"]) {
      const r = await passedIn(dir, d);
      assert.is(r.code, 1, d);
      assert.match(r.out, new RegExp(`PC4029.*'${d}'`), d);
    }
    // A suite marked skip is skipped, as gator skips it, tests or none.
    const skipped = writeTree("policyc-gator-skipped-", { "s.yaml": "apiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\nskip: true\n" });
    const skip = await passedIn(skipped, ".");
    rmSync(skipped, { recursive: true, force: true });
    assert.is(skip.code, 0, skip.out);
    assert.not.match(skip.out, /PC4029/);
    // Beside a suite that has a test, an empty one is what gator runs: nothing, and no error.
    const withTests = tree();
    writeFileSync(path.join(withTests, "empty.yaml"), "apiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\ntests: []\n");
    const mixed = await passedIn(withTests, ".");
    rmSync(withTests, { recursive: true, force: true });
    assert.is(mixed.code, 0, mixed.out);
    assert.is(mixed.passed, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("DIR/... reads the directory and every directory below it", async () => {
  const dir = tree();
  try {
    assert.is((await passedIn(dir, "./...")).passed, 4);
    assert.is((await passedIn(dir, "sub/...")).passed, 2);
    assert.is((await passedIn(dir, "only-below/...")).passed, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a directory whose suites all lie below it fails with PC4022 and says to add /...", async () => {
  const dir = tree();
  try {
    const r = await passedIn(dir, "only-below");
    assert.is(r.code, 1);
    assert.match(r.out, /PC4022/);
    assert.match(r.out, /1 suite file below 'only-below'.*run 'only-below\/\.\.\.'/);
    const file = await passedIn(dir, "top.yaml/...");
    assert.is(file.code, 1);
    assert.match(file.out, /PC4018.*only a directory can be traversed/);
    const empty = writeTree("policyc-gator-empty-", { "a.yaml": "a: 1\n" });
    const none = await passedIn(empty, ".");
    rmSync(empty, { recursive: true, force: true });
    assert.match(none.out, /PC4022/);
    assert.not.match(none.out, /suite files? below/, "no hint when there is nothing below either");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
