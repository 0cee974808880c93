// Controller-level validation (`podSecurity.controllerValidation`, the module's
// `podSecurityStandards.controllerValidation`): off, the Constraints of kinds that read a pod spec match
// Pods only; on, they match Pods and the controllers the module documents (Deployment, StatefulSet,
// DaemonSet, ReplicationController, Job, CronJob), for PSS, SecurityPolicy and OperationPolicy alike.
// A controller is judged by its pod template; `skip-pss-check` is read from the reviewed object's own
// labels (a controller's top-level ones), exceptions from the pod template's.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CONTROLLER_MATCH, DEFAULT_CLUSTER, clusterFromModuleConfig, clusterOfConfig, configureDeckhouseSource, deckhousePolicySet, deckhouseRenderer, evaluateDeckhouse, operationPolicyConstraints, pssConstraints, securityPolicyConstraints } from "../../src/deckhouse/index.js";
import { normalizeConfig } from "../../src/frontend/config.js";
import type { Diagnostic } from "../../src/diagnostics/index.js";

const on = { ...DEFAULT_CLUSTER, controllerValidation: true };
const kindsOf = (c: { spec: { match: { kinds: unknown } } }) => c.spec.match.kinds;
const POD = [{ apiGroups: [""], kinds: ["Pod"] }];

const security = {
  apiVersion: "deckhouse.io/v1alpha1",
  kind: "SecurityPolicy",
  metadata: { name: "strict" },
  spec: { enforcementAction: "Deny", match: { namespaceSelector: { labelSelector: { matchLabels: { team: "a" } } } }, policies: { allowHostNetwork: false, allowRbacWildcards: false, readOnlyRootFilesystem: true } },
};
const operation = {
  apiVersion: "deckhouse.io/v1alpha1",
  kind: "OperationPolicy",
  metadata: { name: "common" },
  spec: { enforcementAction: "Deny", match: { namespaceSelector: { labelSelector: { matchLabels: { team: "a" } } } }, policies: { allowedRepos: ["registry.example.com/"], replicaLimits: { minReplicas: 1, maxReplicas: 3 } } },
};

test("off (policyc's default): pod-spec Constraints match Pods only", () => {
  const all = [...securityPolicyConstraints(security, DEFAULT_CLUSTER), ...operationPolicyConstraints(operation), ...pssConstraints(DEFAULT_CLUSTER, [])];
  for (const c of all.filter((c) => !["D8AllowRbacWildcards", "D8ReplicaLimits"].includes(c.kind))) assert.equal(kindsOf(c), POD, c.kind);
});

test("on: every pod-spec Constraint matches Pods and their controllers; others keep their own kinds", () => {
  assert.equal(CONTROLLER_MATCH.flatMap((k) => k.kinds), ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicationController", "Job", "CronJob"]);
  const sec = securityPolicyConstraints(security, on);
  assert.equal(kindsOf(sec.find((c) => c.kind === "D8HostNetwork")!), CONTROLLER_MATCH);
  assert.equal(kindsOf(sec.find((c) => c.kind === "D8ReadOnlyRootFilesystem")!), CONTROLLER_MATCH);
  assert.equal(kindsOf(sec.find((c) => c.kind === "D8AllowRbacWildcards")!), [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["Role", "RoleBinding"] }]);
  const op = operationPolicyConstraints(operation, on);
  assert.equal(kindsOf(op.find((c) => c.kind === "D8AllowedRepos")!), CONTROLLER_MATCH);
  assert.equal(kindsOf(op.find((c) => c.kind === "D8ReplicaLimits")!), [{ apiGroups: ["apps"], kinds: ["Deployment"] }]);
  for (const c of pssConstraints(on, ["warn"])) assert.equal(kindsOf(c), CONTROLLER_MATCH, c.metadata.name);
  // Each Constraint gets its own copy.
  (kindsOf(sec[0]!) as { kinds: string[] }[])[0]!.kinds.push("X");
  assert.equal(CONTROLLER_MATCH[0]!.kinds, ["Pod"]);
});

const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "app", labels: { "security.deckhouse.io/pod-policy": "baseline" } } };
const deployment = (labels: Record<string, string>, templateLabels: Record<string, string>) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "agent", namespace: "app", labels },
  spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent", ...templateLabels } }, spec: { hostNetwork: true, containers: [{ name: "agent", image: "a:1" }] } } },
});
const spe = { apiVersion: "deckhouse.io/v1alpha1", kind: "SecurityPolicyException", metadata: { name: "host-net", namespace: "app" }, spec: { network: { hostNetwork: { allowedValue: true } } } };

