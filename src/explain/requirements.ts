/**
 * Merges what the Deckhouse Constraints that select a Pod require into the effective
 * requirements: a Pod must satisfy every Constraint, so required lists are united, allowed lists are
 * intersected, and each requirement names the policies it comes from. The Constraints are the ones
 * Deckhouse renders (src/deckhouse: the mapping from SecurityPolicy, OperationPolicy and PSS), read
 * per kind of the pack with the semantics its templates enforce.
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

type Params = Record<string, any>;

/** A policy's rendered Constraints that select the Pod (`name` is the policy, or `pss-<level>`). */
export interface ConstraintSource {
  name: string;
  constraints: { kind: string; parameters?: Params }[];
  /** Notes per constraint kind (why a check applies although its knob is unset). */
  notes?: Record<string, string>;
}

/** `^docker.io/myrepo/.*$` → `docker.io/myrepo/*`: the reference a signature regex was rendered from. */
const referenceOf = (re: string) => re.replace(/^\^/, "").replace(/\$$/, "").replaceAll(".*", "*");

/** What each pack kind requires of a Pod, given its Constraint's parameters. */
const REQUIRES: Record<string, (m: Merger, p: Params, source: string, note?: string) => void> = {
  D8PrivilegedContainer: (m, _p, s, note) => m.set(`${SC}.privileged`, false, s, note),
  D8AllowPrivilegeEscalation: (m, p, s, note) => {
    if (p.allowPrivilegeEscalation !== true) m.set(`${SC}.allowPrivilegeEscalation`, false, s, note);
  },
  D8HostProcesses: (m, p, s) => {
    if (p.allowHostPID !== true) m.set("pod.hostPID", false, s);
    if (p.allowHostIPC !== true) m.set("pod.hostIPC", false, s);
  },
  D8HostNetwork: (m, p, s) => {
    if (p.allowHostNetwork !== true) m.set("pod.hostNetwork", false, s);
    // Without ranges host ports are not checked.
    if (Array.isArray(p.ranges)) m.rules("container.ports.hostPort", { allowedRanges: p.ranges }, s);
  },
  D8AllowedHostPaths: (m, p, s) => m.rules("pod.volumes.hostPath", { allowedPathPrefixes: p.allowedHostPaths ?? [] }, s),
  D8AllowedCapabilities: (m, p, s) => {
    if (Array.isArray(p.requiredDropCapabilities)) m.union(`${SC}.capabilities.drop`, p.requiredDropCapabilities, s);
    // Without an allowed list nothing may be added.
    m.intersect(`${SC}.capabilities.add`, (p.allowedCapabilities ?? []).map((c: string) => (c === "ALL" ? "*" : c)), s);
  },
  D8AppArmor: (m, p, s) => m.intersect(`${SC}.appArmorProfile`, p.allowedProfiles ?? [], s),
  D8AllowedFlexVolumes: (m, p, s) => m.intersect("pod.volumes.flexVolume.driver", (p.allowedFlexVolumes ?? []).map((f: Params) => f?.driver), s),
  D8AllowedProcMount: (m, p, s) => {
    if (p.allowedProcMount === "Default") m.set(`${SC}.procMount`, "Default", s);
  },
  D8AllowedSysctls: (m, p, s) => {
    if (Array.isArray(p.allowedSysctls)) m.intersect("pod.securityContext.sysctls", p.allowedSysctls, s);
    if (Array.isArray(p.forbiddenSysctls)) m.union("pod.securityContext.sysctls.forbidden", p.forbiddenSysctls, s);
  },
  D8AllowedUsers: (m, p, s) => {
    for (const k of ["runAsUser", "runAsGroup", "fsGroup", "supplementalGroups"]) {
      const rule = p[k];
      if (!rule || rule.rule === "RunAsAny") continue;
      if (k === "runAsUser" && rule.rule === "MustRunAsNonRoot") m.set(`${SC}.runAsNonRoot`, true, s);
      else m.rules(k === "fsGroup" || k === "supplementalGroups" ? `pod.securityContext.${k}` : `${SC}.${k}`, rule, s);
    }
  },
  D8ReadOnlyRootFilesystem: (m, _p, s) => m.set(`${SC}.readOnlyRootFilesystem`, true, s),
  D8AutomountServiceAccountTokenPod: (m, _p, s) => m.set("pod.automountServiceAccountToken", false, s),
  D8AllowedSeccompProfiles: (m, p, s) => {
    if (Array.isArray(p.allowedProfiles)) m.intersect(`${SC}.seccompProfile`, p.allowedProfiles, s);
    if (Array.isArray(p.allowedLocalhostFiles)) m.intersect(`${SC}.seccompProfile.localhostProfile`, p.allowedLocalhostFiles, s);
  },
  D8SeLinux: (m, p, s) => m.intersect(`${SC}.seLinuxOptions`, p.allowedSELinuxOptions ?? [], s),
  D8AllowedVolumeTypes: (m, p, s) => m.intersect("pod.volumes", p.volumes ?? [], s),
  D8VerifyImageSignatures: (m, p, s) => m.union("container.image.signedFor", (p.references ?? []).map(referenceOf), s),
  D8AllowedRepos: (m, p, s) => m.rules("container.image.repoPrefix", { oneOf: p.repos }, s),
  D8RequiredResources: (m, p, s) => {
    if (Array.isArray(p.limits)) m.union("container.resources.limits", p.limits, s);
    if (Array.isArray(p.requests)) m.union("container.resources.requests", p.requests, s);
  },
  D8DisallowedTags: (m, p, s) => m.union("container.image.forbiddenTags", p.tags ?? [], s),
  D8DisallowedTolerations: (m, p, s) => m.union("pod.tolerations.forbidden", p.tolerations ?? [], s),
  D8RequiredProbes: (m, p, s) => m.union("container.probes", p.probes ?? [], s),
  D8ImagePullPolicy: (m, p, s) => m.set("container.imagePullPolicy", p.policy, s),
  D8PriorityClass: (m, p, s) => m.intersect("pod.priorityClassName", p.priorityClassNames ?? [], s),
  D8DNSPolicy: (m, _p, s) => m.set("pod.dnsPolicy", "ClusterFirstWithHostNet", s, "only when hostNetwork is true"),
  D8ContainerDuplicates: (m, _p, s) => m.set("pod.uniqueContainerAndEnvNames", true, s),
  D8RequiredLabels: (m, p, s) => m.union("pod.metadata.labels", p.labels ?? [], s),
  D8RequiredAnnotations: (m, p, s) => m.union("pod.metadata.annotations", p.annotations ?? [], s),
};

