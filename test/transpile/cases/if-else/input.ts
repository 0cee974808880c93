import { defineCheck, type Deployment } from "policyc";

export const check = defineCheck<{ min: number; max: number }, Deployment>({
  kind: "TIfElse",
  description: "if/else: the else branch holds under the negated condition.",
  violation(review, params, report) {
    const replicas = review.object.spec?.replicas ?? 1;
    if (replicas < params.min) {
      report(`too few replicas: ${replicas}`);
    } else if (replicas > params.max) {
      report(`too many replicas: ${replicas}`);
    } else {
      if (review.object.metadata?.name === "") report("unnamed deployment");
    }
  },
  tests: [
    { name: "few", object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { replicas: 0 } }, parameters: { min: 1, max: 3 }, violations: 1 },
    { name: "default", object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: {} }, parameters: { min: 1, max: 3 }, violations: "no" },
  ],
});
