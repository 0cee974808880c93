import { defineCheck, type Pod } from "policyc";

function isRoot(uid: number | undefined): boolean {
  return uid === 0;
}

export const b = defineCheck<{ prefix: string; min?: number }, Pod>({
  kind: "TRegressionMissingFields",
  description: "Regression: constructs the differential tests once caught mis-compiled.",
  violation(review, params, report) {
    const pod = review.object;
    const sc = pod.spec?.securityContext;
    for (const c of pod.spec?.containers ?? []) {
      if (c.securityContext?.runAsUser === sc?.runAsUser) report(`${c.name}: same user as pod`);
      if (!c.workingDir) report(`${c.name}: no workingDir`);
      if (c.terminationMessagePath?.includes(params.prefix)) report(`${c.name}: prefix in path`);
      const rootish = isRoot(c.securityContext?.runAsUser);
      if (rootish) report(`${c.name}: root`);
      if (c.args && c.args.filter((a) => a.startsWith("--")).length === 0) report(`${c.name}: no flags`);
      if ((c.ports ?? []).every((p) => (p.hostPort ?? 0) < (params.min ?? 1024))) report(`${c.name}: low ports only`);
    }
    if (Object.keys(pod.metadata?.annotations ?? {}).length === 0) report("no annotations");
  },
  tests: [
    { name: "a", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", args: ["x"], workingDir: "" }] } }, parameters: { prefix: "/dev" }, violations: "yes" },
  ],
});