/** The pack kinds whose requirements explain knows. */
export const EXPLAINED_KINDS = Object.keys(REQUIRES);

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

/** Merges the Constraints of the matched policies (in the order given). */
export function mergeRequirements(sources: readonly ConstraintSource[]): MergedRequirements {
  const m = new Merger();
  for (const src of sources) for (const c of src.constraints) REQUIRES[c.kind]?.(m, c.parameters ?? {}, src.name, src.notes?.[c.kind]);
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
  const seccomp = mustSetSeccomp(m.reqs.get(`${SC}.seccompProfile`));
  if (seccomp) put(container, "securityContext.seccompProfile.type", seccomp);
  return { requirements, container, pod };
}

/**
 * When the allowed seccomp profiles leave out "unset" (`""`/`"undefined"`, as restricted does), every
 * container must set one: the first allowed of RuntimeDefault, Localhost, else the first listed.
 */
function mustSetSeccomp(r: Requirement | undefined): string | undefined {
  if (!r || r.kind !== "allowedOnly") return undefined;
  const allowed = r.value as unknown[];
  if (allowed.length === 0 || allowed.some((x) => x === "" || x === "undefined" || x === "*")) return undefined;
  const named = allowed.filter((x): x is string => typeof x === "string");
  return ["RuntimeDefault", "Localhost"].find((p) => named.includes(p)) ?? named[0];
}
