/** D8AllowedCapabilities: rendered from SecurityPolicy `allowedCapabilities` / `requiredDropCapabilities`, and by both PSS levels. */
import { defineCheck, regoFile } from "policyc";
import { podWith, podWithEphemeral, podWithInit, spe, speLabel } from "../support/objects.js";

/** A Linux capability without the `CAP_` prefix, or `ALL`. */
export type Capability =
  | "ALL" | "SETPCAP" | "SYS_MODULE" | "SYS_RAWIO" | "SYS_PACCT" | "SYS_ADMIN" | "SYS_NICE" | "SYS_RESOURCE" | "SYS_TIME"
  | "SYS_TTY_CONFIG" | "MKNOD" | "AUDIT_WRITE" | "AUDIT_CONTROL" | "MAC_OVERRIDE" | "MAC_ADMIN" | "NET_ADMIN" | "SYSLOG"
  | "CHOWN" | "NET_RAW" | "DAC_OVERRIDE" | "FOWNER" | "DAC_READ_SEARCH" | "FSETID" | "KILL" | "SETGID" | "SETUID"
  | "LINUX_IMMUTABLE" | "NET_BIND_SERVICE" | "NET_BROADCAST" | "IPC_LOCK" | "IPC_OWNER" | "SYS_CHROOT" | "SYS_PTRACE"
  | "SYS_BOOT" | "LEASE" | "SETFCAP" | "WAKE_ALARM" | "BLOCK_SUSPEND";

const caps = (add?: string[], drop?: string[]) => ({ capabilities: { ...(add ? { add } : {}), ...(drop ? { drop } : {}) } });

export const allowedCapabilities = defineCheck<{
  /** Capabilities `capabilities.add` may contain (`ALL`: any); unset, nothing may be added. */
  allowedCapabilities?: Capability[];
  /** Capabilities every container must drop (dropping `ALL` covers them all). */
  requiredDropCapabilities?: Capability[];
}>({
  kind: "D8AllowedCapabilities",
  title: "Linux capabilities",
  description: "Containers may add only allowed capabilities and must drop the required ones (case-insensitive; dropping ALL covers every capability).",
  rego: regoFile("./capabilities.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "disallowed-add", parameters: { allowedCapabilities: ["NET_BIND_SERVICE"] }, object: podWith(caps(["SYS_ADMIN"])), violations: 1, messages: ["container has a disallowed capability, container: app | capabilities.add: [\"SYS_ADMIN\"] | policy allows: [\"NET_BIND_SERVICE\"]"] },
    { name: "allowed-add", parameters: { allowedCapabilities: ["NET_BIND_SERVICE"] }, object: podWith(caps(["NET_BIND_SERVICE"])), violations: "no" },
    { name: "all-allowed", parameters: { allowedCapabilities: ["ALL"], requiredDropCapabilities: ["MKNOD"] }, object: podWith(caps(["SYS_ADMIN"], ["MKNOD"])), violations: "no" },
    { name: "add-without-allowed-list", parameters: { requiredDropCapabilities: ["MKNOD"] }, object: podWith(caps(["CHOWN"], ["MKNOD"])), violations: 1 },
    { name: "missing-drop", parameters: { requiredDropCapabilities: ["MKNOD", "NET_BIND_SERVICE"] }, object: podWith(caps(undefined, ["MKNOD"])), violations: 1, messages: ["container is not dropping all required capabilities, container: app | capabilities.drop: [\"MKNOD\"] | policy allows: [\"MKNOD\", \"NET_BIND_SERVICE\"]"] },
    { name: "drop-all", parameters: { requiredDropCapabilities: ["MKNOD"] }, object: podWith(caps(undefined, ["ALL"])), violations: "no" },
    { name: "drop-lowercase", parameters: { requiredDropCapabilities: ["ALL"] }, object: podWith(caps(undefined, ["all"])), violations: "no" },
    { name: "drop-absent", parameters: { requiredDropCapabilities: ["ALL"] }, object: podWith(undefined), violations: 1 },
    { name: "nothing-required", parameters: { allowedCapabilities: ["CHOWN"] }, object: podWith(undefined), violations: "no" },
    { name: "init-container", parameters: { requiredDropCapabilities: ["ALL"] }, object: podWithInit(caps(undefined, ["MKNOD"])), violations: 2 },
    { name: "ephemeral-container", parameters: { allowedCapabilities: [] }, object: podWithEphemeral(caps(["NET_RAW"])), violations: 1, messages: ["container: debug"] },
    { name: "spe-add", parameters: { allowedCapabilities: [] }, object: podWith(caps(["NET_ADMIN"]), {}, speLabel("caps")), inventory: [spe("caps", { securityContext: { capabilities: { allowedValues: { add: ["NET_ADMIN"], drop: [] } } } })], violations: "no" },
    { name: "spe-drop", parameters: { requiredDropCapabilities: ["ALL"] }, object: podWith(caps(undefined, ["MKNOD"]), {}, speLabel("caps")), inventory: [spe("caps", { securityContext: { capabilities: { allowedValues: { add: [], drop: ["MKNOD"] } } } })], violations: "no" },
    { name: "spe-mismatch", parameters: { allowedCapabilities: [] }, object: podWith(caps(["SYS_ADMIN"]), {}, speLabel("caps")), inventory: [spe("caps", { securityContext: { capabilities: { allowedValues: { add: ["NET_ADMIN"], drop: [] } } } })], violations: 1, messages: ["SPE allows:"] },
  ],
});
