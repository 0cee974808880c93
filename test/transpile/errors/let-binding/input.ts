import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{}, Pod>({
  kind: "ELetBinding",
  description: "let declares a variable that may change.",
  violation(review, _params, report) {
    let count = 0;
    for (const c of review.object.spec?.containers ?? []) {
      if (c.name !== "") count++;
    }
    if (count > 2) report("too many");
  },
});
