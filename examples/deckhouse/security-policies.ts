// SecurityPolicies from the Deckhouse security-policies page: `mypolicy`, and the `baseline` and
// `restricted` policies for partial enforcement in namespaces labelled `pod-policy: privileged`.
import { securityPolicy, type SecurityPolicyPolicies } from "policyc";

export const mypolicy = securityPolicy({
  name: "mypolicy",
  enforcementAction: "Deny",
  policies: {
    allowHostIPC: true,
    allowHostNetwork: true,
    allowHostPID: false,
    allowPrivileged: false,
    allowPrivilegeEscalation: false,
    allowedFlexVolumes: [{ driver: "vmware" }],
    allowedHostPorts: [{ max: 4000, min: 2000 }],
    allowedProcMount: "Unmasked",
    allowedAppArmor: ["unconfined"],
    allowedUnsafeSysctls: ["kernel.*"],
    allowedVolumes: ["hostPath", "projected"],
    fsGroup: { ranges: [{ max: 200, min: 100 }], rule: "MustRunAs" },
    readOnlyRootFilesystem: true,
    requiredDropCapabilities: ["ALL"],
    runAsGroup: { ranges: [{ max: 500, min: 300 }], rule: "RunAsAny" },
    runAsUser: { ranges: [{ max: 200, min: 100 }], rule: "MustRunAs" },
    seccompProfiles: { allowedLocalhostFiles: ["my_profile.json"], allowedProfiles: ["Localhost"] },
    supplementalGroups: { ranges: [{ max: 133, min: 129 }], rule: "MustRunAs" },
  },
  match: { namespaceSelector: { labelSelector: { matchLabels: { enforce: "mypolicy" } } } },
});

// What baseline and restricted share; each level adds its own knobs below.
const safeSysctls = [
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
const containerSELinuxTypes = [{ type: "" }, { type: "container_t" }, { type: "container_init_t" }, { type: "container_kvm_t" }, { type: "container_engine_t" }];
const common: SecurityPolicyPolicies = {
  allowHostIPC: false,
  allowHostNetwork: false,
  allowHostPID: false,
  allowPrivileged: false,
  allowedAppArmor: ["runtime/default", "localhost/*"],
  allowedHostPaths: [],
  allowedHostPorts: [{ max: 0, min: 0 }],
  allowedProcMount: "Default",
  allowedUnsafeSysctls: safeSysctls,
  seLinux: containerSELinuxTypes,
};

export const baseline = securityPolicy({
  name: "baseline",
  enforcementAction: "Deny",
  policies: {
    ...common,
    allowPrivilegeEscalation: true,
    allowedCapabilities: ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"],
    seccompProfiles: { allowedProfiles: ["RuntimeDefault", "Localhost", "undefined", ""], allowedLocalhostFiles: ["*"] },
  },
  match: { namespaceSelector: { labelSelector: { matchLabels: { "operation-policy.deckhouse.io/baseline-enabled": "true" } } } },
});

export const restricted = securityPolicy({
  name: "restricted",
  enforcementAction: "Deny",
  policies: {
    ...common,
    allowPrivilegeEscalation: false,
    allowedCapabilities: ["NET_BIND_SERVICE"],
    allowedVolumes: ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"],
    requiredDropCapabilities: ["ALL"],
    runAsUser: { rule: "MustRunAsNonRoot" },
    seccompProfiles: { allowedProfiles: ["RuntimeDefault", "Localhost"], allowedLocalhostFiles: ["*"] },
  },
  match: { namespaceSelector: { labelSelector: { matchLabels: { "operation-policy.deckhouse.io/restricted-enabled": "true" } } } },
});
