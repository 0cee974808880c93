import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{}, Pod>({
  kind: "EMessageUndefined",
  description: "A message must not interpolate a value that may be undefined.",
  violation(review, _params, report) {
    for (const c of review.object.spec?.containers ?? []) {
      report(`${c.name} uses ${c.image}`);
      report(`${c.name} has ${c.securityContext}`);
    }
  },
});
