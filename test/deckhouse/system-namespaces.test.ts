// What Deckhouse renders for its own namespaces: the temporary `-d8` PSS sets for system namespaces
// that opted in with `security.deckhouse.io/enable-security-policy-check: "true"` (baseline's unless
// the default policy is Privileged, restricted's unless it is Restricted), the webhook routing that
// sends only those, and `deny-exec-heritage-pods`, which the module renders whatever the policies.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DEFAULT_CLUSTER, deckhousePolicySet, evaluateDeckhouse, moduleConstraints, pssConstraints, webhookSkips, type PssPolicy } from "../../src/deckhouse/index.js";
import { selectorMatches } from "../../src/explain/match.js";

const names = (def: PssPolicy, actions: string[] = []) => [...new Set(pssConstraints({ ...DEFAULT_CLUSTER, podSecurityDefault: def }, actions).map((c) => c.metadata.name))];

test("the -d8 sets: baseline's unless the default is Privileged, restricted's unless it is Restricted; one per action", () => {
  assert.equal(names("Privileged"), ["d8-pod-security-baseline-deny-default", "d8-pod-security-restricted-deny-default", "d8-pod-security-restricted-deny-d8-default"]);
  assert.equal(names("Baseline"), ["d8-pod-security-baseline-deny-default", "d8-pod-security-baseline-deny-d8-default", "d8-pod-security-restricted-deny-default", "d8-pod-security-restricted-deny-d8-default"]);
  assert.equal(names("Restricted"), ["d8-pod-security-baseline-deny-default", "d8-pod-security-baseline-deny-d8-default", "d8-pod-security-restricted-deny-default"]);
  assert.ok(names("Baseline", ["warn"]).includes("d8-pod-security-baseline-warn-d8"));
  const all = pssConstraints({ ...DEFAULT_CLUSTER, podSecurityDefault: "Baseline" }, []);
  // Same kinds and parameters as the set they shadow.
  const kinds = (suffix: string) => all.filter((c) => c.metadata.name === `d8-pod-security-baseline-deny${suffix}`).map((c) => [c.kind, c.spec.parameters]);
  assert.equal(kinds("-d8-default"), kinds("-default"));
});

test("the -d8 sets select opted-in system namespaces only; the ordinary sets never select a system namespace", () => {
  const all = pssConstraints({ ...DEFAULT_CLUSTER, podSecurityDefault: "Baseline" }, ["warn"]);
  const selecting = (labels: Record<string, string>) => [...new Set(all.filter((c) => selectorMatches(c.spec.match.namespaceSelector, labels)).map((c) => c.metadata.name))];
  const d8System = { heritage: "deckhouse", "security.deckhouse.io/pod-policy": "restricted", "security.deckhouse.io/pod-policy-action": "warn", "security.deckhouse.io/enable-security-policy-check": "true" };
  assert.equal(selecting(d8System), ["d8-pod-security-baseline-warn-d8", "d8-pod-security-restricted-warn-d8"]);
  assert.equal(selecting({ heritage: "deckhouse" }), []);
  assert.equal(selecting({ heritage: "deckhouse", "security.deckhouse.io/enable-security-policy-check": "false" }), []);
  assert.equal(selecting({}), ["d8-pod-security-baseline-deny-default"]);
});

test("the webhook skips system namespaces unless they opted in", () => {
  assert.match(webhookSkips("d8-system", { heritage: "deckhouse" }, {}) ?? "", /heritage=deckhouse/);
  assert.is(webhookSkips("d8-system", { heritage: "deckhouse", "security.deckhouse.io/enable-security-policy-check": "true" }, {}), undefined);
  assert.match(webhookSkips("d8-admission-policy-engine", { heritage: "deckhouse", "security.deckhouse.io/enable-security-policy-check": "true" }, {}) ?? "", /Gatekeeper's own namespace/);
});

test("an opted-in system namespace is judged by the -d8 set of its action", async () => {
  const objects = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "d8-system", labels: { heritage: "deckhouse", "security.deckhouse.io/pod-policy-action": "warn", "security.deckhouse.io/enable-security-policy-check": "true" } } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "d8-cni", labels: { heritage: "deckhouse" } } },
    ...["d8-system", "d8-cni"].map((namespace) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "agent", namespace }, spec: { hostNetwork: true, containers: [{ name: "agent", image: "a:1" }] } })),
  ];
  const r = await evaluateDeckhouse(deckhousePolicySet(objects, { cluster: { podSecurityDefault: "Baseline" } }), objects);
  // Baseline's host network check, and (the -d8 sets do not read pod-policy) restricted's checks.
  assert.ok(r.findings.some((f) => f.constraint.kind === "D8HostNetwork" && f.constraint.name === "d8-pod-security-baseline-warn-d8"));
  assert.ok(r.findings.some((f) => f.constraint.name === "d8-pod-security-restricted-warn-d8"));
  assert.ok(r.findings.every((f) => f.object.namespace === "d8-system" && f.enforcementAction === "warn" && f.constraint.name.endsWith("-warn-d8")), JSON.stringify(r.findings));
  assert.equal(r.skipped.map((s) => s.object.namespace), ["d8-cni"]);
});

test("deny-exec-heritage-pods: always rendered, deny, for exec and attach in d8-* and kube-*", () => {
  assert.equal(moduleConstraints(), [
    {
      apiVersion: "constraints.gatekeeper.sh/v1beta1",
      kind: "D8DenyExecHeritage",
      metadata: { name: "deny-exec-heritage-pods", labels: { heritage: "deckhouse", module: "admission-policy-engine" } },
      spec: { enforcementAction: "deny", match: { kinds: [{ apiGroups: [""], kinds: ["PodExecOptions", "PodAttachOptions"] }], namespaces: ["d8-*", "kube-*"] } },
    },
  ]);
  assert.ok(deckhousePolicySet([]).constraints.some((c) => c.metadata.name === "deny-exec-heritage-pods"));
  assert.ok(deckhousePolicySet([]).templates.some((t) => t.spec.crd.spec.names.kind === "D8DenyExecHeritage"));
});

test.run();
