import { test } from "uvu";
import * as assert from "uvu/assert";
import { wildcardMatches, wildcardMatchesGenerateName, WILDCARD_PATTERN } from "../../src/testing/gatekeeper/wildcard.js";
import { selectorMatches, validateLabelSelector } from "../../src/testing/gatekeeper/label-selector.js";
import { matchesObject, matchesReview, type Match } from "../../src/testing/gatekeeper/match.js";

const pod = (ns: string | undefined, labels: Record<string, string> = {}, name = "p") => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, ...(ns !== undefined ? { namespace: ns } : {}), labels },
});
const namespace = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
const node = { apiVersion: "v1", kind: "Node", metadata: { name: "n1" } };
const deploy = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "prod" } };

const m = (match: Match, object: object, ns?: object) => {
  const v = matchesObject(match, { object: object as Record<string, unknown>, ...(ns ? { namespace: ns as Record<string, unknown> } : {}) });
  if ("error" in v) return `error: ${v.error}`;
  return v.matched;
};

test("wildcards: exact, prefix, suffix, contains, lone star", () => {
  assert.ok(wildcardMatches("kube-system", "kube-system"));
  assert.not.ok(wildcardMatches("kube-system", "kube-system2"));
  assert.ok(wildcardMatches("kube-*", "kube-public"));
  assert.not.ok(wildcardMatches("kube-*", "my-kube-public"));
  assert.ok(wildcardMatches("*-system", "gatekeeper-system"));
  assert.not.ok(wildcardMatches("*-system", "system-x"));
  assert.ok(wildcardMatches("*sys*", "a-sys-b"));
  assert.ok(wildcardMatches("*", "anything"));
  assert.ok(wildcardMatches("d8-*", "d8-system"));
  assert.not.ok(wildcardMatches("d8-*", "d9-system"));
  // The prefix or suffix alone matches; a name shorter than it does not.
  assert.ok(wildcardMatches("kube-*", "kube-") && wildcardMatches("*-system", "-system"));
  assert.not.ok(wildcardMatches("kube-*", "kube") || wildcardMatches("*-system", "system") || wildcardMatches("*-system", ""));
  assert.not.ok(wildcardMatches("*-system", "gatekeeper-systen") || wildcardMatches("kube-*", "kubf-x"));
  // A star in the middle is literal.
  assert.not.ok(wildcardMatches("a*b", "axb"));
  assert.ok(wildcardMatches("a*b", "a*b"));
  assert.ok(wildcardMatchesGenerateName("web-*", "web-"));
  assert.not.ok(wildcardMatchesGenerateName("web-", "web-"));
  assert.not.ok(wildcardMatchesGenerateName("*-web", "x-web"));
  assert.ok(WILDCARD_PATTERN.test("d8-*") && WILDCARD_PATTERN.test("*-system*") && !WILDCARD_PATTERN.test("Kube") && !WILDCARD_PATTERN.test("a*b"));
});

test("label selectors: matchLabels and every operator", () => {
  const l = { app: "web", tier: "front" };
  assert.ok(selectorMatches({}, l), "empty selector selects everything");
  assert.ok(selectorMatches({ matchLabels: { app: "web" } }, l));
  assert.not.ok(selectorMatches({ matchLabels: { app: "db" } }, l));
  assert.not.ok(selectorMatches({ matchLabels: { zone: "a" } }, l));
  assert.ok(selectorMatches({ matchExpressions: [{ key: "app", operator: "In", values: ["db", "web"] }] }, l));
  assert.not.ok(selectorMatches({ matchExpressions: [{ key: "missing", operator: "In", values: ["x"] }] }, l));
  assert.ok(selectorMatches({ matchExpressions: [{ key: "missing", operator: "NotIn", values: ["x"] }] }, l), "NotIn holds for absent keys");
  assert.not.ok(selectorMatches({ matchExpressions: [{ key: "app", operator: "NotIn", values: ["web"] }] }, l));
  assert.ok(selectorMatches({ matchExpressions: [{ key: "tier", operator: "Exists" }] }, l));
  assert.not.ok(selectorMatches({ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }, l));
  assert.ok(selectorMatches({ matchExpressions: [{ key: "x", operator: "DoesNotExist" }] }, undefined));
  // matchLabels and matchExpressions are ANDed.
  assert.not.ok(selectorMatches({ matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["back"] }] }, l));
});

test("label selectors: malformed selectors are errors, not silent mismatches", () => {
  assert.throws(() => selectorMatches({ matchExpressions: [{ key: "a", operator: "Equals", values: ["x"] }] }, {}), /not a valid label selector operator/);
  assert.throws(() => selectorMatches({ matchExpressions: [{ key: "a", operator: "In", values: [] }] }, {}), /non-empty/);
  assert.throws(() => selectorMatches({ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] }, {}), /must be empty/);
  assert.equal(validateLabelSelector({ matchLabels: { a: 1 } }, "s"), ["s.matchLabels[a] must be a string"]);
});

test("match: absent match and empty match accept everything", () => {
  assert.equal(matchesObject(undefined, { object: pod("a") }), { matched: true });
  assert.is(m({}, node), true);
});

