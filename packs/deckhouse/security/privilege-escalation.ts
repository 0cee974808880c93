/** D8AllowPrivilegeEscalation: rendered from SecurityPolicy `allowPrivilegeEscalation` (absent or false) and by the restricted PSS. */
import { defineCheck, regoFile } from "policyc";
import { pod, podWith, podWithEphemeral, podWithInit, spe, speContainerLabel, speLabel } from "../support/objects.js";

export const allowPrivilegeEscalation = defineCheck<{
  /** `true` lets containers set `allowPrivilegeEscalation: true`; Deckhouse's PSS passes `false`, SecurityPolicies pass nothing. */
  allowPrivilegeEscalation?: boolean;
}>({
  kind: "D8AllowPrivilegeEscalation",
  title: "Privilege escalation",
  description: "Containers must not set securityContext.allowPrivilegeEscalation: true, unless a SecurityPolicyException allows it. An unset field passes.",
  rego: regoFile("./privilege-escalation.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "escalation", object: podWith({ allowPrivilegeEscalation: true }), violations: 1, messages: ["Privilege escalation container is not allowed, container: app | allowPrivilegeEscalation: true | policy allows: false"] },
    { name: "explicit-false", object: podWith({ allowPrivilegeEscalation: false }), violations: "no" },
    { name: "absent", object: podWith(undefined), violations: "no" },
    { name: "pss-parameter", parameters: { allowPrivilegeEscalation: false }, object: podWith({ allowPrivilegeEscalation: true }), violations: 1 },
    { name: "allowed-by-parameter", parameters: { allowPrivilegeEscalation: true }, object: podWith({ allowPrivilegeEscalation: true }), violations: "no" },
    { name: "spe-false-narrows-allowing-policy", parameters: { allowPrivilegeEscalation: true }, object: podWith({ allowPrivilegeEscalation: true }, {}, speLabel("strict")), inventory: [spe("strict", { securityContext: { allowPrivilegeEscalation: { allowedValue: false } } })], violations: 1, messages: ["allowPrivilegeEscalation: true | policy allows: true | SPE allows: false"] },
    { name: "spe-container-false-other-container-free", parameters: { allowPrivilegeEscalation: true }, object: pod({ containers: [{ name: "app", image: "a:1", securityContext: { allowPrivilegeEscalation: true } }, { name: "side", image: "a:1", securityContext: { allowPrivilegeEscalation: true } }] }, speContainerLabel("app", "strict")), inventory: [spe("strict", { securityContext: { allowPrivilegeEscalation: { allowedValue: false } } })], violations: 1, messages: ["container: app"] },
    { name: "pss-unset-denied", parameters: { allowPrivilegeEscalation: false }, object: podWith(undefined), violations: 1, messages: ["Privilege escalation container is not allowed, container: app | allowPrivilegeEscalation: null | policy allows: false"] },
    { name: "pss-unset-lifted-by-exception", parameters: { allowPrivilegeEscalation: false }, object: podWith({ runAsNonRoot: true }, {}, speLabel("esc")), inventory: [spe("esc", { securityContext: { allowPrivilegeEscalation: { allowedValue: true } } })], violations: "no" },
    { name: "pss-explicit-false-exception-unused", parameters: { allowPrivilegeEscalation: false }, object: podWith({ allowPrivilegeEscalation: false }, {}, speLabel("esc")), inventory: [spe("esc", { securityContext: { allowPrivilegeEscalation: { allowedValue: true } } })], violations: "no" },
    { name: "init-container", object: podWithInit({ allowPrivilegeEscalation: true }), violations: 1, messages: ["container: init"] },
    { name: "ephemeral-container", object: podWithEphemeral({ allowPrivilegeEscalation: true }), violations: 1, messages: ["container: debug"] },
    { name: "spe-match", object: podWith({ allowPrivilegeEscalation: true }, {}, speLabel("esc")), inventory: [spe("esc", { securityContext: { allowPrivilegeEscalation: { allowedValue: true } } })], violations: "no" },
    { name: "spe-mismatch", object: podWith({ allowPrivilegeEscalation: true }, {}, speLabel("esc")), inventory: [spe("esc", { securityContext: { allowPrivilegeEscalation: { allowedValue: false } } })], violations: 1, messages: ["SPE allows: false"] },
  ],
});
