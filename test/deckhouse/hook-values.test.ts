// The two steps between a SecurityPolicy or OperationPolicy and its Constraints, as the module runs
// them: the hook turns `spec.policies` into the values the templates receive (defaults filled in,
// wildcard allow-lists dropped, an explicit `[]` kept apart from an omitted list), and the templates
// render a Constraint per knob present. An empty allow-list is a Constraint that allows nothing; an
// omitted one is no Constraint at all.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DEFAULT_CLUSTER, operationPolicyConstraints, preprocessSecurityPolicies, pssParameters, securityPolicyConstraints, securityTemplateConstraints } from "../../src/deckhouse/index.js";

const cluster = { ...DEFAULT_CLUSTER, edition: "EE" as const };
const match = { namespaceSelector: { matchNames: ["shop"] } };
const security = (policies: object, name = "p") => ({ metadata: { name }, spec: { enforcementAction: "Deny", match, policies } });
const kinds = (cs: { kind: string }[]) => cs.map((c) => c.kind).sort();
const params = (cs: { kind: string; spec: { parameters?: object } }[], kind: string) => cs.find((c) => c.kind === kind)?.spec.parameters;

test("hook values: the types' defaults are filled in, the rest passes through", () => {
  const v = preprocessSecurityPolicies({ verifyImageSignatures: [{ reference: "registry.shop.io/*", publicKeys: ["k"] }] });
  assert.equal(v, { verifyImageSignatures: [{ reference: "registry.shop.io/*", publicKeys: ["k"] }], seccompProfiles: {}, automountServiceAccountToken: true, allowRbacWildcards: true });
  // Explicit values win over the defaults.
  const w = preprocessSecurityPolicies({ automountServiceAccountToken: false, allowRbacWildcards: false, seccompProfiles: { allowedProfiles: ["RuntimeDefault"] } });
  assert.is(w.automountServiceAccountToken, false);
  assert.is(w.allowRbacWildcards, false);
  assert.equal(w.seccompProfiles, { allowedProfiles: ["RuntimeDefault"] });
});

test("hook values: lists that would allow everything are dropped, wherever the wildcard sits", () => {
  const v = preprocessSecurityPolicies({ allowedVolumes: ["secret", "*"], allowedClusterRoles: ["*"], allowedProcMount: "Unmasked", runAsGroup: { rule: "RunAsAny", ranges: [{ min: 1, max: 2 }] }, fsGroup: { rule: "MustRunAs", ranges: [{ min: 5, max: 6 }] } });
  for (const k of ["allowedVolumes", "allowedClusterRoles", "allowedProcMount", "runAsGroup"]) assert.not.ok(k in v, k);
  assert.equal(v.fsGroup, { rule: "MustRunAs", ranges: [{ min: 5, max: 6 }] });
  // The same knobs without a wildcard are kept.
  const k = preprocessSecurityPolicies({ allowedVolumes: ["secret"], allowedClusterRoles: ["view", "edit"], allowedProcMount: "Default" });
  assert.equal([k.allowedVolumes, k.allowedClusterRoles, k.allowedProcMount], [["secret"], ["view", "edit"], "Default"]);
});

test("hook values: an explicit [] is kept, an omitted list stays omitted", () => {
  const lists = ["allowedHostPaths", "allowedHostPorts", "allowedVolumes", "allowedFlexVolumes", "allowedClusterRoles", "allowedCapabilities", "requiredDropCapabilities", "allowedAppArmor", "allowedUnsafeSysctls", "forbiddenSysctls", "seLinux", "verifyImageSignatures", "allowedServiceTypes"];
  for (const l of lists) {
    assert.equal(preprocessSecurityPolicies({ [l]: [] })[l], [], l);
    assert.not.ok(l in preprocessSecurityPolicies({}), l);
  }
  assert.equal(preprocessSecurityPolicies({ seccompProfiles: { allowedLocalhostFiles: [] } }).seccompProfiles, { allowedLocalhostFiles: [] });
});

test("an empty allow-list renders a Constraint that allows nothing; an omitted one renders none", () => {
  const cases: [field: string, kind: string, param: string][] = [
    ["allowedHostPaths", "D8AllowedHostPaths", "allowedHostPaths"],
    ["allowedHostPorts", "D8HostNetwork", "ranges"],
    ["allowedVolumes", "D8AllowedVolumeTypes", "volumes"],
    ["allowedFlexVolumes", "D8AllowedFlexVolumes", "allowedFlexVolumes"],
    ["allowedClusterRoles", "D8AllowedClusterRoles", "allowedClusterRoles"],
    ["allowedCapabilities", "D8AllowedCapabilities", "allowedCapabilities"],
    ["allowedAppArmor", "D8AppArmor", "allowedProfiles"],
    ["allowedUnsafeSysctls", "D8AllowedSysctls", "allowedSysctls"],
    ["seLinux", "D8SeLinux", "allowedSELinuxOptions"],
    ["verifyImageSignatures", "D8VerifyImageSignatures", "references"],
    ["allowedServiceTypes", "D8AllowedServiceTypes", "allowedServiceTypes"],
  ];
  const base = kinds(securityPolicyConstraints(security({ allowPrivileged: true }), cluster));
  for (const [field, kind, param] of cases) {
    const rendered = securityPolicyConstraints(security({ allowPrivileged: true, [field]: [] }), cluster);
    assert.equal((params(rendered, kind) as Record<string, unknown> | undefined)?.[param], [], field);
    assert.not.ok(base.includes(kind), `${kind} without ${field}`);
  }
  assert.equal(params(securityPolicyConstraints(security({ seccompProfiles: { allowedProfiles: [] } }), cluster), "D8AllowedSeccompProfiles"), { allowedProfiles: [] });
});

