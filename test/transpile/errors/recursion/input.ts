import { defineCheck, type Pod } from "policyc";

function depth(n: number): number {
  if (n <= 0) return 0;
  return depth(n - 1);
}

export const check = defineCheck<{}, Pod>({
  kind: "ERecursion",
  description: "Recursion has no Rego equivalent.",
  violation(review, _params, report) {
    if (depth(review.object.spec?.containers.length ?? 0) > 1) report("deep");
  },
});
