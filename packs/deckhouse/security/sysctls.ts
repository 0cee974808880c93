/** D8AllowedSysctls: rendered from SecurityPolicy `allowedUnsafeSysctls` / `forbiddenSysctls` and by the baseline PSS (the safe set). */
import { defineCheck, regoFile } from "policyc";
import { podWith, spe, speLabel } from "../support/objects.js";

const safe = [
  "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
];
const withSysctl = (name: string, value = "1", metadata: Record<string, unknown> = {}) => podWith(undefined, { securityContext: { sysctls: [{ name, value }] } }, metadata);

export const allowedSysctls = defineCheck<{
  /** Sysctls Pods may set (globs: a trailing `*`; `*` allows all); unset, every sysctl not forbidden is allowed. */
  allowedSysctls?: string[];
  /** Sysctls Pods must not set (globs); they win over the allowed list. */
  forbiddenSysctls?: string[];
}>({
  kind: "D8AllowedSysctls",
  title: "Sysctls",
  description: "Pod sysctls must match an allowed glob and no forbidden glob.",
  rego: regoFile("./sysctls.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "unsafe", parameters: { allowedSysctls: safe }, object: withSysctl("kernel.msgmax"), violations: 1, messages: ["The sysctl is not allowed, pod: pod. | sysctl: kernel.msgmax"] },
    { name: "safe", parameters: { allowedSysctls: safe }, object: withSysctl("net.ipv4.tcp_syncookies"), violations: "no" },
    { name: "glob", parameters: { allowedSysctls: ["kernel.*"] }, object: withSysctl("kernel.msgmax"), violations: "no" },
    { name: "forbidden-wins", parameters: { allowedSysctls: ["*"], forbiddenSysctls: ["kernel.msg*"] }, object: withSysctl("kernel.msgmax"), violations: 1 },
    { name: "only-forbidden", parameters: { forbiddenSysctls: ["net.*"] }, object: withSysctl("kernel.msgmax"), violations: "no" },
    { name: "no-sysctls", parameters: { allowedSysctls: [] }, object: podWith(undefined), violations: "no" },
    { name: "spe-match", parameters: { allowedSysctls: safe }, object: withSysctl("kernel.msgmax", "65536", speLabel("sc")), inventory: [spe("sc", { securityContext: { sysctls: { allowedValues: [{ name: "kernel.msgmax", value: "65536" }] } } })], violations: "no" },
    { name: "spe-bare-name", parameters: { allowedSysctls: safe }, object: withSysctl("kernel.msgmax", "1", speLabel("sc")), inventory: [spe("sc", { securityContext: { sysctls: { allowedValues: ["kernel.msgmax"] } } })], violations: "no" },
    { name: "spe-bare-name-other", parameters: { allowedSysctls: safe }, object: withSysctl("kernel.msgmax", "1", speLabel("sc")), inventory: [spe("sc", { securityContext: { sysctls: { allowedValues: ["kernel.sem"] } } })], violations: 1 },
    { name: "spe-value-mismatch", parameters: { allowedSysctls: safe }, object: withSysctl("kernel.msgmax", "1", speLabel("sc")), inventory: [spe("sc", { securityContext: { sysctls: { allowedValues: [{ name: "kernel.msgmax", value: "65536" }] } } })], violations: 1, messages: ["SPE allows:"] },
  ],
});
