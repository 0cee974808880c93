/** D8RequiredResources: rendered from OperationPolicy `requiredResources`. */
import { defineCheck, type Pod } from "policyc";
import { pod, podOf } from "../support/objects.js";

export type ResourceName = "cpu" | "memory";

export const requiredResources = defineCheck<{
  /** Limits every container must set. */
  limits?: ResourceName[];
  /** Requests every container must set. */
  requests?: ResourceName[];
}, Pod>({
  kind: "D8RequiredResources",
  regoPackage: "d8.operation_policies",
  title: "Required resources",
  description: "Containers and init containers must set the listed resource limits and requests.",
  violation(review, params, report) {
    const spec = review.object.spec;
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
      for (const r of params.limits ?? []) {
        if (c.resources?.limits?.[r] === undefined) report(`container <${c.name}> does not have <${r}> limits defined`);
      }
      for (const r of params.requests ?? []) {
        if (c.resources?.requests?.[r] === undefined) report(`container <${c.name}> does not have <${r}> requests defined`);
      }
    }
  },
  tests: [
    { name: "nothing-set", parameters: { limits: ["memory"], requests: ["cpu", "memory"] }, object: podOf([{ name: "app", image: "a:1" }]), violations: 3, messages: ["container <app> does not have <memory> limits defined", "container <app> does not have <cpu> requests defined"] },
    { name: "all-set", parameters: { limits: ["memory"], requests: ["cpu", "memory"] }, object: podOf([{ name: "app", image: "a:1", resources: { limits: { memory: "1Gi" }, requests: { cpu: "1", memory: "1Gi" } } }]), violations: "no" },
    { name: "missing-limit", parameters: { limits: ["cpu"] }, object: podOf([{ name: "app", image: "a:1", resources: { limits: { memory: "1Gi" } } }]), violations: 1 },
    { name: "init-container", parameters: { requests: ["cpu"] }, object: pod({ containers: [{ name: "app", image: "a:1", resources: { requests: { cpu: "1" } } }], initContainers: [{ name: "init", image: "a:1" }] }), violations: 1, messages: ["container <init>"] },
  ],
});
