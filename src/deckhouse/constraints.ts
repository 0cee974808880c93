/**
 * What admission-policy-engine renders from SecurityPolicy and OperationPolicy objects: one
 * Gatekeeper Constraint per knob in use, named after the policy, after the hook's preprocessing
 * (knobs that would allow everything are dropped). Pure functions of the policy's spec and the
 * cluster facts.
 */
import { DEFAULT_CLUSTER, lowerAction, SIGNATURE_EDITIONS, type DeckhouseCluster } from "./cluster.js";
import { deckhouseKind, matchKinds, watchKindsMatch, type MatchKind } from "./kinds.js";

type Obj = Record<string, any>;

export interface Constraint {
  apiVersion: "constraints.gatekeeper.sh/v1beta1";
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  spec: { enforcementAction: string; match: Obj; parameters?: Obj };
}

const present = (v: unknown): boolean => v !== undefined && v !== null;
const isArray = (v: unknown): v is any[] => Array.isArray(v);

/**
 * `spec.match` of a policy → Gatekeeper's match: matchNames → namespaces, excludeNames →
 * excludedNamespaces, namespaceSelector.labelSelector → namespaceSelector, labelSelector →
 * labelSelector. The hook always serializes both selectors, so an absent one is `{}`.
 */
export function policyMatch(match: Obj | undefined, kinds: MatchKind[], scoped: boolean): Obj {
  const ns = match?.namespaceSelector ?? {};
  const out: Obj = { kinds: kinds.map((k) => ({ apiGroups: [...k.apiGroups], kinds: [...k.kinds] })) };
  if (scoped) out.scope = "Namespaced";
  if (isArray(ns.matchNames)) out.namespaces = [...ns.matchNames];
  if (isArray(ns.excludeNames)) out.excludedNamespaces = [...ns.excludeNames];
  out.namespaceSelector = ns.labelSelector ? structuredClone(ns.labelSelector) : {};
  out.labelSelector = match?.labelSelector ? structuredClone(match.labelSelector) : {};
  return out;
}

function constraint(kind: string, name: string, labels: Record<string, string>, action: string, match: Obj, parameters?: Obj): Constraint {
  const spec: Constraint["spec"] = { enforcementAction: action, match };
  if (parameters && Object.keys(parameters).length > 0) spec.parameters = parameters;
  return { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind, metadata: { name, labels }, spec };
}

const moduleLabels = { heritage: "deckhouse", module: "admission-policy-engine" };

/** Keeps the present fields of `from` named in `keys`. */
function pick(from: Obj, keys: string[]): Obj {
  const out: Obj = {};
  for (const k of keys) if (present(from[k])) out[k] = structuredClone(from[k]);
  return out;
}

/**
 * The hook's preprocessing of `spec.policies` (the values the module's templates receive): drops the
 * values that would allow everything (`ALL` capabilities without required drops, `*` sysctls without
 * forbidden ones, `RunAsAny` rules, `Unmasked` procMount, `*` in both seccomp lists, `*` among the
 * allowed volumes or cluster roles), fills what the hook's types always carry (`automountServiceAccountToken`
 * and `allowRbacWildcards` default to `true`, `seccompProfiles` to `{}`), and loses `false` of plain
 * fields. A list given as `[]` is kept: an empty allow-list allows nothing.
 */
export function preprocessSecurityPolicies(policies: Obj): Obj {
  const p: Obj = structuredClone(policies ?? {});
  if (isArray(p.allowedCapabilities) && p.allowedCapabilities.includes("ALL") && !(isArray(p.requiredDropCapabilities) && p.requiredDropCapabilities.length > 0)) {
    delete p.allowedCapabilities;
  }
  if (isArray(p.allowedUnsafeSysctls) && p.allowedUnsafeSysctls.includes("*") && !(isArray(p.forbiddenSysctls) && p.forbiddenSysctls.length > 0)) {
    delete p.allowedUnsafeSysctls;
  }
  for (const k of ["fsGroup", "runAsUser", "runAsGroup", "supplementalGroups"]) if (p[k]?.rule === "RunAsAny") delete p[k];
  if (p.allowedProcMount === "Unmasked") delete p.allowedProcMount;
  for (const k of ["allowedVolumes", "allowedClusterRoles"]) if (isArray(p[k]) && p[k].includes("*")) delete p[k];
  const sp = p.seccompProfiles;
  if (sp && isArray(sp.allowedProfiles) && isArray(sp.allowedLocalhostFiles) && sp.allowedProfiles.includes("*") && sp.allowedLocalhostFiles.includes("*")) {
    delete sp.allowedProfiles;
    delete sp.allowedLocalhostFiles;
  }
  if (!present(p.seccompProfiles)) p.seccompProfiles = {};
  if (p.automountServiceAccountToken === undefined) p.automountServiceAccountToken = true;
  if (p.allowRbacWildcards === undefined) p.allowRbacWildcards = true;
  // Plain bool fields with omitempty: an explicit `false` does not survive re-serialisation.
  if (p.readOnlyRootFilesystem === false) delete p.readOnlyRootFilesystem;
  if (p.blockWildcardDomains === false) delete p.blockWildcardDomains;
  return p;
}

