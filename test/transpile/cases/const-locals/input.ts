import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{ suffix: string }, Pod>({
  kind: "TConstLocals",
  description: "References are substituted where used; computed values get a local name.",
  violation(review, params, report) {
    const name = review.object.metadata?.name ?? "";
    const wanted = `${name}${params.suffix}`;
    const host = review.object.spec?.hostname;
    if (host !== undefined && host !== wanted) report(`hostname ${host} should be ${wanted}`);
  },
  tests: [
    { name: "bad", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [], hostname: "x" } }, parameters: { suffix: "-0" }, violations: 1 },
    { name: "good", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [], hostname: "p-0" } }, parameters: { suffix: "-0" }, violations: "no" },
  ],
});
