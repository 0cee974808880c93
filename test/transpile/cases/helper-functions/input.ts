import { defineCheck, type Container, type Pod } from "policyc";

function runsAsRoot(c: Container): boolean {
  return c.securityContext?.runAsNonRoot !== true && (c.securityContext?.runAsUser ?? 0) === 0;
}

function severity(c: Container): string {
  if (c.securityContext?.privileged === true) return "critical";
  if (runsAsRoot(c)) return "high";
  return "low";
}

export const check = defineCheck<{ threshold: "high" | "critical" }, Pod>({
  kind: "THelperFunctions",
  description: "Small pure functions become Rego functions; if/return chains become else.",
  violation(review, params, report) {
    for (const c of review.object.spec?.containers ?? []) {
      const level = severity(c);
      if (level === params.threshold) report(`${c.name}: ${level}`);
      if (runsAsRoot(c) && !c.securityContext?.readOnlyRootFilesystem) report(`${c.name}: writable root`);
    }
  },
  tests: [
    { name: "root", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a" }] } }, parameters: { threshold: "high" }, violations: 2 },
    { name: "nonroot", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", securityContext: { runAsNonRoot: true } }] } }, parameters: { threshold: "high" }, violations: "no" },
  ],
});