/** `docker.io/myrepo/*` → `^docker.io/myrepo/.*$` (dots are not escaped, as Deckhouse renders it). */
export function referenceRegex(reference: string): string {
  return `^${reference.replaceAll("*", ".*")}$`;
}

/** The Constraints Deckhouse renders for one SecurityPolicy: the hook's preprocessing, then the templates. */
export function securityPolicyConstraints(policy: Obj, cluster: DeckhouseCluster): Constraint[] {
  return securityTemplateConstraints({ ...policy, spec: { ...policy.spec, policies: preprocessSecurityPolicies(policy.spec?.policies ?? {}) } }, cluster);
}

/**
 * The templates' half of {@link securityPolicyConstraints}: the Constraints rendered from a policy whose
 * `spec.policies` are already the hook's values. A knob renders when its key is present (lists even
 * when empty), a bool knob by its documented default.
 */
export function securityTemplateConstraints(policy: Obj, cluster: DeckhouseCluster): Constraint[] {
  const name = String(policy.metadata?.name ?? "");
  const action = lowerAction(policy.spec?.enforcementAction);
  const labels = { ...moduleLabels, "security.deckhouse.io/security-policy": "" };
  const p: Obj = policy.spec?.policies ?? {};
  const out: Constraint[] = [];
  const add = (kind: string, parameters?: Obj) => {
    const k = deckhouseKind(kind)!;
    out.push(constraint(kind, name, { ...labels }, action, policyMatch(policy.spec?.match, matchKinds(k.match, cluster.controllerValidation), true), parameters));
  };
  if (p.allowPrivileged !== true) add("D8PrivilegedContainer");
  if (p.allowPrivilegeEscalation !== true) add("D8AllowPrivilegeEscalation");
  if (p.allowHostPID === false || p.allowHostIPC === false) add("D8HostProcesses", { allowHostPID: p.allowHostPID ?? true, allowHostIPC: p.allowHostIPC ?? true });
  if (p.allowHostNetwork === false || present(p.allowedHostPorts)) {
    add("D8HostNetwork", { allowHostNetwork: p.allowHostNetwork ?? true, ...(present(p.allowedHostPorts) ? { ranges: structuredClone(p.allowedHostPorts) } : {}) });
  }
  if (present(p.allowedHostPaths)) add("D8AllowedHostPaths", { allowedHostPaths: structuredClone(p.allowedHostPaths) });
  if (present(p.allowedCapabilities) || present(p.requiredDropCapabilities)) add("D8AllowedCapabilities", pick(p, ["allowedCapabilities", "requiredDropCapabilities"]));
  if (present(p.allowedAppArmor)) add("D8AppArmor", { allowedProfiles: structuredClone(p.allowedAppArmor) });
  if (present(p.allowedFlexVolumes)) add("D8AllowedFlexVolumes", { allowedFlexVolumes: structuredClone(p.allowedFlexVolumes) });
  if (present(p.allowedProcMount)) add("D8AllowedProcMount", { allowedProcMount: p.allowedProcMount });
  if (present(p.allowedUnsafeSysctls) || present(p.forbiddenSysctls)) {
    add("D8AllowedSysctls", { ...(present(p.allowedUnsafeSysctls) ? { allowedSysctls: structuredClone(p.allowedUnsafeSysctls) } : {}), ...pick(p, ["forbiddenSysctls"]) });
  }
  const users = pick(p, ["fsGroup", "runAsUser", "runAsGroup", "supplementalGroups"]);
  if (Object.keys(users).length > 0) add("D8AllowedUsers", users);
  if (p.readOnlyRootFilesystem === true) add("D8ReadOnlyRootFilesystem");
  if (p.automountServiceAccountToken === false) add("D8AutomountServiceAccountTokenPod");
  if (isArray(p.allowedClusterRoles)) add("D8AllowedClusterRoles", { allowedClusterRoles: [...p.allowedClusterRoles] });
  if (p.allowRbacWildcards === false) add("D8AllowRbacWildcards");
  const seccomp = pick(p.seccompProfiles ?? {}, ["allowedProfiles", "allowedLocalhostFiles"]);
  if (Object.keys(seccomp).length > 0) add("D8AllowedSeccompProfiles", seccomp);
  if (present(p.seLinux)) add("D8SeLinux", { allowedSELinuxOptions: structuredClone(p.seLinux) });
  if (isArray(p.allowedVolumes)) add("D8AllowedVolumeTypes", { volumes: [...p.allowedVolumes] });
  if (present(p.allowedServiceTypes)) add("D8AllowedServiceTypes", { allowedServiceTypes: structuredClone(p.allowedServiceTypes) });
  if (p.blockWildcardDomains === true) add("D8AllowedIngresses", { blockWildcardDomains: true });
  if (isArray(p.verifyImageSignatures) && (cluster.edition === undefined || SIGNATURE_EDITIONS.includes(cluster.edition))) {
    add("D8VerifyImageSignatures", { references: p.verifyImageSignatures.map((v: Obj) => referenceRegex(String(v?.reference ?? ""))) });
  }
  return out;
}

