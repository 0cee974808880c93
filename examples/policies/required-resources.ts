/**
 * Requests make scheduling honest and limits keep a noisy neighbour from starving a node. Memory
 * limits are required; CPU limits are deliberately not (they cause throttling).
 */
import { defineCheck, defineConstraint, type Pod } from "policyc";
import { goodContainer, pod } from "./support/objects.js";

export type ResourceName = "cpu" | "memory" | "ephemeral-storage";

export const requiredResources = defineCheck<{
  /** Resources every container must request. */
  requests: ResourceName[];
  /** Resources every container must limit. */
  limits?: ResourceName[];
}, Pod>({
  kind: "K8sRequiredResources",
  title: "Required resource requests and limits",
  description: "Every container and init container must set the listed resource requests and limits.",
  severity: "high",
  violation(review, params, report) {
    const spec = review.object.spec;
    for (const container of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
      for (const resource of params.requests) {
        if (container.resources?.requests?.[resource] === undefined) report(`container <${container.name}> does not request ${resource}`);
      }
      for (const resource of params.limits ?? []) {
        if (container.resources?.limits?.[resource] === undefined) report(`container <${container.name}> has no ${resource} limit`);
      }
    }
  },
  tests: [
    {
      name: "requests-and-memory-limit",
      parameters: { requests: ["cpu", "memory"], limits: ["memory"] },
      object: pod({ containers: [goodContainer()] }),
      violations: "no",
    },
    {
      name: "no-resources",
      parameters: { requests: ["cpu", "memory"], limits: ["memory"] },
      object: pod({ containers: [{ name: "app", image: "mycompany.registry.com/app:1.4.2" }] }),
      violations: 3,
      messages: ["container <app> does not request cpu", "container <app> does not request memory", "container <app> has no memory limit"],
      // CEL: one violation per report in the body (requests, limits), each listing its containers.
      cel: { violations: 2 },
    },
    {
      name: "init-container-without-memory-limit",
      parameters: { requests: ["memory"], limits: ["memory"] },
      object: pod({
        containers: [goodContainer()],
        initContainers: [{ name: "init", image: "mycompany.registry.com/init:1.0", resources: { requests: { memory: "64Mi" } } }],
      }),
      violations: 1,
      messages: ["container <init> has no memory limit"],
    },
  ],
});

export const resourcesRequired = defineConstraint(requiredResources, {
  name: "resources-required",
  enforcementAction: "dryrun",
  match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] },
  parameters: { requests: ["cpu", "memory"], limits: ["memory"] },
});
