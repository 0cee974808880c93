// gator verify reads a test's template file and constraint file with one YAML decode each, which
// takes the file's first document and never looks at the others; a case's object file, in
// contrast, must hold exactly one object. So a constraints file with several constraints tests its
// first, a template bundled with its constraint is read, and a file that begins with anything but a
// ConstraintTemplate is no template, whatever follows.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { verify } from "../../src/testing/verify.js";
import { tempTree } from "../verify/fixtures.js";
import { templateYaml } from "../check/policy-yaml.js";

const deny = (kind: string, msg: string) => templateYaml(kind, `package ${kind.toLowerCase()}\nviolation[{"msg": "${msg}"}] {\n  true\n}`);
const constraint = (kind: string, name: string, matchKind: string) =>
  `apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n  match:\n    kinds: [{apiGroups: [""], kinds: ["${matchKind}"]}]\n`;
const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: default\n";
const secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: default\n";

const files: Record<string, string> = {
  "deny-a.yaml": deny("DenyA", "denied by A"),
  // Two constraints: the first matches ConfigMaps, the second Secrets.
  "constraints.yaml": `${constraint("DenyA", "configmaps", "ConfigMap")}---\n${constraint("DenyA", "secrets", "Secret")}`,
  // A template bundled with its constraint, as many repositories keep them.
  "bundle.yaml": `${deny("DenyB", "denied by B")}---\n${constraint("DenyB", "b", "ConfigMap")}`,
  "b-constraint.yaml": constraint("DenyB", "b", "ConfigMap"),
  // Two templates: only the first is the test's.
  "two-templates.yaml": `${deny("DenyC", "denied by C")}---\n${deny("DenyD", "denied by D")}`,
  "c-constraint.yaml": constraint("DenyC", "c", "ConfigMap"),
  "d-constraint.yaml": constraint("DenyD", "d", "ConfigMap"),
  // A constraint first: no template, though one follows.
  "constraint-first.yaml": `${constraint("DenyE", "e", "ConfigMap")}---\n${deny("DenyE", "denied by E")}`,
  "e-constraint.yaml": constraint("DenyE", "e", "ConfigMap"),
  "cm.yaml": configMap,
  "secret.yaml": secret,
  "suite.yaml": `apiVersion: test.gatekeeper.sh/v1alpha1
kind: Suite
tests:
- name: first-constraint
  template: deny-a.yaml
  constraint: constraints.yaml
  cases:
  - {name: configmap-denied, object: cm.yaml, assertions: [{violations: 1, message: denied by A}]}
  - {name: secret-not-matched, object: secret.yaml, assertions: [{violations: "no"}]}
- name: bundled-template
  template: bundle.yaml
  constraint: b-constraint.yaml
  cases:
  - {name: denied, object: cm.yaml, assertions: [{violations: 1, message: denied by B}]}
- name: first-of-two-templates
  template: two-templates.yaml
  constraint: c-constraint.yaml
  cases:
  - {name: denied, object: cm.yaml, assertions: [{violations: 1, message: denied by C}]}
- name: second-of-two-templates
  template: two-templates.yaml
  constraint: d-constraint.yaml
  cases:
  - {name: denied, object: cm.yaml, assertions: [{violations: 1}]}
- name: constraint-first
  template: constraint-first.yaml
  constraint: e-constraint.yaml
  cases:
  - {name: denied, object: cm.yaml, assertions: [{violations: 1}]}
`,
};

test("a test's template and constraint are the first documents of their files", async () => {
  const t = tempTree(files);
  try {
    const run = await verify([t.dir], { cwd: t.dir });
    const tests = new Map(run.suites[0]!.tests.map((x) => [x.name, x]));
    const status = Object.fromEntries([...tests].map(([n, x]) => [n, x.status]));
    assert.equal(status, {
      "first-constraint": "pass",
      "bundled-template": "pass",
      "first-of-two-templates": "pass",
      // The constraint's kind is the second template's, which gator never reads.
      "second-of-two-templates": "fail",
      "constraint-first": "fail",
    });
    const codes = (n: string) => tests.get(n)!.diagnostics.map((d) => d.code);
    assert.equal(codes("second-of-two-templates"), ["PC4009"]);
    assert.equal(codes("constraint-first"), ["PC4007"]);
    assert.match(tests.get("constraint-first")!.diagnostics[0]!.message, /its first document is a DenyE/);
  } finally {
    t.cleanup();
  }
});

test.run();
