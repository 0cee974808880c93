// npm run gator-fixtures: a folder laid out as Gatekeeper's test/gator (suites, expand fixtures
// with input/ and output/, expand/test.bats exit codes) run through the built CLI. The folder here
// is written by the test; Gatekeeper's own copy is run by hand (docs/cli.md).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rmSync } from "node:fs";
import { runGatorFixtures } from "../../src/testing/gator-fixtures/run.js";
import { gatekeeperE2eCases } from "../../src/testing/gator-fixtures/e2e-cases.js";
import { writeTree } from "../support/cli.js";

const template = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sfoois
spec:
  crd:
    spec:
      names:
        kind: K8sFooIs
  targets:
  - target: admission.k8s.gatekeeper.sh
    rego: |
      package foo
      violation[{"msg": "foo is not bar"}] {
        input.review.object.foo != "bar"
      }
`;
const constraint = "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sFooIs\nmetadata:\n  name: foo\n";
const suite = (cases: string) => `apiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\ntests:\n- name: foo\n  template: template.yaml\n  constraint: constraint.yaml\n  cases:\n${cases}`;
const expansion = `apiVersion: expansion.gatekeeper.sh/v1alpha1
kind: ExpansionTemplate
metadata:
  name: expand-foo
spec:
  applyTo:
  - groups: ["apps"]
    kinds: ["FooTemplate"]
    versions: ["v1"]
  templateSource: spec.template
  generatedGVK: {group: "", version: v1, kind: Foo}
`;

test("suites must pass (errors-* suites must fail), expand output must contain output.yaml with the exit code test.bats gives", () => {
  const dir = writeTree("policyc-gator-fixtures-", {
    "test/gator/verify/template.yaml": template,
    "test/gator/verify/constraint.yaml": constraint,
    "test/gator/verify/bar.yaml": "apiVersion: v1\nkind: Foo\nfoo: bar\n",
    "test/gator/verify/qux.yaml": "apiVersion: v1\nkind: Foo\nfoo: qux\n",
    "test/gator/verify/suite.yaml": suite("  - name: bar\n    object: bar.yaml\n    assertions: [{violations: \"no\"}]\n  - name: qux\n    object: qux.yaml\n    assertions: [{violations: 1}]\n"),
    "test/gator/verify/wrong.yaml": suite("  - name: bar\n    object: bar.yaml\n    assertions: [{violations: \"yes\"}]\n"),
    "test/gator/verify/errors-cases.yaml": suite("  - name: no assertions\n    object: bar.yaml\n"),
    "test/gator/expand/test.bats": 'test_dir "foo" 0\n',
    "test/gator/expand/fixtures/foo/input/in.yaml": `${expansion}---\napiVersion: apps/v1\nkind: FooTemplate\nmetadata:\n  name: t\nspec:\n  template:\n    foo: bar\n`,
    "test/gator/expand/fixtures/foo/output/output.yaml":
      'apiVersion: v1\nfoo: bar\nkind: Foo\nmetadata:\n  name: t-foo\n  ownerReferences:\n  - apiVersion: apps/v1\n    kind: FooTemplate\n    name: t\n    uid: ""\n',
    "test/gator/expand/fixtures/other/input/in.yaml": `${expansion}---\napiVersion: apps/v1\nkind: FooTemplate\nmetadata:\n  name: u\nspec:\n  template:\n    foo: qux\n`,
    "test/gator/expand/fixtures/other/output/output.yaml": "apiVersion: v1\nfoo: bar\nkind: Foo\n",
  });
  try {
    const out = runGatorFixtures(dir);
    const by = (name: string) => out.find((o) => o.name.endsWith(name))?.status;
    assert.is(by("verify/suite.yaml"), "pass");
    assert.is(by("verify/wrong.yaml"), "fail", "a case that fails fails its suite");
    assert.is(by("verify/errors-cases.yaml"), "pass", "an errors- suite passes when its cases fail");
    assert.is(by("foo"), "pass");
    assert.is(by("other"), "fail", "an output that does not contain output.yaml fails");
    assert.is(out.length, 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("e2e: a checkout's cluster runs answer as the cluster would (admitted or denied, the message), runs whose files are absent are skipped", () => {
  const labels = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8srequiredlabels
spec:
  crd:
    spec:
      names:
        kind: K8sRequiredLabels
  targets:
  - target: admission.k8s.gatekeeper.sh
    rego: |
      package k8srequiredlabels
      violation[{"msg": "labels missing"}] {
        not input.review.object.metadata.labels.gatekeeper
      }
`;
  const cm = "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\nmetadata:\n  name: cm-must-have-gk\nspec:\n  match:\n    kinds: [{apiGroups: [\"\"], kinds: [ConfigMap]}]\n";
  const tree = (nsLabels: string) => ({
    "test/bats/tests/templates/k8srequiredlabels_template.yaml": labels,
    "test/bats/tests/constraints/all_cm_must_have_gatekeeper.yaml": cm,
    "test/bats/tests/bad/ignore_label_ns.yaml": `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: sneaky\n  labels: {${nsLabels}}\n`,
  });
  const refused = writeTree("policyc-gator-e2e-", tree('"admission.gatekeeper.sh/ignore": "yes"'));
  const admitted = writeTree("policyc-gator-e2e-", tree("team: a"));
  try {
    const name = "a Namespace that is not exempt may not carry admission.gatekeeper.sh/ignore";
    const out = runGatorFixtures(refused).filter((o) => o.group === "e2e");
    assert.is(out.find((o) => o.name === name)?.status, "pass");
    const present = new Set(Object.keys(tree("")));
    for (const c of gatekeeperE2eCases.filter((c) => c.files.some((f) => !present.has(f))))
      assert.is(out.find((o) => o.name === c.name)?.status, "skip", `${c.name}: its files are absent`);
    const wrong = runGatorFixtures(admitted).find((o) => o.name === name);
    assert.is(wrong?.status, "fail", "a Namespace the webhook admits fails a run that expects a refusal");
    assert.match(wrong?.detail ?? "", /exit 0, want 1 \(denied\)/);
  } finally {
    rmSync(refused, { recursive: true, force: true });
    rmSync(admitted, { recursive: true, force: true });
  }
});

test.run();
