/** D8AppArmor: rendered from SecurityPolicy `allowedAppArmor` and by the baseline PSS (`runtime/default`, `localhost/*`). */
import { defineCheck, regoFile } from "policyc";
import { pod, podWith, podWithInit, spe, speLabel } from "../support/objects.js";

const baseline = ["runtime/default", "localhost/*"];

export const appArmor = defineCheck<{
  /**
   * Allowed profiles in annotation form (`runtime/default`, `unconfined`, `localhost/<name>`,
   * `localhost/*`, `*`) or securityContext form (`RuntimeDefault`, `Unconfined`, `Localhost`: a
   * localhost profile named in `allowedLocalhostFiles`); the forms are synonyms.
   */
  allowedProfiles?: string[];
  /** Localhost profiles that `Localhost` in `allowedProfiles` allows (`*`: any). */
  allowedLocalhostFiles?: string[];
}>({
  kind: "D8AppArmor",
  title: "AppArmor profiles",
  description: "Each container's AppArmor profile (securityContext.appArmorProfile, the beta annotation, the Pod's securityContext; runtime/default when unset) must be allowed.",
  rego: regoFile("./apparmor.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "unconfined-field", parameters: { allowedProfiles: baseline }, object: podWith({ appArmorProfile: { type: "Unconfined" } }), violations: 1, messages: ["AppArmor profile is not allowed, pod: pod, container: app | appArmorProfile: unconfined | policy allows: [\"runtime/default\", \"localhost/*\"]"] },
    { name: "runtime-default", parameters: { allowedProfiles: baseline }, object: podWith({ appArmorProfile: { type: "RuntimeDefault" } }), violations: "no" },
    { name: "localhost-glob", parameters: { allowedProfiles: baseline }, object: podWith({ appArmorProfile: { type: "Localhost", localhostProfile: "k8s-nginx" } }), violations: "no" },
    { name: "localhost-exact", parameters: { allowedProfiles: ["localhost/other"] }, object: podWith({ appArmorProfile: { type: "Localhost", localhostProfile: "k8s-nginx" } }), violations: 1 },
    { name: "absent", parameters: { allowedProfiles: baseline }, object: podWith(undefined), violations: "no" },
    { name: "absent-not-allowed", parameters: { allowedProfiles: ["unconfined"] }, object: podWith(undefined), violations: 1 },
    { name: "annotation", parameters: { allowedProfiles: baseline }, object: podWith(undefined, {}, { annotations: { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" } }), violations: 1 },
    { name: "pod-level", parameters: { allowedProfiles: baseline }, object: podWith(undefined, { securityContext: { appArmorProfile: { type: "Unconfined" } } }), violations: 1 },
    { name: "container-overrides-pod", parameters: { allowedProfiles: baseline }, object: podWith({ appArmorProfile: { type: "RuntimeDefault" } }, { securityContext: { appArmorProfile: { type: "Unconfined" } } }), violations: "no" },
    { name: "securitycontext-form", parameters: { allowedProfiles: ["RuntimeDefault", "Localhost"], allowedLocalhostFiles: ["*"] }, object: podWith(undefined, {}, { annotations: { "container.apparmor.security.beta.kubernetes.io/app": "runtime/default" } }), violations: "no" },
    { name: "securitycontext-form-unconfined", parameters: { allowedProfiles: ["RuntimeDefault", "Localhost"], allowedLocalhostFiles: ["*"] }, object: podWith({ appArmorProfile: { type: "Unconfined" } }), violations: 1 },
    { name: "securitycontext-form-unconfined-allowed", parameters: { allowedProfiles: ["Unconfined"] }, object: podWith(undefined, {}, { annotations: { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" } }), violations: "no" },
    { name: "localhost-file-allowed", parameters: { allowedProfiles: ["Localhost"], allowedLocalhostFiles: ["k8s-nginx"] }, object: podWith({ appArmorProfile: { type: "Localhost", localhostProfile: "k8s-nginx" } }), violations: "no" },
    { name: "localhost-file-not-allowed", parameters: { allowedProfiles: ["Localhost"], allowedLocalhostFiles: ["k8s-nginx"] }, object: podWith(undefined, {}, { annotations: { "container.apparmor.security.beta.kubernetes.io/app": "localhost/other" } }), violations: 1 },
    { name: "localhost-without-files", parameters: { allowedProfiles: ["Localhost"] }, object: podWith({ appArmorProfile: { type: "Localhost", localhostProfile: "k8s-nginx" } }), violations: 1 },
    { name: "deny-all", parameters: { allowedProfiles: [] }, object: podWith({ appArmorProfile: { type: "RuntimeDefault" } }), violations: 1 },
    { name: "wildcard", parameters: { allowedProfiles: ["*"] }, object: podWith({ appArmorProfile: { type: "Unconfined" } }), violations: "no" },
    { name: "init-container", parameters: { allowedProfiles: baseline }, object: podWithInit({ appArmorProfile: { type: "Unconfined" } }), violations: 1, messages: ["container: init"] },
    { name: "spe-match", parameters: { allowedProfiles: baseline }, object: podWith({ appArmorProfile: { type: "Unconfined" } }, {}, speLabel("aa")), inventory: [spe("aa", { securityContext: { appArmorProfile: { allowedValues: ["unconfined"] } } })], violations: "no" },
    { name: "spe-mismatch", object: pod({ containers: [{ name: "app", image: "a:1", securityContext: { appArmorProfile: { type: "Localhost", localhostProfile: "x" } } }] }, speLabel("aa")), inventory: [spe("aa", { securityContext: { appArmorProfile: { allowedValues: ["unconfined"] } } })], parameters: { allowedProfiles: ["runtime/default"] }, violations: 1, messages: ["SPE allows: [\"unconfined\"]"] },
  ],
});
