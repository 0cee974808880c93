import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{ maxRestarts: number }, Pod>({
  kind: "TReportDetails",
  description: "report(message, details) adds `details` to the violation.",
  violation(review, params, report) {
    const policy = review.object.spec?.restartPolicy ?? "Always";
    if (policy === "Always" && params.maxRestarts === 0) {
      report("restarts are not allowed", { restartPolicy: policy, limit: params.maxRestarts, kinds: ["Pod"] });
    }
  },
  tests: [{ name: "always", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [] } }, parameters: { maxRestarts: 0 }, violations: 1 }],
});
