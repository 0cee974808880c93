/**
 * Merges the SecurityPolicies and OperationPolicies that select a Pod into the effective
 * requirements: a Pod must satisfy every policy, so required lists are united, allowed lists are
 * intersected, and each requirement names the policies it comes from. Absent knobs follow
 * Deckhouse's rendering rules (an unset `allowPrivileged` or `allowPrivilegeEscalation` still
 * forbids them; `RunAsAny`, `Unmasked` and `*` disable a check).
 */

export interface Requirement {
  /** Dotted place in the Pod: `container.securityContext.capabilities.drop`, `pod.hostNetwork`. */
  field: string;
  /** The merged value. For allow-lists: what is still allowed. */
  value: unknown;
  /** What the value means. */
  kind: "equals" | "mustInclude" | "allowedOnly" | "forbidden" | "rules";
  sources: string[];
  note?: string;
}

interface Named {
  name: string;
  policies: Record<string, any>;
}

class Merger {
  readonly reqs = new Map<string, Requirement>();

  set(field: string, value: unknown, source: string, note?: string): void {
    const r = this.reqs.get(field);
    if (r) {
      if (JSON.stringify(r.value) !== JSON.stringify(value)) r.note = `conflicting values from ${[...r.sources, source].join(", ")}: no Pod can satisfy all of them`;
      if (!r.sources.includes(source)) r.sources.push(source);
      return;
    }
    this.reqs.set(field, { field, value, kind: "equals", sources: [source], ...(note ? { note } : {}) });
  }

  union(field: string, values: unknown[], source: string): void {
    const r = this.reqs.get(field) ?? { field, value: [] as unknown[], kind: "mustInclude" as const, sources: [] };
    const list = r.value as unknown[];
    for (const v of values) if (!list.some((x) => JSON.stringify(x) === JSON.stringify(v))) list.push(v);
    if (!r.sources.includes(source)) r.sources.push(source);
    this.reqs.set(field, r);
  }

  /** Intersects allow-lists; `*` in a list means "anything". */
  intersect(field: string, values: unknown[], source: string): void {
    const r = this.reqs.get(field);
    if (!r) {
      this.reqs.set(field, { field, value: [...values], kind: "allowedOnly", sources: [source] });
      return;
    }
    const prev = r.value as unknown[];
    const key = (x: unknown) => JSON.stringify(x);
    if (prev.includes("*")) r.value = [...values];
    else if (!values.includes("*")) r.value = prev.filter((x) => values.some((y) => key(y) === key(x)));
    if (!r.sources.includes(source)) r.sources.push(source);
  }

  rules(field: string, rule: unknown, source: string): void {
    const r = this.reqs.get(field) ?? { field, value: [] as unknown[], kind: "rules" as const, sources: [] };
    (r.value as unknown[]).push({ ...(rule as object), policy: source });
    if (!r.sources.includes(source)) r.sources.push(source);
    this.reqs.set(field, r);
  }
}

const SC = "container.securityContext";

function mergeSecurity(m: Merger, { name, policies: p }: Named): void {
  if (p.allowPrivileged !== true) m.set(`${SC}.privileged`, false, name, p.allowPrivileged === undefined ? "allowPrivileged is not set, which Deckhouse treats as false" : undefined);
  if (p.allowPrivilegeEscalation !== true) m.set(`${SC}.allowPrivilegeEscalation`, false, name, p.allowPrivilegeEscalation === undefined ? "allowPrivilegeEscalation is not set, which Deckhouse treats as false" : undefined);
  if (p.allowHostPID === false) m.set("pod.hostPID", false, name);
  if (p.allowHostIPC === false) m.set("pod.hostIPC", false, name);
  if (p.allowHostNetwork === false) m.set("pod.hostNetwork", false, name);
  if (Array.isArray(p.allowedHostPorts)) m.rules("container.ports.hostPort", { allowedRanges: p.allowedHostPorts }, name);
  if (Array.isArray(p.allowedHostPaths)) m.rules("pod.volumes.hostPath", { allowedPathPrefixes: p.allowedHostPaths }, name);
  if (Array.isArray(p.requiredDropCapabilities)) m.union(`${SC}.capabilities.drop`, p.requiredDropCapabilities, name);
  const allCaps = Array.isArray(p.allowedCapabilities) && p.allowedCapabilities.includes("ALL");
  if (Array.isArray(p.allowedCapabilities) && !(allCaps && !(p.requiredDropCapabilities?.length > 0))) {
    m.intersect(`${SC}.capabilities.add`, p.allowedCapabilities.map((c: string) => (c === "ALL" ? "*" : c)), name);
  }
  if (Array.isArray(p.allowedAppArmor)) m.intersect(`${SC}.appArmorProfile`, p.allowedAppArmor, name);
  if (Array.isArray(p.allowedFlexVolumes)) m.intersect("pod.volumes.flexVolume.driver", p.allowedFlexVolumes.map((f: any) => f?.driver), name);
  if (p.allowedProcMount === "Default") m.set(`${SC}.procMount`, "Default", name);
  if (Array.isArray(p.allowedUnsafeSysctls) && !(p.allowedUnsafeSysctls.includes("*") && !(p.forbiddenSysctls?.length > 0))) m.intersect("pod.securityContext.sysctls", p.allowedUnsafeSysctls, name);
  if (Array.isArray(p.forbiddenSysctls)) m.union("pod.securityContext.sysctls.forbidden", p.forbiddenSysctls, name);
  for (const k of ["runAsUser", "runAsGroup", "fsGroup", "supplementalGroups"]) {
    const rule = p[k];
    if (!rule || rule.rule === "RunAsAny") continue;
    if (k === "runAsUser" && rule.rule === "MustRunAsNonRoot") m.set(`${SC}.runAsNonRoot`, true, name);
    else m.rules(k === "fsGroup" || k === "supplementalGroups" ? `pod.securityContext.${k}` : `${SC}.${k}`, rule, name);
  }
  if (p.readOnlyRootFilesystem === true) m.set(`${SC}.readOnlyRootFilesystem`, true, name);
  if (p.automountServiceAccountToken === false) m.set("pod.automountServiceAccountToken", false, name);
  const sp = p.seccompProfiles;
  if (sp && Array.isArray(sp.allowedProfiles) && !(sp.allowedProfiles.includes("*") && sp.allowedLocalhostFiles?.includes("*"))) {
    m.intersect(`${SC}.seccompProfile`, sp.allowedProfiles, name);
    if (Array.isArray(sp.allowedLocalhostFiles)) m.intersect(`${SC}.seccompProfile.localhostProfile`, sp.allowedLocalhostFiles, name);
  }
  if (Array.isArray(p.seLinux)) m.intersect(`${SC}.seLinuxOptions`, p.seLinux, name);
  if (Array.isArray(p.allowedVolumes) && !p.allowedVolumes.includes("*")) m.intersect("pod.volumes", p.allowedVolumes, name);
  if (Array.isArray(p.verifyImageSignatures)) m.union("container.image.signedFor", p.verifyImageSignatures.map((v: any) => v?.reference), name);
}

