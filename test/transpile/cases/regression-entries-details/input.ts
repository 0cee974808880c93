import { defineCheck, type Pod } from "policyc";

export const cc = defineCheck<{ allowed: Record<string, string>; max: number; mode: "strict" | "lax" }, Pod>({
  kind: "TRegressionEntriesDetails",
  description: "Regression: constructs the differential tests once caught mis-compiled.",
  violation(review, params, report) {
    const labels = review.object.metadata?.labels ?? {};
    if (params.mode === "lax") {
      if (Object.keys(labels).length === 0) return;
    } else {
      if (labels["skip"] === "true") return;
    }
    for (const [k, v] of Object.entries(labels)) {
      const want = params.allowed[k];
      if (want === undefined) {
        if (params.mode === "strict") report(`label ${k} is not allowed`);
        continue;
      }
      if (want !== v) report(`label ${k}=${v} should be ${want}`, { key: k, want });
    }
    const names = (review.object.spec?.containers ?? []).map((c) => c.name);
    if (names.length > params.max) report(`containers ${names.join("+")} exceed ${params.max}`);
    const weight = Number(review.object.metadata?.annotations?.["weight"] ?? "0");
    if (weight > params.max) report(`weight ${weight}`);
  },
  tests: [
    { name: "a", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { a: "1", b: "2" }, annotations: { weight: "7" } }, spec: { containers: [{ name: "x" }, { name: "y" }] } }, parameters: { allowed: { a: "1", b: "3" }, max: 1, mode: "strict" }, violations: "yes" },
  ],
});
