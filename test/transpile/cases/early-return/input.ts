import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{ exemptNames: string[] }, Pod>({
  kind: "TEarlyReturn",
  description: "An early return guards every later report with its negation.",
  violation(review, params, report) {
    const meta = review.object.metadata;
    if (!meta) return;
    if (params.exemptNames.includes(meta.name ?? "")) return;
    if (review.object.spec?.hostNetwork) report(`pod ${meta.name ?? "?"} uses the host network`);
  },
  tests: [
    { name: "host", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [], hostNetwork: true } }, parameters: { exemptNames: [] }, violations: 1 },
    { name: "exempt", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [], hostNetwork: true } }, parameters: { exemptNames: ["p"] }, violations: "no" },
  ],
});