test("match: kinds with groups, wildcards and empty lists", () => {
  const pods: Match = { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] };
  assert.is(m(pods, pod("a")), true);
  assert.is(m(pods, deploy), false);
  assert.is(m({ kinds: [{ apiGroups: ["apps"], kinds: ["Pod"] }] }, pod("a")), false, "group must match too");
  assert.is(m({ kinds: [{ apiGroups: ["*"], kinds: ["Deployment"] }] }, deploy), true);
  assert.is(m({ kinds: [{ apiGroups: ["apps"], kinds: ["*"] }] }, deploy), true);
  assert.is(m({ kinds: [{ apiGroups: [], kinds: [] }] }, deploy), true, "empty lists mean any");
  assert.is(m({ kinds: [{ apiGroups: [""], kinds: ["Service"] }, { apiGroups: ["apps"], kinds: ["Deployment"] }] }, deploy), true, "any entry suffices");
});

test("match: scope", () => {
  assert.is(m({ scope: "Cluster" }, node), true);
  assert.is(m({ scope: "Cluster" }, pod("a")), false);
  assert.is(m({ scope: "Cluster" }, namespace("a")), true, "Namespaces are cluster-scoped");
  assert.is(m({ scope: "Namespaced" }, pod("a")), true);
  assert.is(m({ scope: "Namespaced" }, namespace("a")), false);
  assert.is(m({ scope: "Namespaced" }, node), false);
  assert.is(m({ scope: "*" }, node), true);
  assert.is(m({ scope: "cluster" }, pod("a")), true, "unknown scopes match everything");
});

test("match: namespaces and excludedNamespaces with globs", () => {
  const ex: Match = { excludedNamespaces: ["kube-system", "d8-*"] };
  assert.is(m(ex, pod("kube-system")), false);
  assert.is(m(ex, pod("d8-monitoring")), false);
  assert.is(m(ex, pod("default")), true);
  assert.is(m(ex, namespace("d8-system")), false, "a Namespace is judged by its own name");
  assert.is(m(ex, node), true, "cluster-scoped objects cannot be excluded");
  const inc: Match = { namespaces: ["prod-*", "*-stage"] };
  assert.is(m(inc, pod("prod-eu")), true);
  assert.is(m(inc, pod("app-stage")), true);
  assert.is(m(inc, pod("dev")), false);
  assert.is(m(inc, node), true, "cluster-scoped objects are not filtered by namespaces");
  assert.is(m(inc, namespace("dev")), false);
  assert.is(m(inc, pod("dev"), namespace("prod-1")), true, "the known Namespace object wins over metadata.namespace");
});

test("match: labelSelector on the object's labels", () => {
  const sel: Match = { labelSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] } };
  assert.is(m(sel, pod("a", { app: "web" })), true);
  assert.is(m(sel, pod("a", { app: "db" })), false);
  assert.is(m(sel, pod("a")), false);
  assert.is(m({ labelSelector: { matchLabels: { v: "1" } } }, { kind: "Pod", apiVersion: "v1", metadata: { namespace: "a", labels: { v: 1 } } }), false, "non-string label maps count as no labels");
  assert.match(String(m({ labelSelector: { matchExpressions: [{ key: "a", operator: "Bad" }] } }, pod("a"))), /^error: failed to run Match criteria/);
});

test("match: namespaceSelector uses the Namespace object, errors without it", () => {
  const sel: Match = { namespaceSelector: { matchLabels: { "security.deckhouse.io/pod-policy": "restricted" } } };
  assert.is(m(sel, pod("a"), namespace("a", { "security.deckhouse.io/pod-policy": "restricted" })), true);
  assert.is(m(sel, pod("a"), namespace("a", { "security.deckhouse.io/pod-policy": "baseline" })), false);
  assert.match(String(m(sel, pod("a"))), /failed to run Match criteria: namespace selector for namespace-scoped object but missing Namespace$/);
  assert.is(m(sel, node), true, "cluster-scoped non-Namespace objects always match");
  assert.is(m(sel, namespace("x", { "security.deckhouse.io/pod-policy": "restricted" })), true, "a Namespace is matched by its own labels");
  assert.is(m(sel, namespace("x")), false);
});

test("match: name glob and generateName", () => {
  assert.is(m({ name: "web-*" }, pod("a", {}, "web-1")), true);
  assert.is(m({ name: "web-*" }, pod("a", {}, "db-1")), false);
  assert.is(m({ name: "web" }, pod("a", {}, "web")), true);
  const gen = { apiVersion: "v1", kind: "Pod", metadata: { generateName: "web-", namespace: "a" } };
  assert.is(m({ name: "web-*" }, gen), true);
  assert.is(m({ name: "web-" }, gen), false);
});

test("match: source", () => {
  assert.is(m({ source: "All" }, pod("a")), true);
  assert.is(m({ source: "Original" }, pod("a")), true);
  assert.is(m({ source: "Generated" }, pod("a")), false);
  assert.match(String(m({ source: "Other" }, pod("a"))), /invalid source/);
});

test("match: every criterion must hold", () => {
  const all: Match = { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], namespaces: ["prod"], labelSelector: { matchLabels: { app: "web" } } };
  assert.is(m(all, pod("prod", { app: "web" })), true);
  assert.is(m(all, pod("dev", { app: "web" })), false);
  assert.is(m(all, pod("prod", { app: "db" })), false);
});

test("matchesReview: object or oldObject, and errors when neither is present", () => {
  const match: Match = { labelSelector: { matchLabels: { app: "web" } } };
  assert.equal(matchesReview(match, { object: pod("a"), oldObject: pod("a", { app: "web" }) }, undefined), { matched: true });
  assert.equal(matchesReview(match, { object: pod("a"), oldObject: null }, undefined), { matched: false });
  assert.ok("error" in matchesReview(match, { object: null, oldObject: null }, undefined));
  assert.equal(matchesReview(undefined, { object: null }, undefined), { matched: true });
});

test.run();
