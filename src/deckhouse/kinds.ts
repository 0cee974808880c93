/**
 * The Deckhouse ConstraintTemplate kinds that admission-policy-engine renders Constraints for from
 * SecurityPolicy, OperationPolicy and the Pod Security Standards, and by itself
 * (D8DenyExecHeritage), plus the template it installs for a cluster's own Constraints (D8DenyExec),
 * with the resources each matches
 * and the Rego package Deckhouse's own template uses. The pack (packs/deckhouse) has one check per
 * kind; a test holds the two together.
 */

export interface MatchKind {
  apiGroups: string[];
  kinds: string[];
}

/**
 * What renders a kind's Constraints: a policy's knobs, the module itself (always present), or
 * nothing (`Shipped`: the module installs the template, and only a cluster's own Constraints use it).
 */
export type KindSource = "SecurityPolicy" | "OperationPolicy" | "Module" | "Shipped";

export interface DeckhouseKind {
  kind: string;
  source: KindSource;
  /** Also rendered by the PSS levels. */
  pss?: ("baseline" | "restricted")[];
  /** Fixed match kinds (D8RequiredLabels/Annotations take theirs from `watchKinds`). */
  match: MatchKind[];
  /** The knob(s) of the policy that render it. */
  knobs: string[];
  regoPackage: string;
}

const pod: MatchKind[] = [{ apiGroups: [""], kinds: ["Pod"] }];

/**
 * What a Constraint of a kind that reads a pod spec matches with controller validation on: Pods and
 * the controllers that create them, as the module's documentation lists them (ReplicaSets are not
 * among them: their Deployment is judged instead).
 */
export const CONTROLLER_MATCH: readonly MatchKind[] = [
  { apiGroups: [""], kinds: ["Pod"] },
  { apiGroups: ["apps"], kinds: ["Deployment", "StatefulSet", "DaemonSet"] },
  { apiGroups: [""], kinds: ["ReplicationController"] },
  { apiGroups: ["batch"], kinds: ["Job", "CronJob"] },
];

/** A kind's match: its own, or Pods and their controllers when it reads a pod spec and `controllers` is on. */
export function matchKinds(match: readonly MatchKind[], controllers: boolean): MatchKind[] {
  const readsPodSpec = match.length === 1 && match[0]!.apiGroups.length === 1 && match[0]!.apiGroups[0] === "" && match[0]!.kinds.length === 1 && match[0]!.kinds[0] === "Pod";
  return (controllers && readsPodSpec ? CONTROLLER_MATCH : match).map((k) => ({ apiGroups: [...k.apiGroups], kinds: [...k.kinds] }));
}
const sec = "d8.security_policies";
const op = "d8.operation_policies";

