/**
 * Only platform-approved priority classes: a tenant that sets `system-cluster-critical` could evict
 * the platform's own pods.
 */
import { defineCheck, defineConstraint, rego } from "policyc";
import { goodContainer, pod } from "./support/objects.js";

export const allowedPriorityClasses = defineCheck<{
  /** Priority class names pods may use. */
  allowed: string[];
  /** Whether a pod without priorityClassName is accepted. @default true */
  allowEmpty?: boolean;
}>({
  kind: "K8sAllowedPriorityClasses",
  title: "Allowed priority classes",
  description: "Pods may only use the listed priority classes.",
  severity: "high",
  rego: rego`
    package k8sallowedpriorityclasses

    violation[{"msg": msg}] {
      name := input.review.object.spec.priorityClassName
      not allowed(name)
      msg := sprintf("pod <%v> uses priority class <%v>, allowed are %v", [input.review.object.metadata.name, name, input.parameters.allowed])
    }

    violation[{"msg": msg}] {
      not input.review.object.spec.priorityClassName
      input.parameters.allowEmpty == false
      msg := sprintf("pod <%v> must set a priority class, one of %v", [input.review.object.metadata.name, input.parameters.allowed])
    }

    allowed(name) {
      name == input.parameters.allowed[_]
    }
  `,
  tests: [
    {
      name: "allowed-class",
      parameters: { allowed: ["develop", "production-medium"] },
      object: pod({ containers: [goodContainer()], priorityClassName: "develop" }),
      violations: "no",
    },
    {
      name: "no-class-allowed",
      parameters: { allowed: ["develop"] },
      object: pod({ containers: [goodContainer()] }),
      violations: "no",
    },
    {
      name: "system-class",
      parameters: { allowed: ["develop", "production-medium"] },
      object: pod({ containers: [goodContainer()], priorityClassName: "system-cluster-critical" }),
      violations: 1,
      messages: ["uses priority class <system-cluster-critical>"],
    },
    {
      name: "no-class-required",
      parameters: { allowed: ["develop"], allowEmpty: false },
      object: pod({ containers: [goodContainer()] }),
      violations: 1,
    },
  ],
});

export const tenantPriorityClasses = defineConstraint(allowedPriorityClasses, {
  name: "tenant-priority-classes",
  match: {
    kinds: [{ apiGroups: [""], kinds: ["Pod"] }],
    namespaceSelector: { matchLabels: { "platform.example.com/tenant": "true" } },
  },
  parameters: { allowed: ["develop", "standby", "production-low", "production-medium"], allowEmpty: true },
});
