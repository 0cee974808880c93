import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{}, Pod>({
  kind: "EDetailsUndefined",
  description: "A details field must have a value in both languages.",
  violation(review, _params, report) {
    for (const c of review.object.spec?.containers ?? []) {
      report(`${c.name} is checked`, { image: c.image, name: c.name });
    }
  },
});
