import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{}, Pod>({
  kind: "EWhileLoop",
  description: "while loops have no Rego equivalent.",
  violation(review, _params, report) {
    const cs = review.object.spec?.containers ?? [];
    while (cs.length > 3) report("too many");
  },
});
