/** D8HostProcesses: rendered from SecurityPolicy `allowHostPID` / `allowHostIPC` set to false, and by the baseline PSS. */
import { defineCheck, regoFile } from "policyc";
import { podWith, spe, speLabel } from "../support/objects.js";

export const hostProcesses = defineCheck<{
  /** Whether Pods may share the host PID namespace (`hostPID: true`). */
  allowHostPID?: boolean;
  /** Whether Pods may share the host IPC namespace (`hostIPC: true`). */
  allowHostIPC?: boolean;
}>({
  kind: "D8HostProcesses",
  title: "Host PID and IPC namespaces",
  description: "Pods must not share the host PID or IPC namespace unless the parameters or a SecurityPolicyException allow it.",
  rego: regoFile("./host-processes.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "host-pid", parameters: { allowHostPID: false, allowHostIPC: true }, object: podWith(undefined, { hostPID: true }), violations: 1, messages: ["Sharing the hostPID namespace is not allowed, pod: pod | hostPID: true | policy allows: false"] },
    { name: "host-ipc", parameters: { allowHostPID: true, allowHostIPC: false }, object: podWith(undefined, { hostIPC: true }), violations: 1, messages: ["Sharing the hostIPC namespace is not allowed, pod: pod"] },
    { name: "both-forbidden-no-parameters", object: podWith(undefined, { hostIPC: true, hostPID: true }), violations: 2 },
    { name: "allowed-pid", parameters: { allowHostPID: true, allowHostIPC: false }, object: podWith(undefined, { hostPID: true }), violations: "no" },
    { name: "false-values", parameters: { allowHostPID: false, allowHostIPC: false }, object: podWith(undefined, { hostPID: false, hostIPC: false }), violations: "no" },
    { name: "absent", parameters: { allowHostPID: false, allowHostIPC: false }, object: podWith(undefined), violations: "no" },
    { name: "spe-false-narrows-allowing-policy", parameters: { allowHostPID: true, allowHostIPC: true }, object: podWith(undefined, { hostPID: true }, speLabel("none")), inventory: [spe("none", { network: { hostPID: { allowedValue: false }, hostIPC: { allowedValue: false } } })], violations: 1, messages: ["Sharing the hostPID namespace is not allowed, pod: pod | hostPID: true | policy allows: true | SPE allows: false"] },
    { name: "spe-for-other-field-keeps-policy", parameters: { allowHostPID: true, allowHostIPC: false }, object: podWith(undefined, { hostPID: true }, speLabel("ipc")), inventory: [spe("ipc", { network: { hostIPC: { allowedValue: false } } })], violations: "no" },
    { name: "spe-false-value-false", parameters: { allowHostPID: true }, object: podWith(undefined, { hostPID: false }, speLabel("none")), inventory: [spe("none", { network: { hostPID: { allowedValue: false } } })], violations: "no" },
    { name: "spe-match", parameters: { allowHostPID: false }, object: podWith(undefined, { hostPID: true }, speLabel("pid")), inventory: [spe("pid", { network: { hostPID: { allowedValue: true } } })], violations: "no" },
    { name: "spe-mismatch", parameters: { allowHostIPC: false }, object: podWith(undefined, { hostIPC: true }, speLabel("pid")), inventory: [spe("pid", { network: { hostPID: { allowedValue: true } } })], violations: 1 },
  ],
});
