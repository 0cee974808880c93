import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{ image: string }, Pod>({
  kind: "TForOfArray",
  description: "for...of over an array binds each element with `some x in xs`.",
  violation(review, params, report) {
    for (const c of review.object.spec?.containers ?? []) {
      if (c.image === params.image) report(`container ${c.name} uses ${params.image}`);
    }
  },
  tests: [
    { name: "hit", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", image: "bad" }] } }, parameters: { image: "bad" }, violations: 1 },
    { name: "miss", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", image: "good" }] } }, parameters: { image: "bad" }, violations: "no" },
  ],
});
