// Which constraints Gatekeeper accepts (facts from its target's constraint-validation tests,
// restated): the match block's shape, label selector operators, and — as Kubernetes' selector
// conversion checks them — label keys and values.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readTemplate } from "../../src/testing/gatekeeper/template.js";
import { validateConstraint } from "../../src/testing/gatekeeper/constraint.js";

const template = readTemplate({
  apiVersion: "templates.gatekeeper.sh/v1",
  kind: "ConstraintTemplate",
  metadata: { name: "k8sallowedrepos" },
  spec: {
    crd: { spec: { names: { kind: "K8sAllowedRepos" }, validation: { openAPIV3Schema: { type: "object", properties: { repos: { type: "array", items: { type: "string" } } } } } } },
    targets: [{ target: "admission.k8s.gatekeeper.sh", rego: 'package x\nviolation[{"msg": "m"}] { false }' }],
  },
});
const constraint = (match: unknown, spec: Record<string, unknown> = {}) => ({
  apiVersion: "constraints.gatekeeper.sh/v1beta1",
  kind: "K8sAllowedRepos",
  metadata: { name: "c" },
  spec: { match, parameters: { repos: ["openpolicyagent"] }, ...spec },
});
const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });

// [name, match, accepted]
const cases: [string, unknown, boolean][] = [
  ["kinds only, source All", { source: "All", kinds: [{ apiGroups: [""], kinds: ["Namespace"] }] }, true],
  ["a labelSelector with NotIn", { source: "Original", labelSelector: expr("someKey", "NotIn", ["some-value"]) }, true],
  ["labelSelector is a number", { labelSelector: 3 }, false],
  ["matchLabels is a number", { labelSelector: { matchLabels: 3 } }, false],
  ["an unknown operator", { labelSelector: expr("someKey", "Something Bad", ["some value"]) }, false],
  ["source Generated with In", { source: "Generated", labelSelector: expr("someKey", "In", ["some-value"]) }, true],
  ["a namespaceSelector with In", { namespaceSelector: expr("someKey", "In", ["some-value"]) }, true],
  ["namespaceSelector is a number", { namespaceSelector: 3 }, false],
  ["namespaceSelector's matchLabels is a number", { namespaceSelector: { matchLabels: 3 } }, false],
  ["namespaceSelector with an unknown operator", { namespaceSelector: expr("someKey", "Blah", ["some value"]) }, false],
  ["match is a number", 3, false],
  ["kinds is a number", { kinds: 3 }, false],
  ["In needs values", { labelSelector: expr("k", "In", []) }, false],
  ["Exists takes no values", { labelSelector: expr("k", "Exists", ["v"]) }, false],
  // Label keys and values, as Kubernetes checks them when it turns the selector into requirements.
  ["a prefixed key", { labelSelector: { matchLabels: { "app.kubernetes.io/name": "web" } } }, true],
  ["an empty value", { labelSelector: { matchLabels: { tier: "" } } }, true],
  ["a 63-character value", { labelSelector: { matchLabels: { tier: "a".repeat(63) } } }, true],
  ["a 64-character value", { labelSelector: { matchLabels: { tier: "a".repeat(64) } } }, false],
  ["a value with spaces", { labelSelector: { matchLabels: { tier: "not a valid value!" } } }, false],
  ["a key with spaces in matchExpressions", { labelSelector: expr("my key", "Exists") }, false],
  ["a value ending in '-' in matchExpressions", { labelSelector: expr("tier", "In", ["front-"]) }, false],
  ["a namespaceSelector key with two slashes", { namespaceSelector: { matchLabels: { "a/b/c": "x" } } }, false],
  ["a key whose prefix is not a DNS subdomain", { namespaceSelector: expr("Example.COM/team", "DoesNotExist") }, false],
];

for (const [name, match, ok] of cases) {
  test(`${ok ? "accepts" : "refuses"}: ${name}`, () => {
    const problem = validateConstraint(constraint(match), template);
    assert.is(problem === undefined, ok, problem?.message);
  });
}

test("enforcementAction dryrun, and an empty match, are accepted", () => {
  assert.is(validateConstraint(constraint({}, { enforcementAction: "dryrun" }), template), undefined);
  assert.is(validateConstraint(constraint({}), template), undefined);
});

test.run();
