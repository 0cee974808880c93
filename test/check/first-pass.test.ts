// policyc check's first pass parses only documents that may hold a policy object or a Namespace:
// the pattern must find them in every way YAML and JSON write an apiVersion, and must not take the
// group names that images, labels and annotations carry in an ordinary manifest.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCheck } from "../../src/testing/check/run.js";
import { policyDocumentPattern } from "../../src/testing/gatekeeper/policy-set.js";
import { projectRoot } from "../support/shared.js";

test("the policy pattern finds each policy group's apiVersion however it is written", () => {
  const p = policyDocumentPattern();
  for (const text of [
    "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\n",
    "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\n",
    "apiVersion: 'mutations.gatekeeper.sh/v1'\nkind: Assign\n",
    'apiVersion: "expansion.gatekeeper.sh/v1beta1"\nkind: ExpansionTemplate\n',
    "kind: Config\napiVersion:   config.gatekeeper.sh/v1alpha1\n",
    "apiVersion:\n  deckhouse.io/v1alpha1\nkind: SecurityPolicy\n",
    "{apiVersion: deckhouse.io/v1alpha1, kind: OperationPolicy}\n",
    '{"kind":"ModuleConfig","apiVersion":"deckhouse.io/v1alpha1"}',
    '{"apiVersion" : "templates.gatekeeper.sh\\/v1", "kind": "ConstraintTemplate"}',
  ])
    assert.ok(p.test(text), text);
});

test("the policy pattern leaves manifests that only mention the groups", () => {
  const p = policyDocumentPattern();
  for (const text of [
    "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {security.deckhouse.io/pod-policy: restricted}\nspec:\n  containers: [{name: c, image: registry.deckhouse.io/app:1}]\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations: {metadata.gatekeeper.sh/requires-sync-data: x}\n",
    '{"apiVersion":"v1","kind":"ConfigMap","data":{"url":"https://gatekeeper.sh/docs"}}',
  ])
    assert.not.ok(p.test(text), text);
});

test("policy objects written in JSON and flow style among the inputs join the set; a Pod that names the groups is checked", async () => {
  const template = {
    apiVersion: "templates.gatekeeper.sh/v1",
    kind: "ConstraintTemplate",
    metadata: { name: "denyall" },
    spec: {
      crd: { spec: { names: { kind: "DenyAll" } } },
      targets: [{ target: "admission.k8s.gatekeeper.sh", rego: 'package denyall\nviolation[{"msg": "denied"}] { true }\n' }],
    },
  };
  const stdinText = [
    // JSON with the slash escaped, as some serializers write it.
    JSON.stringify(template).replace("templates.gatekeeper.sh/v1", "templates.gatekeeper.sh\\/v1"),
    "{apiVersion: constraints.gatekeeper.sh/v1beta1, kind: DenyAll, metadata: {name: all}, spec: {match: {kinds: [{apiGroups: [''], kinds: [Pod]}]}}}",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop, labels: {security.deckhouse.io/pod-policy: restricted}}\nspec: {containers: [{name: c, image: registry.deckhouse.io/app:1}]}",
  ].join("\n---\n");
  const run = await runCheck({
    cwd: projectRoot,
    inputs: ["-"],
    stdinText,
    policies: { kind: "inputs" },
    settings: { operation: "CREATE", defaultNamespace: "default" },
    workers: 1,
  });
  assert.equal(run.diagnostics.filter((d) => d.severity === "error"), []);
  assert.equal(run.policies.templates, 1);
  assert.equal(run.policies.constraints, 1);
  // The template and constraint are reviewed too, as gator and the webhook review them; the constraint selects Pods only.
  assert.equal(run.results.map((r) => [r.kind, r.violations.map((v) => v.msg)]), [["ConstraintTemplate", []], ["DenyAll", []], ["Pod", ["denied"]]]);
});

test.run();
