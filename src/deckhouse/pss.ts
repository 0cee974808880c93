/**
 * The Pod Security Standards Constraints admission-policy-engine renders from its settings and the
 * `security.deckhouse.io/pod-policy-action` labels in use: per level (baseline, restricted) and per
 * action, one Constraint of every kind the level checks, with the parameters the module passes.
 * Namespace selection follows the cluster's default policy (src/frontend/pss.ts); restricted
 * namespaces get both sets. The temporary `-d8` sets (marked for removal upstream) check the system
 * namespaces (`heritage: deckhouse`) that opted in with `security.deckhouse.io/enable-security-policy-check:
 * "true"` while their modules move to SecurityPolicyExceptions: baseline's unless the default policy
 * is Privileged, restricted's unless it is Restricted.
 */
import { andSelectors, pssNamespaceSelector, pssPodSelector, type PssLevel } from "../frontend/pss.js";
import type { Action, DeckhouseCluster } from "./cluster.js";
import type { Constraint } from "./constraints.js";
import { matchKinds } from "./kinds.js";
import { OPT_IN_LABEL } from "./exemptions.js";

type Obj = Record<string, any>;

export const POD_POLICY_ACTION = "security.deckhouse.io/pod-policy-action";

/** Whether the temporary `-d8` set of `level` is rendered for the cluster's default policy. */
export function pssSystemSetRendered(level: PssLevel, cluster: DeckhouseCluster): boolean {
  return level === "baseline" ? cluster.podSecurityDefault !== "Privileged" : cluster.podSecurityDefault !== "Restricted";
}

const systemNamespaces = {
  matchExpressions: [
    { key: "heritage", operator: "In", values: ["deckhouse"] },
    { key: OPT_IN_LABEL, operator: "In", values: ["true"] },
  ],
};

const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
];

/** Each level's kinds and the parameters the module passes them. */
export function pssParameters(level: PssLevel, cluster: DeckhouseCluster): [kind: string, parameters: Obj | undefined][] {
  if (level === "baseline") {
    return [
      ["D8HostNetwork", { allowHostNetwork: false, ranges: structuredClone(cluster.knownHostPortRanges) }],
      ["D8HostProcesses", { allowHostPID: false, allowHostIPC: false }],
      ["D8PrivilegedContainer", undefined],
      ["D8AppArmor", { allowedProfiles: ["runtime/default", "localhost/*"] }],
      ["D8AllowedCapabilities", { allowedCapabilities: ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"] }],
      ["D8AllowedHostPaths", { allowedHostPaths: [] }],
      ["D8AllowedProcMount", { allowedProcMount: "Default" }],
      ["D8SeLinux", { allowedSELinuxOptions: [{ type: "" }, { type: "container_t" }, { type: "container_init_t" }, { type: "container_kvm_t" }, { type: "container_engine_t" }] }],
      ["D8AllowedSysctls", { allowedSysctls: [...SAFE_SYSCTLS] }],
      ["D8AllowedSeccompProfiles", { allowedProfiles: ["RuntimeDefault", "Localhost", "", "undefined"], allowedLocalhostFiles: ["*"] }],
    ];
  }
  return [
    ["D8AllowedCapabilities", { allowedCapabilities: ["NET_BIND_SERVICE"], requiredDropCapabilities: ["ALL"] }],
    ["D8AllowPrivilegeEscalation", { allowPrivilegeEscalation: false }],
    ["D8AllowedVolumeTypes", { volumes: ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"] }],
    ["D8AllowedUsers", { runAsUser: { rule: "MustRunAsNonRoot" } }],
    ["D8AllowedSeccompProfiles", { allowedProfiles: ["RuntimeDefault", "Localhost"], allowedLocalhostFiles: ["*"] }],
  ];
}

/** The levels whose Constraints apply in a namespace of `level`: restricted gets baseline's too. */
export function pssLevelsFor(level: string): PssLevel[] {
  if (level === "restricted") return ["baseline", "restricted"];
  if (level === "baseline") return ["baseline"];
  return [];
}

/**
 * The actions one set of PSS Constraints is rendered for: the module default first, then every
 * other value of the `pod-policy-action` label in use (Deckhouse watches `deny`, `dryrun`, `warn`).
 */
export function pssActions(cluster: DeckhouseCluster, labelValues: Iterable<string>): Action[] {
  const out: Action[] = [cluster.podSecurityAction];
  for (const v of [...labelValues].sort()) if ((v === "deny" || v === "dryrun" || v === "warn") && !out.includes(v)) out.push(v);
  return out;
}

/** Every PSS Constraint for the cluster and the actions in use. */
export function pssConstraints(cluster: DeckhouseCluster, actionsInUse: Iterable<string>): Constraint[] {
  const actions = pssActions(cluster, actionsInUse);
  const out: Constraint[] = [];
  for (const level of ["baseline", "restricted"] as const) {
    for (const action of actions) {
      const isDefault = action === cluster.podSecurityAction;
      const others = actions.filter((a) => a !== action);
      const actionSelector = isDefault
        ? others.length > 0
          ? { matchExpressions: [{ key: POD_POLICY_ACTION, operator: "NotIn", values: others }] }
          : {}
        : { matchExpressions: [{ key: POD_POLICY_ACTION, operator: "In", values: [action] }] };
      const sets = [{ suffix: "", namespaces: pssNamespaceSelector(level, cluster.podSecurityDefault) }];
      if (pssSystemSetRendered(level, cluster)) sets.push({ suffix: "-d8", namespaces: systemNamespaces });
      for (const set of sets) {
        const match = {
          kinds: matchKinds([{ apiGroups: [""], kinds: ["Pod"] }], cluster.controllerValidation),
          scope: "Namespaced",
          namespaceSelector: andSelectors(set.namespaces, actionSelector),
          labelSelector: pssPodSelector(),
        };
        const name = `d8-pod-security-${level}-${action}${set.suffix}${isDefault ? "-default" : ""}`;
        for (const [kind, parameters] of pssParameters(level, cluster)) {
          const spec: Constraint["spec"] = { enforcementAction: action, match: structuredClone(match) };
          if (parameters) spec.parameters = structuredClone(parameters);
          out.push({
            apiVersion: "constraints.gatekeeper.sh/v1beta1",
            kind,
            metadata: { name, labels: { heritage: "deckhouse", module: "admission-policy-engine", "security.deckhouse.io/pod-standard": level } },
            spec,
          });
        }
      }
    }
  }
  return out;
}
