import { defineCheck, type Integer, type Pod } from "policyc";

export const check = defineCheck<{ maxContainers: Integer; limits: Integer[] }, Pod>({
  kind: "CIntegerMessage",
  description: "An Integer parameter prints in a message as a number does.",
  violation(review, params, report) {
    const n = review.object.spec?.containers.length ?? 0;
    if (n > params.maxContainers) report(`${n} containers, at most ${params.maxContainers} allowed (limits ${params.limits.join(",")})`);
  },
});
