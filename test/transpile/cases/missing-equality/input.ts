import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{}, Pod>({
  kind: "TMissingEquality",
  description: "`a === b` with both sides possibly missing: undefined === undefined is true in TypeScript.",
  violation(review, _params, report) {
    const pod = review.object;
    for (const c of pod.spec?.containers ?? []) {
      if (c.securityContext?.runAsUser === pod.spec?.securityContext?.runAsUser) report(`${c.name}: same user as the pod`);
      if (c.securityContext?.runAsGroup !== pod.spec?.securityContext?.runAsGroup) report(`${c.name}: another group than the pod`);
    }
  },
  tests: [
    { name: "both-missing", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a" }] } }, parameters: {}, violations: 1 },
    { name: "differ", object: { apiVersion: "v1", kind: "Pod", spec: { securityContext: { runAsUser: 1, runAsGroup: 2 }, containers: [{ name: "a" }] } }, parameters: {}, violations: 1 },
  ],
});
