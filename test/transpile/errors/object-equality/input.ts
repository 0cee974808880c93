import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{}, Pod>({
  kind: "EObjectEquality",
  description: "=== on objects compares references.",
  violation(review, _params, report) {
    if (review.object.spec?.securityContext === review.object.spec?.securityContext) report("same");
  },
});
