// ConstraintTemplate and Constraint objects: Rego v0/v1 placement, Argo CD annotations, key order.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { constraintObject, constraintsEmitter } from "../../src/emit/gatekeeper/constraints.js";
import { constraintKindSchema, kubeconformPath } from "../../src/emit/gatekeeper/kubeconform.js";
import { templateObject } from "../../src/emit/gatekeeper/templates.js";
import { toYaml } from "../../src/emit/yaml.js";
import { check, config, constraint, project } from "./ir.js";
import { Ajv } from "ajv";

type Obj = Record<string, any>;

test("v0 puts Rego and libs in the legacy fields", () => {
  const c = check("K8sA");
  c.body.libs = [{ text: "package lib.x\n", origin: { file: "l.rego", line: 1, col: 1, colOffset: 0 } }];
  const t = templateObject(c, config()) as Obj;
  assert.equal(t.spec.targets, [{ target: "admission.k8s.gatekeeper.sh", rego: c.body.main.text, libs: ["package lib.x\n"] }]);
});

test("a v1 check uses code[] with source.version v1 and no legacy rego field, whatever the config's default", () => {
  const c = check("K8sA", { regoVersion: "v1" });
  const t = templateObject(c, config({ regoVersion: "v0" })) as Obj;
  assert.equal(t.spec.targets, [{ target: "admission.k8s.gatekeeper.sh", code: [{ engine: "Rego", source: { version: "v1", rego: c.body.main.text } }] }]);
});

test("template name is lowercase(kind); parameters schema under validation.openAPIV3Schema", () => {
  const t = templateObject(check("K8sAllowedRepos", { title: "T", severity: "high", remediation: "Use a mirror.", docsUrl: "https://wiki.example.com/repos" }), config()) as Obj;
  assert.is(t.metadata.name, "k8sallowedrepos");
  assert.is(t.spec.crd.spec.names.kind, "K8sAllowedRepos");
  assert.is(t.spec.crd.spec.validation.openAPIV3Schema.properties.repos.type, "array");
  assert.equal(t.metadata.annotations, {
    "metadata.gatekeeper.sh/title": "T",
    description: "d",
    "policyc.dev/severity": "high",
    "policyc.dev/remediation": "Use a mirror.",
    "policyc.dev/docs-url": "https://wiki.example.com/repos",
    "argocd.argoproj.io/sync-wave": "0",
  });
});

test("constraints skip Argo CD's dry run and sync after templates; annotations can be switched off", () => {
  const on = constraintObject(constraint("K8sA", "a"), config()) as Obj;
  assert.equal(on.metadata.annotations, {
    "argocd.argoproj.io/sync-options": "SkipDryRunOnMissingResource=true",
    "argocd.argoproj.io/sync-wave": "1",
  });
  const off = constraintObject(constraint("K8sA", "a"), config({ argocd: { enabled: false, templatesWave: 0, constraintsWave: 1 } })) as Obj;
  assert.is(off.metadata.annotations, undefined);
  const t = templateObject(check("K8sA"), config({ argocd: { enabled: false, templatesWave: 0, constraintsWave: 1 } })) as Obj;
  assert.is(t.metadata.annotations?.["argocd.argoproj.io/sync-wave"], undefined);
});

test("YAML puts apiVersion, kind, metadata, spec first and ends with one newline", () => {
  const text = toYaml({ spec: { a: 1 }, metadata: { name: "x" }, kind: "K", apiVersion: "v1" });
  assert.is(text, "apiVersion: v1\nkind: K\nmetadata:\n  name: x\nspec:\n  a: 1\n");
});

test("one file per constraint, named after kind and name", () => {
  const out = constraintsEmitter.emit(project({ constraints: [constraint("K8sA", "one"), constraint("K8sA", "two")] }), config());
  assert.equal(out.files.map((f) => f.path), ["manifests/k8sa-one.yaml", "manifests/k8sa-two.yaml"]);
});

test("kubeconform schema: kubeconform's path layout, accepts a good constraint, rejects unknown and mistyped fields", () => {
  const c = check("K8sAllowedRepos");
  assert.is(kubeconformPath(c.kind), "schemas/constraints.gatekeeper.sh/k8sallowedrepos_v1beta1.json");
  const validate = new Ajv({ strict: false }).compile(constraintKindSchema(c));
  const good = constraintObject(constraint(c.kind, "prod-repo", { parameters: { repos: ["r"] }, match: { namespaces: ["a-*"] } }), config());
  assert.ok(validate(good), JSON.stringify(validate.errors));
  const bad = (mutate: (o: Obj) => void) => {
    const o = structuredClone(good) as Obj;
    mutate(o);
    return validate(o);
  };
  assert.not.ok(bad((o) => (o.spec.parameters.repos = "r")));
  assert.not.ok(bad((o) => (o.spec.parameters.extra = 1)));
  assert.not.ok(bad((o) => (o.spec.match.namespaces = ["Bad_NS"])));
  assert.not.ok(bad((o) => (o.spec.unknown = true)));
  assert.not.ok(bad((o) => (o.kind = "Other")));
});

test.run();