test("templates: the values decide; through the hook a wildcard list renders nothing", () => {
  // Values the hook never produces (a `*` cluster role) still render when given to the templates.
  const values = security({ allowedClusterRoles: ["*"], allowedVolumes: ["*"], automountServiceAccountToken: false });
  const direct = securityTemplateConstraints(values, cluster);
  assert.equal(params(direct, "D8AllowedClusterRoles"), { allowedClusterRoles: ["*"] });
  assert.equal(params(direct, "D8AllowedVolumeTypes"), { volumes: ["*"] });
  assert.ok(direct.some((c) => c.kind === "D8AutomountServiceAccountTokenPod"));
  assert.equal(kinds(securityPolicyConstraints(values, cluster)), ["D8AllowPrivilegeEscalation", "D8AutomountServiceAccountTokenPod", "D8PrivilegedContainer"]);
  // A policy of one knob renders that knob and the two documented defaults, nothing else.
  assert.equal(kinds(securityPolicyConstraints(security({ allowedServiceTypes: ["ClusterIP"] }), cluster)), ["D8AllowPrivilegeEscalation", "D8AllowedServiceTypes", "D8PrivilegedContainer"]);
  assert.equal(kinds(securityTemplateConstraints(security({ allowedServiceTypes: ["ClusterIP"] }), cluster)), ["D8AllowPrivilegeEscalation", "D8AllowedServiceTypes", "D8PrivilegedContainer"]);
});

test("OperationPolicy: an explicit [] renders a Constraint with the empty list, except tolerations", () => {
  const op = (policies: object) => operationPolicyConstraints({ metadata: { name: "o" }, spec: { match, policies } });
  assert.equal(params(op({ allowedRepos: [] }), "D8AllowedRepos"), { repos: [] });
  assert.equal(params(op({ priorityClassNames: [] }), "D8PriorityClass"), { priorityClassNames: [] });
  assert.equal(params(op({ requiredResources: { requests: [] } }), "D8RequiredResources"), { requests: [] });
  assert.equal(params(op({ replicaLimits: { maxReplicas: 2 } }), "D8ReplicaLimits"), { ranges: [{ maxReplicas: 2 }] });
  // An empty toleration list denies nothing, and the module renders no Constraint for it.
  assert.equal(op({ disallowedTolerations: [] }), []);
  assert.equal(op({}), []);
});

// The SecurityPolicy knobs that render a kind's parameters back (PSS levels pass the same parameters).
const KNOBS: Record<string, (p: Record<string, any>) => object> = {
  D8HostNetwork: (p) => ({ allowHostNetwork: p.allowHostNetwork, allowedHostPorts: p.ranges }),
  D8HostProcesses: (p) => ({ allowHostPID: p.allowHostPID, allowHostIPC: p.allowHostIPC }),
  D8PrivilegedContainer: () => ({ allowPrivileged: false }),
  D8AllowPrivilegeEscalation: () => ({ allowPrivilegeEscalation: false }),
  D8AppArmor: (p) => ({ allowedAppArmor: p.allowedProfiles }),
  D8AllowedCapabilities: (p) => ({ allowedCapabilities: p.allowedCapabilities, requiredDropCapabilities: p.requiredDropCapabilities }),
  D8AllowedHostPaths: (p) => ({ allowedHostPaths: p.allowedHostPaths }),
  D8AllowedProcMount: (p) => ({ allowedProcMount: p.allowedProcMount }),
  D8SeLinux: (p) => ({ seLinux: p.allowedSELinuxOptions }),
  D8AllowedSysctls: (p) => ({ allowedUnsafeSysctls: p.allowedSysctls, forbiddenSysctls: p.forbiddenSysctls }),
  D8AllowedSeccompProfiles: (p) => ({ seccompProfiles: p }),
  D8AllowedVolumeTypes: (p) => ({ allowedVolumes: p.volumes }),
  D8AllowedUsers: (p) => p,
};

test("each Pod Security Standard is what a SecurityPolicy with the same rules renders", () => {
  const known = { ...DEFAULT_CLUSTER, knownHostPortRanges: [{ min: 30000, max: 30100 }] };
  for (const level of ["baseline", "restricted"] as const) {
    const standard = pssParameters(level, known);
    const policies = Object.assign({}, ...standard.map(([kind, p]) => KNOBS[kind]!(p ?? {})));
    const rendered = securityPolicyConstraints(security(JSON.parse(JSON.stringify(policies))), known);
    for (const [kind, p] of standard) {
      // The restricted set passes allowPrivilegeEscalation: false, which the check builds in.
      const want: Record<string, unknown> = { ...p };
      if (kind === "D8AllowPrivilegeEscalation") delete want.allowPrivilegeEscalation;
      assert.equal(params(rendered, kind) ?? {}, want, `${level} ${kind}`);
    }
  }
});

test.run();
