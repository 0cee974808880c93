import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{}, Pod>({
  kind: "EJsonStringify",
  description: "JSON.stringify has no Rego counterpart that prints the same text.",
  violation(review, _params, report) {
    report(`labels: ${JSON.stringify(review.object.metadata?.labels ?? {})}`);
  },
});
