/** D8AllowedProcMount: rendered from SecurityPolicy `allowedProcMount: Default` and by the baseline PSS. */
import { defineCheck, regoFile } from "policyc";
import { podWith, podWithEphemeral, spe, speContainerLabel, speLabel, speSlashLabel } from "../support/objects.js";

export const allowedProcMount = defineCheck<{
  /** `Default` requires the default /proc masking; `Unmasked` allows any. */
  allowedProcMount?: "Default" | "Unmasked";
}>({
  kind: "D8AllowedProcMount",
  title: "procMount",
  description: "With allowedProcMount Default, containers must not set securityContext.procMount to anything but Default.",
  rego: regoFile("./proc-mount.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "unmasked", parameters: { allowedProcMount: "Default" }, object: podWith({ procMount: "Unmasked" }), violations: 1, messages: ["ProcMount type is not allowed, container: app | procMount: Unmasked | policy allows: Default"] },
    { name: "default", parameters: { allowedProcMount: "Default" }, object: podWith({ procMount: "Default" }), violations: "no" },
    { name: "absent", parameters: { allowedProcMount: "Default" }, object: podWith(undefined), violations: "no" },
    { name: "unmasked-allowed", parameters: { allowedProcMount: "Unmasked" }, object: podWith({ procMount: "Unmasked" }), violations: "no" },
    { name: "ephemeral-container", parameters: { allowedProcMount: "Default" }, object: podWithEphemeral({ procMount: "Unmasked" }), violations: 1 },
    { name: "spe-match", parameters: { allowedProcMount: "Default" }, object: podWith({ procMount: "Unmasked" }, {}, speLabel("pm")), inventory: [spe("pm", { securityContext: { procMount: { allowedValues: ["Unmasked"] } } })], violations: "no" },
    { name: "spe-slash-label", parameters: { allowedProcMount: "Default" }, object: podWith({ procMount: "Unmasked" }, {}, speSlashLabel("app", "pm")), inventory: [spe("pm", { securityContext: { procMount: { allowedValues: ["Unmasked"] } } })], violations: "no" },
    { name: "spe-slash-label-other-container", parameters: { allowedProcMount: "Default" }, object: podWith({ procMount: "Unmasked" }, {}, speSlashLabel("sidecar", "pm")), inventory: [spe("pm", { securityContext: { procMount: { allowedValues: ["Unmasked"] } } })], violations: 1 },
    { name: "spe-container-label-wins-over-slash", parameters: { allowedProcMount: "Default" }, object: podWith({ procMount: "Unmasked" }, {}, { labels: { ...speSlashLabel("app", "pm").labels, ...speContainerLabel("app", "other").labels } }), inventory: [spe("pm", { securityContext: { procMount: { allowedValues: ["Unmasked"] } } })], violations: 1 },
    { name: "spe-mismatch", parameters: { allowedProcMount: "Default" }, object: podWith({ procMount: "Unmasked" }, {}, speLabel("pm")), inventory: [spe("pm", { securityContext: { procMount: { allowedValues: ["Default"] } } })], violations: 1, messages: ["SPE allows: [\"Default\"]"] },
  ],
});
