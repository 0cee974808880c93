// npm run gator-fixtures: a folder laid out as Gatekeeper's test/gator (suites, expand fixtures
// with input/ and output/, expand/test.bats exit codes) run through the built CLI. The folder here
// is written by the test; Gatekeeper's own copy is run by hand (docs/cli.md).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rmSync } from "node:fs";
import { runGatorFixtures } from "../../src/testing/gator-fixtures/run.js";
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

test.run();
