/** D8AutomountServiceAccountTokenPod: rendered from SecurityPolicy `automountServiceAccountToken: false`. */
import { defineCheck, podSpecOf, type Workload } from "policyc";
import { pod, workloadOf } from "../support/objects.js";

const tokenPath = "/var/run/secrets/kubernetes.io/serviceaccount";

export const automountServiceAccountToken = defineCheck<{}, Workload>({
  kind: "D8AutomountServiceAccountTokenPod",
  regoPackage: "d8.security_policies",
  title: "Service account token automount",
  description:
    "Pods must not automount the service account token: automountServiceAccountToken: true is denied, and so is a container mounting the token path when the field is unset. A workload's pod template is judged as the Pod it creates. A Pod's fields are immutable, so updates of Pods are not checked.",
  violation(review, _params, report) {
    if (review.operation === "UPDATE" && review.object.kind === "Pod") return;
    const spec = podSpecOf(review.object);
    const name = review.object.metadata?.name ?? "";
    if (spec?.automountServiceAccountToken === true) report(`Automounting service account token is disallowed, pod: ${name}`);
    if (spec?.automountServiceAccountToken === undefined && (spec?.containers ?? []).some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === tokenPath))) {
      report(`Automounting service account token is disallowed, pod: ${name}`);
    }
  },
  tests: [
    { name: "deployment-template", object: workloadOf("Deployment", { automountServiceAccountToken: true, containers: [{ name: "app", image: "a:1" }] }), violations: 1, messages: ["Automounting service account token is disallowed, pod: web"] },
    { name: "deployment-template-update", operation: "UPDATE", object: workloadOf("Deployment", { automountServiceAccountToken: true, containers: [{ name: "app", image: "a:1" }] }), violations: 1 },
    { name: "cronjob-template-false", object: workloadOf("CronJob", { automountServiceAccountToken: false, containers: [{ name: "app", image: "a:1" }] }), violations: "no" },
    { name: "explicit-true", object: pod({ automountServiceAccountToken: true, containers: [{ name: "app", image: "a:1" }] }), violations: 1, messages: ["Automounting service account token is disallowed, pod: pod"] },
    { name: "explicit-false", object: pod({ automountServiceAccountToken: false, containers: [{ name: "app", image: "a:1" }] }), violations: "no" },
    { name: "unset-with-token-mount", object: pod({ containers: [{ name: "app", image: "a:1", volumeMounts: [{ name: "kube-api-access", mountPath: tokenPath }] }] }), violations: 1 },
    { name: "unset-without-mount", object: pod({ containers: [{ name: "app", image: "a:1" }] }), violations: "no" },
    { name: "update", object: pod({ automountServiceAccountToken: true, containers: [{ name: "app", image: "a:1" }] }), oldObject: pod({ automountServiceAccountToken: true, containers: [{ name: "app", image: "a:1" }] }), operation: "UPDATE", violations: "no" },
  ],
});
