import { defineCheck, podSpecOf, type Container, type Workload } from "policyc";

function level(c: Container): string {
  if (c.securityContext?.privileged) return "privileged";
  if ((c.securityContext?.capabilities?.add ?? []).length > 0) return "caps";
  if (!c.securityContext?.runAsNonRoot) return "root";
  return "ok";
}

export const a = defineCheck<{ maxContainers: number; forbiddenEnv: string[]; owner?: string; strict?: boolean }, Workload>({
  kind: "TRegressionWorkloadHelpers",
  description: "Regression: constructs the differential tests once caught mis-compiled.",
  violation(review, params, report) {
    const spec = podSpecOf(review.object);
    if (!spec) return;
    const owner = review.object.metadata?.labels?.["owner"] || params.owner || "nobody";
    if (spec.containers.length > params.maxContainers) report(`too many containers (${spec.containers.length}) for ${owner}`);
    for (const c of spec.containers) {
      const l = level(c);
      if (l === "ok") continue;
      if (l === "root" && !params.strict) continue;
      report(`${c.name}: ${l === "caps" ? "adds capabilities" : l}`);
      for (const e of c.env ?? []) {
        if (!params.forbiddenEnv.includes(e.name)) continue;
        if (e.value !== undefined && e.value.length > 3) report(`${c.name}: env ${e.name} is set (${e.value.slice(0, 3)}...)`);
        else report(`${c.name}: env ${e.name} is forbidden`);
      }
    }
    const vols = spec.volumes ?? [];
    if (!vols.every((v) => v.hostPath === undefined)) report("hostPath volumes are not allowed");
    const first = spec.containers.find((c) => (c.image ?? "").includes("latest"));
    if (first) report(`first latest container: ${first.name}`);
    const img = first?.image ?? "";
    if (img !== "" && !img.startsWith("reg")) report(`bad registry for ${img}`);
  },
  tests: [
    { name: "a", object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", labels: { owner: "me" } }, spec: { selector: {}, template: { spec: { containers: [{ name: "c", image: "x:latest", env: [{ name: "SECRET", value: "abcdef" }], securityContext: { privileged: true } }], volumes: [{ name: "v", hostPath: { path: "/" } }] } } } }, parameters: { maxContainers: 0, forbiddenEnv: ["SECRET"], strict: true }, violations: "yes" },
  ],
});