/** The Constraints Deckhouse renders for one OperationPolicy: a knob when present, a bool one when true. */
export function operationPolicyConstraints(policy: Obj, cluster: Pick<DeckhouseCluster, "controllerValidation"> = DEFAULT_CLUSTER): Constraint[] {
  const name = String(policy.metadata?.name ?? "");
  const action = lowerAction(policy.spec?.enforcementAction);
  const labels = { ...moduleLabels, "security.deckhouse.io/operation-policy": "" };
  const p: Obj = policy.spec?.policies ?? {};
  const out: Constraint[] = [];
  const add = (kind: string, parameters?: Obj, kinds?: MatchKind[]) => {
    out.push(constraint(kind, name, { ...labels }, action, policyMatch(policy.spec?.match, kinds ?? matchKinds(deckhouseKind(kind)!.match, cluster.controllerValidation), false), parameters));
  };
  if (present(p.allowedRepos)) add("D8AllowedRepos", { repos: structuredClone(p.allowedRepos) });
  if (present(p.requiredResources)) add("D8RequiredResources", pick(p.requiredResources, ["limits", "requests"]));
  if (present(p.disallowedImageTags)) add("D8DisallowedTags", { tags: structuredClone(p.disallowedImageTags) });
  if (isArray(p.disallowedTolerations) && p.disallowedTolerations.length > 0) add("D8DisallowedTolerations", { tolerations: structuredClone(p.disallowedTolerations) });
  if (present(p.requiredLabels)) add("D8RequiredLabels", { labels: structuredClone(p.requiredLabels.labels ?? []) }, watchKindsMatch(p.requiredLabels.watchKinds ?? []));
  if (present(p.requiredAnnotations)) add("D8RequiredAnnotations", { annotations: structuredClone(p.requiredAnnotations.annotations ?? []) }, watchKindsMatch(p.requiredAnnotations.watchKinds ?? []));
  if (present(p.requiredProbes)) add("D8RequiredProbes", { probes: structuredClone(p.requiredProbes) });
  if (present(p.maxRevisionHistoryLimit)) add("D8RevisionHistoryLimit", { limit: p.maxRevisionHistoryLimit });
  if (present(p.imagePullPolicy)) add("D8ImagePullPolicy", { policy: p.imagePullPolicy });
  if (present(p.priorityClassNames)) add("D8PriorityClass", { priorityClassNames: structuredClone(p.priorityClassNames) });
  if (present(p.ingressClassNames)) add("D8IngressClass", { ingressClassNames: structuredClone(p.ingressClassNames) });
  if (present(p.storageClassNames)) add("D8StorageClass", { storageClassNames: structuredClone(p.storageClassNames) });
  if (p.checkHostNetworkDNSPolicy === true) add("D8DNSPolicy");
  if (p.checkContainerDuplicates === true) add("D8ContainerDuplicates");
  if (present(p.replicaLimits)) add("D8ReplicaLimits", { ranges: [pick(p.replicaLimits, ["minReplicas", "maxReplicas"])] });
  return out;
}

/**
 * What the module renders by itself, whatever the policies: `deny-exec-heritage-pods`, which forbids
 * exec/attach into Pods labelled `heritage: deckhouse` in the `d8-*` and `kube-*` namespaces (always
 * `deny`; development builds leave it out).
 */
export function moduleConstraints(): Constraint[] {
  const match = { kinds: deckhouseKind("D8DenyExecHeritage")!.match.map((k) => ({ apiGroups: [...k.apiGroups], kinds: [...k.kinds] })), namespaces: ["d8-*", "kube-*"] };
  return [constraint("D8DenyExecHeritage", "deny-exec-heritage-pods", { ...moduleLabels }, "deny", match)];
}
