/**
 * SecurityPolicyException semantics: which exception governs a Pod's container (the container label
 * `security.deckhouse.io/security-policy-exception.container.<name>`, or its older form
 * `…/security-policy-exception/<name>` that Deckhouse's suites still use, wins over the Pod label
 * `security.deckhouse.io/security-policy-exception`, even when it names no exception), and what it
 * lifts: each field it names replaces the policy's decision for that field of that container (or
 * of the Pod, for Pod-level fields), for the check that reads the field.
 */

type Obj = Record<string, any>;

export const EXCEPTION_LABEL = "security.deckhouse.io/security-policy-exception";

/** The exception name a container ("" for Pod-level fields) is bound to, or undefined. */
export function exceptionName(podLabels: Record<string, string>, container: string): string | undefined {
  if (container !== "") {
    const own = podLabels[`${EXCEPTION_LABEL}.container.${container}`] ?? podLabels[`${EXCEPTION_LABEL}/${container}`];
    if (own !== undefined) return own;
  }
  return podLabels[EXCEPTION_LABEL];
}

/** Exception fields (`spec` paths) and the check whose decision each replaces. */
export const EXCEPTION_FIELDS: readonly { path: string; kind: string; level: "container" | "pod" }[] = [
  { path: "securityContext.privileged", kind: "D8PrivilegedContainer", level: "container" },
  { path: "securityContext.allowPrivilegeEscalation", kind: "D8AllowPrivilegeEscalation", level: "container" },
  { path: "securityContext.readOnlyRootFilesystem", kind: "D8ReadOnlyRootFilesystem", level: "container" },
  { path: "securityContext.capabilities", kind: "D8AllowedCapabilities", level: "container" },
  { path: "securityContext.runAsUser", kind: "D8AllowedUsers", level: "container" },
  { path: "securityContext.runAsNonRoot", kind: "D8AllowedUsers", level: "container" },
  { path: "securityContext.seccompProfile", kind: "D8AllowedSeccompProfiles", level: "container" },
  { path: "securityContext.appArmorProfile", kind: "D8AppArmor", level: "container" },
  { path: "securityContext.seLinuxOptions", kind: "D8SeLinux", level: "container" },
  { path: "securityContext.procMount", kind: "D8AllowedProcMount", level: "container" },
  { path: "securityContext.sysctls", kind: "D8AllowedSysctls", level: "pod" },
  { path: "network.hostNetwork", kind: "D8HostNetwork", level: "pod" },
  { path: "network.hostPorts", kind: "D8HostNetwork", level: "pod" },
  { path: "network.hostPID", kind: "D8HostProcesses", level: "pod" },
  { path: "network.hostIPC", kind: "D8HostProcesses", level: "pod" },
  { path: "volumes.types", kind: "D8AllowedVolumeTypes", level: "pod" },
  { path: "volumes.hostPath", kind: "D8AllowedHostPaths", level: "pod" },
];

export interface Lift {
  /** The container, or "" for the Pod's own fields. */
  container: string;
  exception: string;
  /** False when the label names an exception that is not in the namespace: nothing is lifted. */
  found: boolean;
  /** What the exception allows, per field: `allowedValue`, `allowedValues` or the `hostPorts` list. */
  fields: { path: string; kind: string; allowed: unknown }[];
}

function get(o: Obj | undefined, path: string): unknown {
  let cur: any = o;
  for (const p of path.split(".")) cur = cur && typeof cur === "object" ? cur[p] : undefined;
  return cur;
}

/**
 * What the exceptions in the Pod's namespace lift for it: one entry per container bound to an
 * exception (and one for the Pod-level fields when the Pod label is set).
 */
export function exceptionLifts(pod: Obj, exceptions: readonly Obj[]): Lift[] {
  const labels: Record<string, string> = pod.metadata?.labels ?? {};
  const ns = pod.metadata?.namespace;
  const spec = pod.spec ?? {};
  const containers: string[] = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].map((c: Obj) => String(c?.name ?? ""));
  const out: Lift[] = [];
  for (const container of ["", ...containers]) {
    const name = exceptionName(labels, container);
    if (name === undefined) continue;
    const spe = exceptions.find((e) => e.kind === "SecurityPolicyException" && e.metadata?.name === name && (ns === undefined || e.metadata?.namespace === ns));
    const fields: Lift["fields"] = [];
    for (const f of EXCEPTION_FIELDS) {
      if ((f.level === "pod") !== (container === "")) continue;
      const entry = get(spe?.spec, f.path) as Obj | undefined;
      if (entry === undefined) continue;
      const allowed = Array.isArray(entry) ? entry : "allowedValue" in entry ? entry.allowedValue : entry.allowedValues;
      fields.push({ path: f.path, kind: f.kind, allowed });
    }
    out.push({ container, exception: name, found: spe !== undefined, fields });
  }
  return out;
}
