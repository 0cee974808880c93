import { defineCheck, type Deployment } from "policyc";

export const ee = defineCheck<{ team: string; banned: string[]; limit: number }, Deployment>({
  kind: "TRegressionObjectValues",
  description: "Regression: constructs the differential tests once caught mis-compiled.",
  violation(review, params, report) {
    const d = review.object;
    const labels = d.metadata?.labels ?? {};
    if (labels["team"] !== params.team && labels["owner"] !== params.team) {
      report("team " + params.team + " does not own " + (d.metadata?.name ?? "?"));
      return;
    }
    if ((d.spec?.replicas ?? 1) > params.limit) report(`replicas ${d.spec?.replicas ?? 1} > ${params.limit}`);
    else if ((d.spec?.replicas ?? 1) === 0) return;
    const tmpl = d.spec?.template.spec;
    if (tmpl === undefined) return;
    for (const c of tmpl.containers) {
      for (const a of c.args ?? []) {
        if (!a.startsWith("--")) continue;
        const flag = a.replaceAll("-", "").toUpperCase();
        if (params.banned.includes(flag)) report(`${c.name}: flag ${flag}`);
      }
      if (Object.values(c.resources?.limits ?? {}).some((q) => /^[0-9]+$/m.test(q))) report(`${c.name}: unitless limit`);
    }
    if (Object.values(labels).some((v) => v.length > 10)) report("long label");
  },
  tests: [
    { name: "a", object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", labels: { team: "t" } }, spec: { replicas: 3, selector: {}, template: { spec: { containers: [{ name: "c", args: ["--debug"], resources: { limits: { cpu: "2" } } }] } } } }, parameters: { team: "t", banned: ["DEBUG"], limit: 2 }, violations: "yes" },
  ],
});
