/** D8RequiredResources: rendered from OperationPolicy `requiredResources`. */
import { defineCheck, podSpecOf, type Workload } from "policyc";
import { pod, podOf, workload } from "../support/objects.js";

export type ResourceName = "cpu" | "memory";

export const requiredResources = defineCheck<{
  /** Limits every container must set. */
  limits?: ResourceName[];
  /** Requests every container must set. */
  requests?: ResourceName[];
}, Workload>({
  kind: "D8RequiredResources",
  regoPackage: "d8.operation_policies",
  title: "Required resources",
  description: "Containers, init containers and ephemeral containers must set the listed resource limits and requests (of a Pod, or of a workload's pod template when the container sets any resources).",
  violation(review, params, report) {
    const spec = podSpecOf(review.object);
    // A controller's pod template has not been through mutation: a LimitRange may still give its
    // Pods default resources, so a container that sets neither limits nor requests is left to the
    // Pod's review. A container that sets some resources is judged on the controller as well.
    const controller = review.object.kind !== "Pod";
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...(spec?.ephemeralContainers ?? [])]) {
      if (controller && c.resources?.limits === undefined && c.resources?.requests === undefined) continue;
      for (const r of params.limits ?? []) {
        if (c.resources?.limits?.[r] === undefined) report(`container <${c.name}> does not have <${r}> limits defined`);
      }
      for (const r of params.requests ?? []) {
        if (c.resources?.requests?.[r] === undefined) report(`container <${c.name}> does not have <${r}> requests defined`);
      }
    }
  },
  tests: [
    { name: "ephemeral-container", parameters: { requests: ["memory"] }, object: pod({ containers: [{ name: "app", image: "a:1", resources: { requests: { memory: "1Gi" } } }], ephemeralContainers: [{ name: "debug", image: "a:1", resources: { requests: { cpu: "1" } } }] }), violations: 1, messages: ["container <debug> does not have <memory> requests defined"] },
    { name: "cronjob-template", parameters: { limits: ["cpu"] }, object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "nightly", namespace: "app" }, spec: { schedule: "0 0 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "app", image: "a:1", resources: { requests: { cpu: "1" } } }] } } } } } }, violations: 1 },
    { name: "cronjob-template-without-resources", parameters: { limits: ["cpu"] }, object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "nightly", namespace: "app" }, spec: { schedule: "0 0 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "app", image: "a:1" }] } } } } } }, violations: "no" },
    { name: "no-containers", parameters: { limits: ["cpu"] }, object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "empty", namespace: "app" }, spec: {} }, violations: "no" },
    { name: "deployment-template", parameters: { limits: ["cpu"] }, object: workload("Deployment", { template: { spec: { containers: [{ name: "app", image: "a:1", resources: { limits: { memory: "1Gi" } } }] } } }), violations: 1, messages: ["container <app> does not have <cpu> limits defined"] },
    { name: "deployment-template-lenient-per-container", parameters: { limits: ["cpu"] }, object: workload("Deployment", { template: { spec: { containers: [{ name: "app", image: "a:1" }, { name: "sidecar", image: "a:1", resources: { requests: { cpu: "1" } } }] } } }), violations: 1, messages: ["container <sidecar> does not have <cpu> limits defined"] },
    { name: "statefulset-template-without-resources", parameters: { limits: ["memory"], requests: ["cpu"] }, object: workload("StatefulSet", { template: { spec: { containers: [{ name: "db", image: "a:1" }], initContainers: [{ name: "init", image: "a:1" }] } } }), violations: "no" },
    { name: "nothing-set", parameters: { limits: ["memory"], requests: ["cpu", "memory"] }, object: podOf([{ name: "app", image: "a:1" }]), violations: 3, messages: ["container <app> does not have <memory> limits defined", "container <app> does not have <cpu> requests defined"] },
    { name: "all-set", parameters: { limits: ["memory"], requests: ["cpu", "memory"] }, object: podOf([{ name: "app", image: "a:1", resources: { limits: { memory: "1Gi" }, requests: { cpu: "1", memory: "1Gi" } } }]), violations: "no" },
    { name: "missing-limit", parameters: { limits: ["cpu"] }, object: podOf([{ name: "app", image: "a:1", resources: { limits: { memory: "1Gi" } } }]), violations: 1 },
    { name: "init-container", parameters: { requests: ["cpu"] }, object: pod({ containers: [{ name: "app", image: "a:1", resources: { requests: { cpu: "1" } } }], initContainers: [{ name: "init", image: "a:1" }] }), violations: 1, messages: ["container <init>"] },
  ],
});