function mergeOperation(m: Merger, { name, policies: p }: Named): void {
  if (Array.isArray(p.allowedRepos)) m.rules("container.image.repoPrefix", { oneOf: p.allowedRepos }, name);
  if (p.requiredResources?.limits) m.union("container.resources.limits", p.requiredResources.limits, name);
  if (p.requiredResources?.requests) m.union("container.resources.requests", p.requiredResources.requests, name);
  if (Array.isArray(p.disallowedImageTags)) m.union("container.image.forbiddenTags", p.disallowedImageTags, name);
  if (Array.isArray(p.disallowedTolerations) && p.disallowedTolerations.length > 0) m.union("pod.tolerations.forbidden", p.disallowedTolerations, name);
  if (Array.isArray(p.requiredProbes)) m.union("container.probes", p.requiredProbes, name);
  if (p.imagePullPolicy) m.set("container.imagePullPolicy", p.imagePullPolicy, name);
  if (Array.isArray(p.priorityClassNames)) m.intersect("pod.priorityClassName", p.priorityClassNames, name);
  if (p.checkHostNetworkDNSPolicy === true) m.set("pod.dnsPolicy", "ClusterFirstWithHostNet", name, "only when hostNetwork is true");
  if (p.checkContainerDuplicates === true) m.set("pod.uniqueContainerAndEnvNames", true, name);
  for (const [knob, field] of [["requiredLabels", "labels"], ["requiredAnnotations", "annotations"]] as const) {
    const r = p[knob];
    if (r && Array.isArray(r.watchKinds) && r.watchKinds.some((k: string) => k === "/Pod") && Array.isArray(r[field])) {
      m.union(`pod.metadata.${field}`, r[field], name);
    }
  }
}

export interface MergedRequirements {
  requirements: Requirement[];
  /** The container fields as a Pod spec would carry them (the docs' `securityContext:` form). */
  container: Record<string, unknown>;
  pod: Record<string, unknown>;
}

function put(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let cur = target;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[parts[parts.length - 1]!] = value;
}

/** Merges the matched policies (in the order given). */
export function mergeRequirements(security: readonly Named[], operation: readonly Named[]): MergedRequirements {
  const m = new Merger();
  for (const s of security) mergeSecurity(m, s);
  for (const o of operation) mergeOperation(m, o);
  // Capability names read best sorted, as in the Deckhouse docs' merged example.
  const drop = m.reqs.get(`${SC}.capabilities.drop`);
  if (drop) (drop.value as string[]).sort();
  const requirements = [...m.reqs.values()].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  const container: Record<string, unknown> = {};
  const pod: Record<string, unknown> = {};
  for (const r of requirements) {
    if (r.kind !== "equals" && !(r.kind === "mustInclude" && r.field === `${SC}.capabilities.drop`)) continue;
    if (r.field.startsWith("container.")) put(container, r.field.slice("container.".length), r.value);
    else if (r.field.startsWith("pod.")) put(pod, r.field.slice("pod.".length), r.value);
  }
  return { requirements, container, pod };
}
