import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{ maxPort: number }, Pod>({
  kind: "TComparisons",
  description: "=== is ==; !== is `not ... ==`, true when the field is missing (as in TypeScript).",
  violation(review, params, report) {
    for (const c of review.object.spec?.containers ?? []) {
      if (c.imagePullPolicy !== "Always") report(`${c.name}: imagePullPolicy must be Always`);
      if (c.terminationMessagePolicy === "File") report(`${c.name}: terminationMessagePolicy File`);
      for (const p of c.ports ?? []) {
        if (p.containerPort > params.maxPort) report(`${c.name}: port ${p.containerPort} > ${params.maxPort}`);
        if (p.containerPort <= 0 || p.containerPort < 1) report(`${c.name}: bad port`);
        if (p.hostPort !== undefined && p.hostPort >= 1) report(`${c.name}: host port ${p.hostPort}`);
      }
    }
  },
  tests: [
    { name: "missing-policy", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a" }] } }, parameters: { maxPort: 100 }, violations: 1 },
    { name: "ports", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", imagePullPolicy: "Always", ports: [{ containerPort: 8080, hostPort: 80 }] }] } }, parameters: { maxPort: 100 }, violations: 2 },
  ],
});
