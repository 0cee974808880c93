import { defineCheck, type Pod } from "policyc";

export const ff = defineCheck<{ ports: number[]; factor: number }, Pod>({
  kind: "TRegressionNumberArrays",
  description: "Regression: constructs the differential tests once caught mis-compiled.",
  violation(review, params, report) {
    const spec = review.object.spec;
    if (spec === undefined) return;
    for (const c of spec.containers) {
      const ports = (c.ports ?? []).map((p) => p.containerPort);
      const extra = ports.concat(params.ports.length, 8080);
      if (extra.includes(params.factor)) report(`${c.name}: ${params.factor} in ${extra.join(",")}`);
      for (const p of ports) {
        if (params.ports.includes(p)) report(`${c.name}: port ${p} (+1 = ${p + 1}, *2 = ${p * 2}, -f = ${p - params.factor}, %7 = ${p % 7})`);
      }
      if (c.ports !== undefined && c.ports.every((p) => p.protocol === "UDP")) report(`${c.name}: udp only`);
    }
  },
  tests: [
    { name: "a", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", ports: [{ containerPort: 80 }] }] } }, parameters: { ports: [80], factor: 3 }, violations: "yes" },
  ],
});
