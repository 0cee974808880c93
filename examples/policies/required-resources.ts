/**
 * Requests make scheduling honest and limits keep a noisy neighbour from starving a node. Memory
 * limits are required; CPU limits are deliberately not (they cause throttling).
 */
import { defineCheck, defineConstraint, rego } from "policyc";
import { goodContainer, pod } from "./support/objects.js";

export type ResourceName = "cpu" | "memory" | "ephemeral-storage";

export const requiredResources = defineCheck<{
  /** Resources every container must request. */
  requests: ResourceName[];
  /** Resources every container must limit. */
  limits?: ResourceName[];
}>({
  kind: "K8sRequiredResources",
  title: "Required resource requests and limits",
  description: "Every container and init container must set the listed resource requests and limits.",
  severity: "high",
  rego: rego`
    package k8srequiredresources

    violation[{"msg": msg}] {
      container := all_containers[_]
      resource := input.parameters.requests[_]
      not container.resources.requests[resource]
      msg := sprintf("container <%v> does not request %v", [container.name, resource])
    }

    violation[{"msg": msg}] {
      container := all_containers[_]
      resource := object.get(input.parameters, "limits", [])[_]
      not container.resources.limits[resource]
      msg := sprintf("container <%v> has no %v limit", [container.name, resource])
    }

    all_containers[c] {
      c := input.review.object.spec.containers[_]
    }

    all_containers[c] {
      c := input.review.object.spec.initContainers[_]
    }
  `,
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
