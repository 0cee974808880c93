import { defineCheck, type Pod } from "policyc";

const seen: string[] = [];

export const check = defineCheck<{}, Pod>({
  kind: "EMutation",
  description: "Pushing to outer state is a side effect.",
  violation(review, _params, report) {
    for (const c of review.object.spec?.containers ?? []) seen.push(c.name);
    report("x");
  },
});
