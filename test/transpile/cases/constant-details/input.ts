import { defineCheck, type Pod } from "policyc";

// Constant details are written into the rule's head; computed ones are bound in the body.
export const check = defineCheck<{}, Pod>({
  kind: "ConstantDetails",
  description: "Details, constant and computed.",
  violation(review, _params, report) {
    if (review.object.spec?.hostNetwork === true) report(`pod ${review.object.metadata?.name ?? ""} uses the host network`, {});
    for (const c of review.object.spec?.containers ?? []) {
      if (c.securityContext?.privileged === true) report(`container ${c.name} is privileged`, { container: c.name, fixed: ["a", 1] });
    }
  },
});
