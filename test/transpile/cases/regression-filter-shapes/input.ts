import { defineCheck, type Pod } from "policyc";

export const gg = defineCheck<{ required: string[]; optional?: string[]; level: "warn" | "deny" }, Pod>({
  kind: "TRegressionFilterShapes",
  description: "Regression: constructs the differential tests once caught mis-compiled.",
  violation(review, params, report) {
    const containers = review.object.spec?.containers ?? [];
    const withoutEnv = containers.filter((c) => !(c.env ?? []).some((e) => params.required.includes(e.name)));
    for (const c of withoutEnv) {
      if (params.level === "warn") {
        if ((params.optional ?? []).length > 0) continue;
        report(`${c.name}: missing env (warn)`);
      } else if (c.name.endsWith("-job")) {
        continue;
      } else {
        report(`${c.name}: missing env ${params.required.length > 1 ? "vars" : "var"}`);
      }
    }
    const envNames = containers.map((c) => (c.env ?? []).map((e) => e.name).join("|"));
    if (envNames.some((n) => n === "")) report(`some container has no env: ${envNames.join(";")}`);
  },
  tests: [
    { name: "a", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", env: [{ name: "A" }] }] } }, parameters: { required: ["B"], level: "deny" }, violations: "yes" },
  ],
});
