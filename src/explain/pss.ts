/**
 * Deckhouse's built-in Pod Security Standards as policyc explains them: the constraint kinds each
 * level renders and their parameters, expressed as the equivalent SecurityPolicy knobs (Deckhouse's
 * FAQ gives the same sets as SecurityPolicies) so they merge with the user's policies. A restricted
 * namespace gets both levels.
 */

export type PssLevel = "baseline" | "restricted";

/** The D8* constraint kinds Deckhouse renders per level. */
export const PSS_KINDS: Record<PssLevel, string[]> = {
  baseline: [
    "D8AllowedCapabilities",
    "D8AllowedHostPaths",
    "D8AllowedProcMount",
    "D8AllowedSeccompProfiles",
    "D8AllowedSysctls",
    "D8AppArmor",
    "D8HostNetwork",
    "D8HostProcesses",
    "D8PrivilegedContainer",
    "D8SeLinux",
  ],
  restricted: ["D8AllowPrivilegeEscalation", "D8AllowedCapabilities", "D8AllowedSeccompProfiles", "D8AllowedUsers", "D8AllowedVolumeTypes"],
};

const BASELINE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];

/**
 * The level's checks as SecurityPolicy knobs. Knobs a level does not check are set to their
 * permissive value, because an absent `allowPrivileged`/`allowPrivilegeEscalation` would otherwise
 * read as "forbidden".
 */
export const PSS_POLICIES: Record<PssLevel, Record<string, unknown>> = {
  baseline: {
    allowHostNetwork: false,
    allowHostPID: false,
    allowHostIPC: false,
    allowPrivileged: false,
    allowPrivilegeEscalation: true,
    allowedAppArmor: ["runtime/default", "localhost/*"],
    allowedCapabilities: ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"],
    allowedHostPaths: [],
    allowedProcMount: "Default",
    seLinux: [{ type: "" }, { type: "container_t" }, { type: "container_init_t" }, { type: "container_kvm_t" }, { type: "container_engine_t" }],
    allowedUnsafeSysctls: BASELINE_SYSCTLS,
    seccompProfiles: { allowedProfiles: ["RuntimeDefault", "Localhost", "", "undefined"], allowedLocalhostFiles: ["*"] },
  },
  restricted: {
    allowPrivileged: true,
    allowPrivilegeEscalation: false,
    allowedCapabilities: ["NET_BIND_SERVICE"],
    requiredDropCapabilities: ["ALL"],
    allowedVolumes: ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"],
    runAsUser: { rule: "MustRunAsNonRoot" },
    seccompProfiles: { allowedProfiles: ["RuntimeDefault", "Localhost"], allowedLocalhostFiles: ["*"] },
  },
};

/** The levels whose checks apply in a namespace of `level`. */
export function pssLevelsFor(level: string): PssLevel[] {
  if (level === "restricted") return ["baseline", "restricted"];
  if (level === "baseline") return ["baseline"];
  return [];
}
