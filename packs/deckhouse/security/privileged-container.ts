/** D8PrivilegedContainer: rendered from SecurityPolicy `allowPrivileged` (absent or false) and by the baseline PSS. */
import { defineCheck, regoFile } from "policyc";
import { pod, podWith, podWithEphemeral, podWithInit, spe, speContainerLabel, speLabel, workloadOf } from "../support/objects.js";

export const privilegedContainer = defineCheck<{}>({
  kind: "D8PrivilegedContainer",
  title: "Privileged containers",
  description: "Containers (init and ephemeral ones included) must not set securityContext.privileged: true, unless a SecurityPolicyException allows it.",
  rego: regoFile("./privileged-container.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "privileged", object: podWith({ privileged: true }), violations: 1, messages: ["Privileged container is not allowed, container: app | privileged: true | policy allows: false"] },
    { name: "statefulset-template", object: workloadOf("StatefulSet", { containers: [{ name: "db", image: "a:1", securityContext: { privileged: true } }] }), violations: 1, messages: ["Privileged container is not allowed, container: db"] },
    { name: "job-template-unprivileged", object: workloadOf("Job", { containers: [{ name: "task", image: "a:1", securityContext: { privileged: false } }] }), violations: "no" },
    { name: "replicationcontroller-init", object: workloadOf("ReplicationController", { containers: [{ name: "app", image: "a:1" }], initContainers: [{ name: "init", image: "a:1", securityContext: { privileged: true } }] }), violations: 1 },
    { name: "not-privileged", object: podWith({ privileged: false }), violations: "no" },
    { name: "absent", object: podWith(undefined), violations: "no" },
    { name: "init-container", object: podWithInit({ privileged: true }), violations: 1, messages: ["container: init"] },
    { name: "ephemeral-container", object: podWithEphemeral({ privileged: true }), violations: 1, messages: ["container: debug"] },
    {
      name: "multi-container",
      object: pod({ containers: [{ name: "a", image: "x:1", securityContext: { privileged: true } }, { name: "b", image: "x:1", securityContext: { privileged: true } }] }),
      violations: 2,
    },
    { name: "spe-match", object: podWith({ privileged: true }, {}, speLabel("priv")), inventory: [spe("priv", { securityContext: { privileged: { allowedValue: true } } })], violations: "no" },
    {
      name: "spe-mismatch",
      object: podWith({ privileged: true }, {}, speLabel("priv")),
      inventory: [spe("priv", { securityContext: { privileged: { allowedValue: false } } })],
      violations: 1,
      messages: ["| SPE allows: false"],
    },
    { name: "spe-absent", object: podWith({ privileged: true }, {}, speLabel("missing")), violations: 1 },
    {
      name: "spe-container-label-wins",
      object: podWith({ privileged: true }, {}, { labels: { ...speLabel("priv").labels, ...speContainerLabel("app", "other").labels } }),
      inventory: [spe("priv", { securityContext: { privileged: { allowedValue: true } } })],
      violations: 1,
    },
    {
      name: "spe-container-specific",
      object: podWith({ privileged: true }, {}, speContainerLabel("app", "priv")),
      inventory: [spe("priv", { securityContext: { privileged: { allowedValue: true } } })],
      violations: "no",
    },
  ],
});
