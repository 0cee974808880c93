import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{}, Pod>({
  kind: "EReturnInLoop",
  description: "A return inside a loop depends on iteration order.",
  violation(review, _params, report) {
    for (const c of review.object.spec?.containers ?? []) {
      if (c.name === "first") return;
      report(`${c.name} comes before first`);
    }
  },
});
