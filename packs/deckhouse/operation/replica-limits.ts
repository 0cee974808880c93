/** D8ReplicaLimits: rendered from OperationPolicy `replicaLimits`, on Deployments. */
import { defineCheck, regoString, type Deployment, type Integer } from "policyc";
import { workload } from "../support/objects.js";

/** An inclusive range of replica counts. */
export interface ReplicaRange {
  minReplicas: Integer;
  maxReplicas: Integer;
}

export const replicaLimits = defineCheck<{
  /** Allowed replica ranges (Deckhouse passes one). */
  ranges: ReplicaRange[];
}, Deployment>({
  kind: "D8ReplicaLimits",
  regoPackage: "d8.operation_policies",
  title: "Replica limits",
  description: "A Deployment's spec.replicas must lie in an allowed range (an unset one is not checked).",
  violation(review, params, report) {
    const replicas = review.object.spec?.replicas;
    if (replicas === undefined) return;
    if (!params.ranges.some((r) => r.minReplicas <= replicas && replicas <= r.maxReplicas)) {
      report(`The provided number of replicas is not allowed for ${review.object.kind ?? ""}: ${review.object.metadata?.name ?? ""}. Allowed ranges: ${regoString(params)}`);
    }
  },
  tests: [
    { name: "too-many", parameters: { ranges: [{ minReplicas: 1, maxReplicas: 3 }] }, object: workload("Deployment", { replicas: 5 }), violations: 1, messages: ["The provided number of replicas is not allowed for Deployment: web. Allowed ranges: {\"ranges\": [{\"maxReplicas\": 3, \"minReplicas\": 1}]}"] },
    { name: "too-few", parameters: { ranges: [{ minReplicas: 2, maxReplicas: 3 }] }, object: workload("Deployment", { replicas: 1 }), violations: 1 },
    { name: "inside", parameters: { ranges: [{ minReplicas: 1, maxReplicas: 3 }] }, object: workload("Deployment", { replicas: 3 }), violations: "no" },
    { name: "unset", parameters: { ranges: [{ minReplicas: 2, maxReplicas: 3 }] }, object: workload("Deployment", {}), violations: "no" },
  ],
});
