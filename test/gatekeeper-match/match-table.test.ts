// The match criteria case by case as Gatekeeper decides them (facts from its match tests,
// restated). As for a mutation request, the object carries no metadata.namespace: the Namespace is
// given beside it (`ns`; `{}` is Gatekeeper's empty Namespace, undefined none at all).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { matchesObject, mayMatchKinds, type Match } from "../../src/testing/gatekeeper/match.js";
import { appliesTo, readApplyTo } from "../../src/testing/gatekeeper/apply-to.js";
import { gvkOf, type KubeObject } from "../../src/testing/gatekeeper/objects.js";

const obj = (labels?: Record<string, string>): KubeObject => ({ apiVersion: "group/v1", kind: "kind", metadata: { name: "name", ...(labels ? { labels } : {}) } });
const namespaceObj = (labels: Record<string, string>): KubeObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: "namespace", labels } });
const ns = (name?: string, labels?: Record<string, string>): KubeObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { ...(name ? { name } : {}), ...(labels ? { labels } : {}) } });
const kg = (kinds?: string[], apiGroups?: string[]) => ({ ...(kinds ? { kinds } : {}), ...(apiGroups ? { apiGroups } : {}) });

// [name, object, match, namespace, matches]
const cases: [string, KubeObject, Match, KubeObject | undefined, boolean][] = [
  ["empty kinds and groups match everything", obj(), { kinds: [kg([], [])] }, ns(), true],
  ["empty kinds in the wildcard group", obj(), { kinds: [kg([], ["*"])] }, ns(), true],
  ["empty kinds in another group do not match", obj(), { kinds: [kg([], ["rbac"])] }, ns(), false],
  ["* kind in * group", obj(), { kinds: [kg(["*"], ["*"])] }, ns(), true],
  ["a second entry with only groups matches", obj(), { kinds: [kg(["notmatching", "neithermatching"], ["*"]), kg(undefined, ["*"])] }, ns(), true],
  ["a kind without groups matches any group", obj(), { kinds: [kg(["kind", "neithermatching"])] }, ns(), true],
  ["the second entry names the kind", obj(), { kinds: [kg(["notmatching", "neithermatching"], ["*"]), kg(["notmatching", "kind"], ["*"])] }, ns(), true],
  ["the kind's entry names another group", obj(), { kinds: [kg(["notmatching", "neithermatching"], ["*"]), kg(["notmatching", "kind"], ["notmatchinggroup"])] }, ns(), false],
  ["namespaces lists the Namespace's name", obj(), { namespaces: ["nonmatching", "namespace"] }, ns("namespace"), true],
  ["namespaces with a prefix glob", obj(), { namespaces: ["nonmatching", "kube-*"] }, ns("kube-system"), true],
  ["namespaces with a suffix glob", obj(), { namespaces: ["*-system"] }, ns("kube-system"), true],
  ["the Namespace is not listed", obj(), { namespaces: ["nonmatching", "notmatchingeither"] }, ns(), false],
  ["a Namespace given makes the object namespaced: scope Cluster fails", obj(), { namespaces: ["nonmatching", "namespace"], scope: "Cluster" }, ns(), false],
  ["excluded wins over included", obj(), { kinds: [kg(["kind"], ["group"])], namespaces: ["nonmatching", "namespace"], excludedNamespaces: ["namespace"] }, ns(), false],
  ["excluded by a glob", obj(), { kinds: [kg(["kind"], ["group"])], namespaces: ["nonmatching", "kube-*"], excludedNamespaces: ["kube-*"] }, ns("kube-system"), false],
  ["scope Namespaced fails without a Namespace", obj(), { kinds: [kg(["kind"], ["group"])], scope: "Namespaced" }, undefined, false],
  ["scope Namespaced holds with Gatekeeper's empty Namespace", obj(), { scope: "Namespaced" }, ns(), true],
  ["a misspelt scope matches every scope", obj(), { scope: "cluster" }, ns("a"), true],
  ["labelSelector matches the object's labels", obj({ labelname: "labelvalue" }), { kinds: [kg(["kind"], ["group"])], labelSelector: { matchLabels: { labelname: "labelvalue" } } }, ns(), true],
  [
    "labelSelector needs every label",
    obj({ labelname: "labelvalue" }),
    { kinds: [kg(["kind"], ["group"])], labelSelector: { matchLabels: { labelname: "labelvalue", labelnotmatching: "foo" } } },
    ns(),
    false,
  ],
  ["namespaceSelector reads the Namespace's labels", obj(), { kinds: [kg(["kind"], ["group"])], namespaceSelector: { matchLabels: { labelname: "labelvalue" } } }, ns("foo", { labelname: "labelvalue" }), true],
  [
    "namespaceSelector needs every label of the Namespace",
    obj(),
    { kinds: [kg(["kind"], ["group"])], namespaceSelector: { matchLabels: { labelname: "labelvalue", foo: "bar" } } },
    ns("foo", { labelname: "labelvalue" }),
    false,
  ],
  ["namespaceSelector does not apply to cluster-scoped objects", obj(), { kinds: [kg(["kind"], ["group"])], namespaceSelector: { matchLabels: { foo: "bar" } } }, undefined, true],
  ["namespaceSelector reads a Namespace object's own labels", namespaceObj({ labelname: "labelvalue" }), { namespaceSelector: { matchLabels: { labelname: "labelvalue" } } }, undefined, true],
  ["namespaceSelector on a Namespace object that lacks the label", namespaceObj({ labelname: "labelvalue" }), { namespaceSelector: { matchLabels: { labelname: "badvalue" } } }, undefined, false],
  ["name", obj(), { name: "name" }, ns(), true],
  ["name with a prefix glob", obj(), { name: "na*" }, ns(), true],
  ["another name", obj(), { name: "other" }, ns(), false],
];

