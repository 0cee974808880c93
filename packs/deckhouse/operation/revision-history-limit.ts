/** D8RevisionHistoryLimit: rendered from OperationPolicy `maxRevisionHistoryLimit`, on Deployments and DaemonSets. */
import { defineCheck, regoString, type DaemonSet, type Deployment, type Integer } from "policyc";
import { workload } from "../support/objects.js";

export const revisionHistoryLimit = defineCheck<{
  /** The largest `.spec.revisionHistoryLimit` allowed. */
  limit: Integer;
}, Deployment | DaemonSet>({
  kind: "D8RevisionHistoryLimit",
  regoPackage: "d8.operation_policies",
  title: "Revision history limit",
  description: "Deployments and DaemonSets must not keep more old revisions than the limit (an unset field is not checked).",
  violation(review, params, report) {
    const value = review.object.spec?.revisionHistoryLimit;
    if (value === undefined) return;
    if (value > params.limit) {
      report(`${review.object.kind ?? ""} <${review.object.metadata?.name ?? ""}> has .spec.revisionHistoryLimit: ${value}, required: ${regoString(params.limit)}`);
    }
  },
  tests: [
    { name: "too-many", parameters: { limit: 3 }, object: workload("Deployment", { revisionHistoryLimit: 10 }), violations: 1, messages: ["Deployment <web> has .spec.revisionHistoryLimit: 10, required: 3"] },
    { name: "within", parameters: { limit: 3 }, object: workload("Deployment", { revisionHistoryLimit: 3 }), violations: "no" },
    { name: "daemonset", parameters: { limit: 3 }, object: workload("DaemonSet", { revisionHistoryLimit: 5 }), violations: 1, messages: ["DaemonSet <web>"] },
    { name: "absent", parameters: { limit: 3 }, object: workload("Deployment", {}), violations: "no" },
  ],
});
