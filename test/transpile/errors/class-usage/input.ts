import { defineCheck, type Pod } from "policyc";

class Counter {
  n = 0;
}

export const check = defineCheck<{}, Pod>({
  kind: "EClassUsage",
  description: "Classes and new are not supported.",
  violation(review, _params, report) {
    const counter = new Counter();
    if (counter.n > 0 && review.object.kind === "Pod") report("x");
  },
});