async function hostNetworkFindings(cluster: typeof DEFAULT_CLUSTER, object: object, extra: object[] = []) {
  const objects = [ns, ...extra, object];
  const r = await evaluateDeckhouse(deckhousePolicySet(objects, { cluster }), objects);
  return r.findings.filter((f) => f.constraint.kind === "D8HostNetwork");
}

test("a Deployment on the host network: not judged with validation off, denied with it on", async () => {
  assert.equal(await hostNetworkFindings(DEFAULT_CLUSTER, deployment({}, {})), []);
  const found = await hostNetworkFindings(on, deployment({}, {}));
  assert.is(found.length, 1);
  assert.is(found[0]!.object.kind, "Deployment");
  assert.is(found[0]!.enforcementAction, "deny");
});

test("skip-pss-check exempts a controller only from its own labels; an exception binds from the pod template only", async () => {
  const skip = { "security.deckhouse.io/skip-pss-check": "true" };
  assert.is((await hostNetworkFindings(on, deployment({}, skip))).length, 1, "the pod template's label does not exempt the controller");
  assert.equal(await hostNetworkFindings(on, deployment(skip, {})), []);
  const label = { "security.deckhouse.io/security-policy-exception": "host-net" };
  assert.equal(await hostNetworkFindings(on, deployment({}, label), [spe]), []);
  assert.is((await hostNetworkFindings(on, deployment(label, {}), [spe])).length, 1, "a label on the controller's own metadata binds nothing");
});

test("config and ModuleConfig: podSecurity.controllerValidation, podSecurityStandards.controllerValidation", () => {
  const norm = (raw: unknown) => {
    const diagnostics: Diagnostic[] = [];
    return { config: normalizeConfig(raw, "policyc.config.ts", diagnostics), diagnostics };
  };
  assert.is(norm({ podSecurity: { controllerValidation: true } }).config.deckhouse.controllerValidation, true);
  assert.is(clusterOfConfig(norm({ podSecurity: { controllerValidation: true } }).config).controllerValidation, true);
  assert.is(clusterOfConfig(norm({}).config).controllerValidation, false);
  assert.is(norm({}).config.deckhouse.controllerValidation, undefined);
  assert.ok(norm({ podSecurity: { controllerValidation: "yes" } }).diagnostics.some((d) => /podSecurity\.controllerValidation` must be true or false/.test(d.message)));
  const mc = (v: unknown) => ({ spec: { settings: { podSecurityStandards: { controllerValidation: v } } } });
  assert.is(clusterFromModuleConfig(mc(true), DEFAULT_CLUSTER).controllerValidation, true);
  assert.is(clusterFromModuleConfig(mc(false), on).controllerValidation, false);
  assert.is(clusterFromModuleConfig({ spec: { settings: {} } }, on).controllerValidation, true);
});

test("check's renderer: a ModuleConfig among the inputs switches controller validation for every rendered Constraint", () => {
  const moduleConfig = { apiVersion: "deckhouse.io/v1alpha1", kind: "ModuleConfig", metadata: { name: "admission-policy-engine" }, spec: { version: 1, settings: { podSecurityStandards: { controllerValidation: true } } } };
  const constraintsOf = (objs: object[]) =>
    deckhouseRenderer.render(objs.map((object) => ({ object: object as never }))).objects.map((o) => o.object as unknown as { kind: string; apiVersion: string; spec: { match: { kinds: unknown } } }).filter((o) => o.apiVersion === "constraints.gatekeeper.sh/v1beta1");
  configureDeckhouseSource({});
  try {
    const off = constraintsOf([security, operation]);
    assert.equal(kindsOf(off.find((c) => c.kind === "D8AllowedRepos")!), POD);
    const on = constraintsOf([security, operation, moduleConfig]);
    for (const c of on.filter((c) => !["D8AllowRbacWildcards", "D8ReplicaLimits", "D8DenyExecHeritage"].includes(c.kind))) assert.equal(kindsOf(c), CONTROLLER_MATCH, c.kind);
  } finally {
    configureDeckhouseSource({});
  }
});

test.run();
