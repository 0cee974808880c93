/** D8PriorityClass: rendered from OperationPolicy `priorityClassNames`. */
import { defineCheck, podSpecOf, regoString, type Workload } from "policyc";
import { podOf, workloadOf } from "../support/objects.js";

export const priorityClass = defineCheck<{
  /** Priority classes Pods may use. */
  priorityClassNames: string[];
}, Workload>({
  kind: "D8PriorityClass",
  regoPackage: "d8.operation_policies",
  title: "Priority classes",
  description: "A Pod's priorityClassName must be one of the allowed ones (an unset one is not checked).",
  violation(review, params, report) {
    const name = podSpecOf(review.object)?.priorityClassName;
    if (name === undefined) return;
    if (!params.priorityClassNames.includes(name)) {
      report(`Pod <${review.object.metadata?.name ?? ""}> has invalid priority class: ${name}, allowed: ${regoString(params.priorityClassNames)}`);
    }
  },
  tests: [
    { name: "deployment-template", parameters: { priorityClassNames: ["production-high"] }, object: workloadOf("Deployment", { priorityClassName: "develop", containers: [{ name: "app", image: "a:1" }] }), violations: 1, messages: ["Pod <web> has invalid priority class: develop"] },
    { name: "cronjob-template-allowed", parameters: { priorityClassNames: ["production-high"] }, object: workloadOf("CronJob", { priorityClassName: "production-high", containers: [{ name: "app", image: "a:1" }] }), violations: "no" },
    { name: "other", parameters: { priorityClassNames: ["production-high", "production-low"] }, object: podOf([{ name: "app", image: "a:1" }], { priorityClassName: "system-cluster-critical" }), violations: 1, messages: ["Pod <pod> has invalid priority class: system-cluster-critical, allowed: [\"production-high\", \"production-low\"]"] },
    { name: "allowed", parameters: { priorityClassNames: ["production-high"] }, object: podOf([{ name: "app", image: "a:1" }], { priorityClassName: "production-high" }), violations: "no" },
    { name: "unset", parameters: { priorityClassNames: ["production-high"] }, object: podOf([{ name: "app", image: "a:1" }]), violations: "no" },
  ],
});
