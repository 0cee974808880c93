/** D8PriorityClass: rendered from OperationPolicy `priorityClassNames`. */
import { defineCheck, regoString, type Pod } from "policyc";
import { podOf } from "../support/objects.js";

export const priorityClass = defineCheck<{
  /** Priority classes Pods may use. */
  priorityClassNames: string[];
}, Pod>({
  kind: "D8PriorityClass",
  regoPackage: "d8.operation_policies",
  title: "Priority classes",
  description: "A Pod's priorityClassName must be one of the allowed ones (an unset one is not checked).",
  violation(review, params, report) {
    const name = review.object.spec?.priorityClassName;
    if (name === undefined) return;
    if (!params.priorityClassNames.includes(name)) {
      report(`Pod <${review.object.metadata?.name ?? ""}> has invalid priority class: ${name}, allowed: ${regoString(params.priorityClassNames)}`);
    }
  },
  tests: [
    { name: "other", parameters: { priorityClassNames: ["production-high", "production-low"] }, object: podOf([{ name: "app", image: "a:1" }], { priorityClassName: "system-cluster-critical" }), violations: 1, messages: ["Pod <pod> has invalid priority class: system-cluster-critical, allowed: [\"production-high\", \"production-low\"]"] },
    { name: "allowed", parameters: { priorityClassNames: ["production-high"] }, object: podOf([{ name: "app", image: "a:1" }], { priorityClassName: "production-high" }), violations: "no" },
    { name: "unset", parameters: { priorityClassNames: ["production-high"] }, object: podOf([{ name: "app", image: "a:1" }]), violations: "no" },
  ],
});