export const DECKHOUSE_KINDS: readonly DeckhouseKind[] = [
  { kind: "D8PrivilegedContainer", source: "SecurityPolicy", pss: ["baseline"], match: pod, knobs: ["allowPrivileged"], regoPackage: sec },
  { kind: "D8AllowPrivilegeEscalation", source: "SecurityPolicy", pss: ["restricted"], match: pod, knobs: ["allowPrivilegeEscalation"], regoPackage: "d8.pod_security_policies" },
  { kind: "D8HostProcesses", source: "SecurityPolicy", pss: ["baseline"], match: pod, knobs: ["allowHostPID", "allowHostIPC"], regoPackage: sec },
  { kind: "D8HostNetwork", source: "SecurityPolicy", pss: ["baseline"], match: pod, knobs: ["allowHostNetwork", "allowedHostPorts"], regoPackage: sec },
  { kind: "D8AllowedHostPaths", source: "SecurityPolicy", pss: ["baseline"], match: pod, knobs: ["allowedHostPaths"], regoPackage: sec },
  { kind: "D8AllowedCapabilities", source: "SecurityPolicy", pss: ["baseline", "restricted"], match: pod, knobs: ["allowedCapabilities", "requiredDropCapabilities"], regoPackage: sec },
  { kind: "D8AppArmor", source: "SecurityPolicy", pss: ["baseline"], match: pod, knobs: ["allowedAppArmor"], regoPackage: sec },
  { kind: "D8AllowedFlexVolumes", source: "SecurityPolicy", match: pod, knobs: ["allowedFlexVolumes"], regoPackage: sec },
  { kind: "D8AllowedProcMount", source: "SecurityPolicy", pss: ["baseline"], match: pod, knobs: ["allowedProcMount"], regoPackage: sec },
  { kind: "D8AllowedSysctls", source: "SecurityPolicy", pss: ["baseline"], match: pod, knobs: ["allowedUnsafeSysctls", "forbiddenSysctls"], regoPackage: sec },
  { kind: "D8AllowedUsers", source: "SecurityPolicy", pss: ["restricted"], match: pod, knobs: ["fsGroup", "runAsUser", "runAsGroup", "supplementalGroups"], regoPackage: sec },
  { kind: "D8ReadOnlyRootFilesystem", source: "SecurityPolicy", match: pod, knobs: ["readOnlyRootFilesystem"], regoPackage: sec },
  { kind: "D8AutomountServiceAccountTokenPod", source: "SecurityPolicy", match: pod, knobs: ["automountServiceAccountToken"], regoPackage: sec },
  { kind: "D8AllowedClusterRoles", source: "SecurityPolicy", match: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["RoleBinding"] }], knobs: ["allowedClusterRoles"], regoPackage: sec },
  { kind: "D8AllowRbacWildcards", source: "SecurityPolicy", match: [{ apiGroups: ["rbac.authorization.k8s.io"], kinds: ["Role", "RoleBinding"] }], knobs: ["allowRbacWildcards"], regoPackage: sec },
  { kind: "D8AllowedSeccompProfiles", source: "SecurityPolicy", pss: ["baseline", "restricted"], match: pod, knobs: ["seccompProfiles"], regoPackage: sec },
  { kind: "D8SeLinux", source: "SecurityPolicy", pss: ["baseline"], match: pod, knobs: ["seLinux"], regoPackage: sec },
  { kind: "D8AllowedVolumeTypes", source: "SecurityPolicy", pss: ["restricted"], match: pod, knobs: ["allowedVolumes"], regoPackage: sec },
  { kind: "D8AllowedServiceTypes", source: "SecurityPolicy", match: [{ apiGroups: [""], kinds: ["Service"] }], knobs: ["allowedServiceTypes"], regoPackage: sec },
  { kind: "D8AllowedIngresses", source: "SecurityPolicy", match: [{ apiGroups: ["networking.k8s.io"], kinds: ["Ingress"] }], knobs: ["blockWildcardDomains"], regoPackage: sec },
  { kind: "D8VerifyImageSignatures", source: "SecurityPolicy", match: pod, knobs: ["verifyImageSignatures"], regoPackage: "d8.verify_image_signatures" },
  // Rendered by the module for every cluster (not in development builds): exec/attach into its Pods.
  { kind: "D8DenyExecHeritage", source: "Module", match: [{ apiGroups: [""], kinds: ["PodExecOptions", "PodAttachOptions"] }], knobs: [], regoPackage: sec },
  // Installed without a Constraint: a cluster's own Constraints limit exec commands with it.
  { kind: "D8DenyExec", source: "Shipped", match: [{ apiGroups: [""], kinds: ["PodExecOptions"] }], knobs: [], regoPackage: sec },
  // Installed without a Constraint from the module's settings: operator-trivy configures it.
  { kind: "D8VulnerableImages", source: "Shipped", match: pod, knobs: [], regoPackage: "d8.vulnerableimages" },
  { kind: "D8AllowedRepos", source: "OperationPolicy", match: pod, knobs: ["allowedRepos"], regoPackage: op },
  { kind: "D8RequiredResources", source: "OperationPolicy", match: pod, knobs: ["requiredResources"], regoPackage: op },
  { kind: "D8DisallowedTags", source: "OperationPolicy", match: pod, knobs: ["disallowedImageTags"], regoPackage: op },
  { kind: "D8DisallowedTolerations", source: "OperationPolicy", match: pod, knobs: ["disallowedTolerations"], regoPackage: op },
  { kind: "D8RequiredLabels", source: "OperationPolicy", match: [], knobs: ["requiredLabels"], regoPackage: op },
  { kind: "D8RequiredAnnotations", source: "OperationPolicy", match: [], knobs: ["requiredAnnotations"], regoPackage: op },
  { kind: "D8RequiredProbes", source: "OperationPolicy", match: pod, knobs: ["requiredProbes"], regoPackage: op },
  { kind: "D8RevisionHistoryLimit", source: "OperationPolicy", match: [{ apiGroups: ["apps"], kinds: ["DaemonSet", "Deployment"] }], knobs: ["maxRevisionHistoryLimit"], regoPackage: op },
  { kind: "D8ImagePullPolicy", source: "OperationPolicy", match: pod, knobs: ["imagePullPolicy"], regoPackage: op },
  { kind: "D8PriorityClass", source: "OperationPolicy", match: pod, knobs: ["priorityClassNames"], regoPackage: op },
  { kind: "D8IngressClass", source: "OperationPolicy", match: [{ apiGroups: ["networking.k8s.io"], kinds: ["Ingress"] }], knobs: ["ingressClassNames"], regoPackage: op },
  { kind: "D8StorageClass", source: "OperationPolicy", match: [{ apiGroups: [""], kinds: ["PersistentVolumeClaim"] }], knobs: ["storageClassNames"], regoPackage: op },
  { kind: "D8DNSPolicy", source: "OperationPolicy", match: pod, knobs: ["checkHostNetworkDNSPolicy"], regoPackage: op },
  { kind: "D8ContainerDuplicates", source: "OperationPolicy", match: pod, knobs: ["checkContainerDuplicates"], regoPackage: op },
  // Installed by the module on its main branch; no OperationPolicy field in a CRD policyc can read
  // renders it, so only a cluster's own Constraints use it here.
  { kind: "D8GpuResourceRestriction", source: "Shipped", match: pod, knobs: [], regoPackage: op },
  { kind: "D8ReplicaLimits", source: "OperationPolicy", match: [{ apiGroups: ["apps"], kinds: ["Deployment"] }], knobs: ["replicaLimits"], regoPackage: op },
];

const byKind = new Map(DECKHOUSE_KINDS.map((k) => [k.kind, k]));

export function deckhouseKind(kind: string): DeckhouseKind | undefined {
  return byKind.get(kind);
}

/** `["apps/Deployment", "/Pod"]` → match kinds grouped by apiGroup (`""` is core). */
export function watchKindsMatch(watchKinds: readonly string[]): MatchKind[] {
  const groups = new Map<string, string[]>();
  for (const wk of watchKinds) {
    const slash = wk.indexOf("/");
    const group = slash < 0 ? "" : wk.slice(0, slash);
    const kind = slash < 0 ? wk : wk.slice(slash + 1);
    const list = groups.get(group) ?? [];
    if (!list.includes(kind)) list.push(kind);
    groups.set(group, list);
  }
  return [...groups.entries()].map(([g, kinds]) => ({ apiGroups: [g], kinds }));
}
