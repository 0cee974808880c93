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

// Unknown fields: Gatekeeper's framework prunes the constraint against its CRD schema and refuses
// what the schema does not declare (since 2023; before, gator ignored them). No Gatekeeper release
// has `match.kinds[].versions`, so a constraint using it is refused rather than filtered by version.
const unknown = (c: Record<string, unknown>) => {
  const p = validateConstraint(c, template);
  return p?.kind === "invalid" ? { message: p.message, notes: p.notes ?? [] } : undefined;
};

test("an unknown field inside match.kinds[] is refused, naming the path and the fields allowed there", () => {
  const p = unknown(constraint({ kinds: [{ apiGroups: [""], versions: ["v1"], kinds: ["Pod"] }] }));
  assert.is(p?.message, "unknown fields: spec.match.kinds[0].versions");
  assert.equal(p?.notes, ["spec.match.kinds[0].versions: the fields allowed beside it are apiGroups, kinds"]);
  // The second entry of the list, and an apiVersions spelling, likewise.
  const second = unknown(constraint({ kinds: [{ apiGroups: [""], kinds: ["Pod"] }, { apiGroups: ["apps"], apiVersions: ["v1"], kinds: ["Deployment"] }] }));
  assert.is(second?.message, "unknown fields: spec.match.kinds[1].apiVersions");
  assert.match(second!.notes[0]!, /^spec\.match\.kinds\[1\]\.apiVersions: .*apiGroups, kinds$/);
});

test("a misspelt field of spec, match or a selector is refused with the nearest known name", () => {
  const typo = unknown(constraint({ kind: [{ apiGroups: [""], kinds: ["Pod"] }] }, { enforcementActon: "deny" }));
  // In the order the constraint's fields are written.
  assert.is(typo?.message, "unknown fields: spec.match.kind, spec.enforcementActon");
  assert.match(typo!.notes[0]!, /^spec\.match\.kind: did you mean 'kinds'\?/);
  assert.match(typo!.notes[1]!, /^spec\.enforcementActon: did you mean 'enforcementAction'\? the fields allowed beside it are enforcementAction, match, parameters, scopedEnforcementActions$/);
  const sel = unknown(constraint({ namespaceSelector: { matchLabel: { a: "b" } } }));
  assert.match(sel!.notes[0]!, /^spec\.match\.namespaceSelector\.matchLabel: did you mean 'matchLabels'\? the fields allowed beside it are matchExpressions, matchLabels$/);
  // A top-level field the CRD does not know is refused too.
  const top = unknown({ ...constraint({}), extra: 1 });
  assert.equal(top, { message: "unknown fields: extra", notes: ["extra: the fields allowed beside it are metadata, spec, status"] });
});

test("fields below a schema that keeps unknown fields (status, a legacy schema's parameters) are not refused", () => {
  assert.is(validateConstraint({ ...constraint({}), status: { anything: { goes: true } } }, template), undefined);
  const legacy = readTemplate({
    apiVersion: "templates.gatekeeper.sh/v1beta1",
    kind: "ConstraintTemplate",
    metadata: { name: "k8slegacy" },
    spec: {
      crd: { spec: { names: { kind: "K8sLegacy" }, validation: { openAPIV3Schema: { properties: { repos: { type: "array", items: { type: "string" } } } } } } },
      targets: [{ target: "admission.k8s.gatekeeper.sh", rego: 'package x\nviolation[{"msg": "m"}] { false }' }],
    },
  });
  const c = { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "K8sLegacy", metadata: { name: "c" }, spec: { parameters: { repos: ["a"], undeclared: { x: 1 } } } };
  assert.is(validateConstraint(c, legacy), undefined);
  const strict = unknown({ ...constraint({}), spec: { match: {}, parameters: { repos: ["a"], undeclared: 1 } } });
  assert.is(strict?.message, "unknown fields: spec.parameters.undeclared");
});

test.run();
