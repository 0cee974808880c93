/**
 * Which Gatekeeper checks (D8* constraint kinds) Deckhouse renders for a SecurityPolicy or
 * OperationPolicy and that apply to Pods. Deckhouse renders one Constraint per knob in use (named
 * after the policy), after dropping knobs that would allow everything; the conditions here follow
 * those rendering rules. Knobs for other kinds (RoleBinding, Service, Ingress, Deployment, PVC) are
 * left out: they never apply to a Pod.
 */

type Policies = Record<string, any>;

const present = (v: unknown): v is any => v !== undefined && v !== null;

export function securityPolicyChecks(p: Policies): string[] {
  const out: string[] = [];
  if (p.allowPrivileged !== true) out.push("D8PrivilegedContainer");
  if (p.allowPrivilegeEscalation !== true) out.push("D8AllowPrivilegeEscalation");
  if (p.allowHostPID === false || p.allowHostIPC === false) out.push("D8HostProcesses");
  if (p.allowHostNetwork === false || present(p.allowedHostPorts)) out.push("D8HostNetwork");
  if (present(p.allowedHostPaths)) out.push("D8AllowedHostPaths");
  const capsAll = Array.isArray(p.allowedCapabilities) && p.allowedCapabilities.includes("ALL") && !(p.requiredDropCapabilities?.length > 0);
  if ((present(p.allowedCapabilities) && !capsAll) || present(p.requiredDropCapabilities)) out.push("D8AllowedCapabilities");
  if (present(p.allowedAppArmor)) out.push("D8AppArmor");
  if (present(p.allowedFlexVolumes)) out.push("D8AllowedFlexVolumes");
  if (present(p.allowedProcMount) && p.allowedProcMount !== "Unmasked") out.push("D8AllowedProcMount");
  const sysctlsAll = Array.isArray(p.allowedUnsafeSysctls) && p.allowedUnsafeSysctls.includes("*") && !(p.forbiddenSysctls?.length > 0);
  if ((present(p.allowedUnsafeSysctls) && !sysctlsAll) || present(p.forbiddenSysctls)) out.push("D8AllowedSysctls");
  if (["fsGroup", "runAsUser", "runAsGroup", "supplementalGroups"].some((k) => present(p[k]) && p[k].rule !== "RunAsAny")) out.push("D8AllowedUsers");
  if (p.readOnlyRootFilesystem === true) out.push("D8ReadOnlyRootFilesystem");
  if (p.automountServiceAccountToken === false) out.push("D8AutomountServiceAccountTokenPod");
  const sp = p.seccompProfiles;
  const spLists = [sp?.allowedProfiles, sp?.allowedLocalhostFiles].filter(Array.isArray) as string[][];
  if (spLists.some((l) => l.length > 0) && !(spLists.length === 2 && spLists.every((l) => l.includes("*")))) out.push("D8AllowedSeccompProfiles");
  if (present(p.seLinux)) out.push("D8SeLinux");
  if (Array.isArray(p.allowedVolumes) && !p.allowedVolumes.includes("*")) out.push("D8AllowedVolumeTypes");
  if (present(p.verifyImageSignatures)) out.push("D8VerifyImageSignatures");
  return out.sort();
}

export function operationPolicyChecks(p: Policies): string[] {
  const out: string[] = [];
  if (present(p.allowedRepos)) out.push("D8AllowedRepos");
  if (present(p.requiredResources)) out.push("D8RequiredResources");
  if (present(p.disallowedImageTags)) out.push("D8DisallowedTags");
  if (Array.isArray(p.disallowedTolerations) && p.disallowedTolerations.length > 0) out.push("D8DisallowedTolerations");
  if (present(p.requiredProbes)) out.push("D8RequiredProbes");
  if (present(p.imagePullPolicy)) out.push("D8ImagePullPolicy");
  if (present(p.priorityClassNames)) out.push("D8PriorityClass");
  if (p.checkHostNetworkDNSPolicy === true) out.push("D8DNSPolicy");
  if (p.checkContainerDuplicates === true) out.push("D8ContainerDuplicates");
  if (p.requiredLabels?.watchKinds?.includes?.("/Pod")) out.push("D8RequiredLabels");
  if (p.requiredAnnotations?.watchKinds?.includes?.("/Pod")) out.push("D8RequiredAnnotations");
  return out.sort();
}
