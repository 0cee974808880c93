import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{}, Pod>({
  kind: "ENonRe2Regex",
  description: "Look-aheads are not RE2.",
  violation(review, _params, report) {
    if (/^(?!kube-).*$/.test(review.object.metadata?.namespace ?? "")) report("not a kube namespace");
    if (/x/g.test(review.object.metadata?.name ?? "")) report("global flag");
  },
});
