import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{ defaultUser?: number }, Pod>({
  kind: "TOptionalChaining",
  description: "a?.b is a plain reference (undefined propagates); a ?? b on a reference is object.get.",
  violation(review, params, report) {
    for (const c of review.object.spec?.containers ?? []) {
      const user = c.securityContext?.runAsUser ?? params.defaultUser ?? 0;
      if (user === 0) report(`${c.name} runs as root`);
      if (c.securityContext?.privileged) report(`${c.name} is privileged`);
    }
  },
  tests: [
    { name: "root", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a" }] } }, parameters: {}, violations: 1 },
    { name: "user", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", securityContext: { runAsUser: 1000 } }] } }, parameters: {}, violations: "no" },
  ],
});
