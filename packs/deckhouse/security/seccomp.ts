/** D8AllowedSeccompProfiles: rendered from SecurityPolicy `seccompProfiles` and by both PSS levels. */
import { defineCheck, regoFile } from "policyc";
import { podWith, podWithEphemeral, podWithInit, spe, speLabel } from "../support/objects.js";

const baseline = { allowedProfiles: ["RuntimeDefault", "Localhost", "", "undefined"], allowedLocalhostFiles: ["*"] };
const restricted = { allowedProfiles: ["RuntimeDefault", "Localhost"], allowedLocalhostFiles: ["*"] };

export const allowedSeccompProfiles = defineCheck<{
  /**
   * Allowed profiles, in securityContext form (`RuntimeDefault`, `Unconfined`, `Localhost`) or annotation
   * form (`runtime/default`, `docker/default`, `unconfined`, `localhost/<file>`); the forms are
   * synonyms. `*` allows all. A container without a profile in any source is not judged (Deckhouse
   * documents that it is allowed on a Pod and on a controller alike); `""` and `undefined`, which
   * the baseline set lists, change nothing.
   */
  allowedProfiles?: string[];
  /** Files a `Localhost` profile may load (`*`: any). */
  allowedLocalhostFiles?: string[];
}>({
  kind: "D8AllowedSeccompProfiles",
  title: "Seccomp profiles",
  description: "Each container's seccomp profile (its securityContext, its annotation, the Pod's), when it has one, must be allowed.",
  rego: regoFile("./seccomp.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "unconfined", parameters: restricted, object: podWith({ seccompProfile: { type: "Unconfined" } }), violations: 1, messages: ["Seccomp profile is not allowed, container: app | seccompProfile: Unconfined | policy allows: [\"RuntimeDefault\", \"Localhost\"]"] },
    { name: "runtime-default", parameters: restricted, object: podWith({ seccompProfile: { type: "RuntimeDefault" } }), violations: "no" },
    { name: "unset-restricted", parameters: restricted, object: podWith(undefined), violations: "no" },
    { name: "unset-localhost-only", parameters: { allowedProfiles: ["Localhost"], allowedLocalhostFiles: ["*"] }, object: podWith(undefined), violations: "no" },
    { name: "unset-ephemeral-container", parameters: restricted, object: podWithEphemeral({}), violations: "no" },
    { name: "unset-baseline", parameters: baseline, object: podWith(undefined), violations: "no" },
    { name: "pod-level", parameters: restricted, object: podWith(undefined, { securityContext: { seccompProfile: { type: "RuntimeDefault" } } }), violations: "no" },
    { name: "container-overrides-pod", parameters: restricted, object: podWith({ seccompProfile: { type: "Unconfined" } }, { securityContext: { seccompProfile: { type: "RuntimeDefault" } } }), violations: 1 },
    { name: "annotation-synonym", parameters: restricted, object: podWith(undefined, {}, { annotations: { "seccomp.security.alpha.kubernetes.io/pod": "docker/default" } }), violations: "no" },
    { name: "annotation-form-allowed", parameters: { allowedProfiles: ["runtime/default"] }, object: podWith({ seccompProfile: { type: "RuntimeDefault" } }), violations: "no" },
    { name: "localhost-file", parameters: { allowedProfiles: ["Localhost"], allowedLocalhostFiles: ["my_profile.json"] }, object: podWith({ seccompProfile: { type: "Localhost", localhostProfile: "my_profile.json" } }), violations: "no" },
    { name: "localhost-other-file", parameters: { allowedProfiles: ["Localhost"], allowedLocalhostFiles: ["my_profile.json"] }, object: podWith({ seccompProfile: { type: "Localhost", localhostProfile: "other.json" } }), violations: 1 },
    { name: "localhost-annotation-form", parameters: { allowedProfiles: ["localhost/a.json"] }, object: podWith({ seccompProfile: { type: "Localhost", localhostProfile: "a.json" } }), violations: "no" },
    { name: "container-annotation-unconfined", parameters: restricted, object: podWith(undefined, {}, { annotations: { "container.seccomp.security.alpha.kubernetes.io/app": "unconfined" } }), violations: 1, messages: ["seccompProfile: unconfined"] },
    { name: "annotation-localhost-file", parameters: { allowedProfiles: ["Localhost"], allowedLocalhostFiles: ["prof.json"] }, object: podWith(undefined, {}, { annotations: { "seccomp.security.alpha.kubernetes.io/pod": "localhost/prof.json" } }), violations: "no" },
    { name: "annotation-unknown-profile", parameters: restricted, object: podWith(undefined, {}, { annotations: { "seccomp.security.alpha.kubernetes.io/pod": "custom" } }), violations: 1, messages: ["seccompProfile: custom"] },
    { name: "unconfined-annotation-form-allowed", parameters: { allowedProfiles: ["unconfined"] }, object: podWith({ seccompProfile: { type: "Unconfined" } }), violations: "no" },
    { name: "wildcard", parameters: { allowedProfiles: ["*"] }, object: podWith({ seccompProfile: { type: "Unconfined" } }), violations: "no" },
    { name: "init-container", parameters: restricted, object: podWithInit({ seccompProfile: { type: "Unconfined" } }), violations: 1, messages: ["container: init | seccompProfile: Unconfined"] },
    { name: "spe-match", parameters: restricted, object: podWith({ seccompProfile: { type: "Unconfined" } }, {}, speLabel("sc")), inventory: [spe("sc", { securityContext: { seccompProfile: { allowedValues: ["Unconfined"] } } })], violations: "no" },
    { name: "spe-mismatch", parameters: restricted, object: podWith({ seccompProfile: { type: "Unconfined" } }, {}, speLabel("sc")), inventory: [spe("sc", { securityContext: { seccompProfile: { allowedValues: ["Localhost"] } } })], violations: 1, messages: ["SPE allows: [\"Localhost\"]"] },
  ],
});
