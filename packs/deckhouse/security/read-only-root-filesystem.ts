/** D8ReadOnlyRootFilesystem: rendered from SecurityPolicy `readOnlyRootFilesystem: true`. */
import { defineCheck, regoFile } from "policyc";
import { podReview, podWith, podWithEphemeral, podWithInit, spe, speContainerLabel, speLabel } from "../support/objects.js";

export const readOnlyRootFilesystem = defineCheck<{}>({
  kind: "D8ReadOnlyRootFilesystem",
  title: "Read-only root filesystem",
  description: "Every container must set securityContext.readOnlyRootFilesystem: true, unless a SecurityPolicyException allows otherwise.",
  rego: regoFile("./read-only-root-filesystem.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "absent", object: podWith(undefined), violations: 1, messages: ["only read-only root filesystem container is allowed, container: app | readOnlyRootFilesystem: false | policy allows: true"] },
    { name: "false", object: podWith({ readOnlyRootFilesystem: false }), violations: 1 },
    { name: "true", object: podWith({ readOnlyRootFilesystem: true }), violations: "no" },
    { name: "init-container", object: podWithInit({ readOnlyRootFilesystem: true }), violations: 1, messages: ["container: app"] },
    { name: "ephemeral-container", object: podWithEphemeral({ readOnlyRootFilesystem: false }), violations: 2 },
    { name: "spe-match", object: podWith({ readOnlyRootFilesystem: false }, {}, speLabel("rw")), inventory: [spe("rw", { securityContext: { readOnlyRootFilesystem: { allowedValue: false } } })], violations: "no" },
    { name: "spe-absent-field", object: podWith(undefined, {}, speLabel("rw")), inventory: [spe("rw", { securityContext: { readOnlyRootFilesystem: { allowedValue: false } } })], violations: "no" },
    { name: "spe-other-field", object: podWith(undefined, {}, speLabel("rw")), inventory: [spe("rw", { securityContext: { privileged: { allowedValue: true } } })], violations: 1 },
    {
      // The Pod as the API server may send it, without metadata.namespace: the exception is looked up in the request's namespace.
      name: "spe-request-namespace",
      object: podReview({
        name: "pod",
        namespace: "app",
        operation: "CREATE",
        userInfo: { username: "alice" },
        object: { apiVersion: "v1", kind: "Pod", metadata: { name: "pod", ...speLabel("rw") }, spec: { containers: [{ name: "app", image: "registry.example.com/app:1.0" }] } },
      }),
      inventory: [spe("rw", { securityContext: { readOnlyRootFilesystem: { allowedValue: false } } })],
      violations: "no",
    },
    { name: "spe-container-specific", object: podWith(undefined, {}, speContainerLabel("other", "rw")), inventory: [spe("rw", { securityContext: { readOnlyRootFilesystem: { allowedValue: false } } })], violations: 1 },
  ],
});
