import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{}, Pod>({
  kind: "EAnyEscape",
  description: "Casting to any escapes the type checker.",
  violation(review, _params, report) {
    const o = review.object as any;
    if (o.spec.containerz) report("typo goes unnoticed");
  },
});
