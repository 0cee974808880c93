import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{ skip: string[] }, Pod>({
  kind: "TContinue",
  description: "continue skips the rest of one iteration.",
  violation(review, params, report) {
    for (const c of review.object.spec?.containers ?? []) {
      if (params.skip.includes(c.name)) continue;
      if (!c.resources?.limits) report(`container ${c.name} has no limits`);
    }
  },
  tests: [
    { name: "skipped", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a" }] } }, parameters: { skip: ["a"] }, violations: "no" },
    { name: "reported", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "b" }] } }, parameters: { skip: ["a"] }, violations: 1 },
  ],
});
