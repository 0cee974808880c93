/**
 * Only platform-approved priority classes: a tenant that sets `system-cluster-critical` could evict
 * the platform's own pods.
 */
import { defineCheck, defineConstraint, regoString, type Pod } from "policyc";
import { goodContainer, pod } from "./support/objects.js";

export interface AllowedPriorityClassesParams {
  /** Priority class names pods may use. */
  allowed: string[];
  /** Whether a pod without priorityClassName is accepted. @default true */
  allowEmpty?: boolean;
}

export const allowedPriorityClasses = defineCheck<AllowedPriorityClassesParams, Pod>({
  kind: "K8sAllowedPriorityClasses",
  title: "Allowed priority classes",
  description: "Pods may only use the listed priority classes.",
  severity: "high",
  violation(review, params, report) {
    const pod = review.object;
    const name = pod.spec?.priorityClassName;
    if (name !== undefined) {
      if (!params.allowed.includes(name)) {
        report(`pod <${pod.metadata?.name ?? ""}> uses priority class <${name}>, allowed are ${regoString(params.allowed)}`);
      }
    } else if (params.allowEmpty === false) {
      report(`pod <${pod.metadata?.name ?? ""}> must set a priority class, one of ${regoString(params.allowed)}`);
    }
  },
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
