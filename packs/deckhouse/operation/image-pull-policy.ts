/** D8ImagePullPolicy: rendered from OperationPolicy `imagePullPolicy`. */
import { defineCheck, podSpecOf, type Workload } from "policyc";
import { pod, podOf, workload } from "../support/objects.js";

export const imagePullPolicy = defineCheck<{
  /** The pull policy every container must use. */
  policy: "Always" | "IfNotPresent";
}, Workload>({
  kind: "D8ImagePullPolicy",
  regoPackage: "d8.operation_policies",
  title: "Image pull policy",
  description: "Containers and init containers must use the required imagePullPolicy (the API server fills an unset one in before admission).",
  violation(review, params, report) {
    const spec = podSpecOf(review.object);
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
      const policy = c.imagePullPolicy;
      if (policy === undefined) continue;
      if (policy !== params.policy) {
        report(`Container <${c.name}> in your ${review.object.kind ?? ""} <${review.object.metadata?.name ?? ""}> has invalid pull policy: <${policy}>`);
      }
    }
  },
  tests: [
    { name: "cronjob-template", parameters: { policy: "Always" }, object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "nightly", namespace: "app" }, spec: { schedule: "0 0 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "app", image: "a:1", imagePullPolicy: "Never" }] } } } } } }, violations: 1 },
    { name: "no-containers", parameters: { policy: "Always" }, object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "empty", namespace: "app" }, spec: {} }, violations: "no" },
    { name: "deployment-template", parameters: { policy: "Always" }, object: workload("Deployment", { template: { spec: { containers: [{ name: "app", image: "a:1", imagePullPolicy: "Never" }] } } }), violations: 1, messages: ["Container <app> in your Deployment <web> has invalid pull policy: <Never>"] },
    { name: "if-not-present", parameters: { policy: "Always" }, object: podOf([{ name: "app", image: "a:1", imagePullPolicy: "IfNotPresent" }]), violations: 1, messages: ["Container <app> in your Pod <pod> has invalid pull policy: <IfNotPresent>"] },
    { name: "always", parameters: { policy: "Always" }, object: podOf([{ name: "app", image: "a:1", imagePullPolicy: "Always" }]), violations: "no" },
    { name: "init-container", parameters: { policy: "Always" }, object: pod({ containers: [{ name: "app", image: "a:1", imagePullPolicy: "Always" }], initContainers: [{ name: "init", image: "a:1", imagePullPolicy: "Never" }] }), violations: 1 },
    { name: "unset", parameters: { policy: "Always" }, object: podOf([{ name: "app", image: "a:1" }]), violations: "no" },
  ],
});