for (const [name, object, match, namespace, want] of cases) {
  test(`match: ${name}`, () => {
    const v = matchesObject(match, namespace ? { object, namespace } : { object });
    assert.equal(v, { matched: want });
  });
}

test("match: namespaceSelector on a namespaced object whose Namespace is unknown is an error, not a verdict", () => {
  const o = { ...obj(), metadata: { name: "name", namespace: "team-a" } };
  const v = matchesObject({ namespaceSelector: { matchLabels: { a: "b" } } }, { object: o });
  assert.ok("error" in v && /namespace selector for namespace-scoped object but missing Namespace/.test(v.error));
});

// [name, applyTo entries, applies]
const applyCases: [string, unknown[], boolean][] = [
  ["one entry naming the group, kind and version", [{ groups: ["group"], kinds: ["kind"], versions: ["v1"] }], true],
  ["one entry among others in each column", [{ groups: ["aa", "bb", "group"], kinds: ["aa", "bb", "kind"], versions: ["aa", "bb", "v1"] }], true],
  ["the second entry applies", [{ groups: ["group"], kinds: ["not matching"], versions: ["v1"] }, { groups: ["group"], kinds: ["kind"], versions: ["v1"] }], true],
  ["no entry applies", [{ groups: ["group"], kinds: ["not matching"], versions: ["v1"] }, { groups: ["neither", "neither1"], kinds: ["kind"], versions: ["v1"] }], false],
  ["another version", [{ groups: ["group"], kinds: ["kind"], versions: ["v2"] }], false],
];

for (const [name, entries, want] of applyCases) {
  test(`applyTo: ${name}`, () => assert.is(appliesTo(readApplyTo(entries), gvkOf(obj())), want));
}

test("mayMatchKinds: a constraint can apply to a set of kinds when some kinds entry selects one of them, in any group", () => {
  const kinds = new Set(["Pod", "Service"]);
  const m = (k: Match["kinds"]): Match => ({ kinds: k });
  assert.ok(mayMatchKinds(undefined, kinds));
  assert.ok(mayMatchKinds({}, kinds));
  assert.ok(mayMatchKinds(m([]), kinds));
  assert.ok(mayMatchKinds(m([{ apiGroups: ["apps"], kinds: ["Deployment"] }, { apiGroups: [""], kinds: ["Pod"] }]), kinds));
  assert.ok(mayMatchKinds(m([{ apiGroups: ["other"], kinds: ["Service"] }]), kinds), "groups are not known: any group");
  assert.ok(mayMatchKinds(m([{ apiGroups: ["*"], kinds: ["*"] }]), kinds));
  assert.ok(mayMatchKinds(m([{ apiGroups: ["apps"] }]), kinds), "no kinds: every kind");
  assert.not.ok(mayMatchKinds(m([{ apiGroups: [""], kinds: ["PodExecOptions", "PodAttachOptions"] }]), kinds));
  assert.not.ok(mayMatchKinds(m([{ apiGroups: ["*"], kinds: ["Ingress"] }]), new Set()));
});

test.run();
