import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{ forbidden: string[] }, Pod>({
  kind: "TForOfObject",
  description: "Object.entries/keys/values loops become `some k, v in obj`.",
  violation(review, params, report) {
    const labels = review.object.metadata?.labels ?? {};
    for (const [key, value] of Object.entries(labels)) {
      if (params.forbidden.includes(key)) report(`label ${key}=${value} is forbidden`);
    }
    for (const key of Object.keys(review.object.metadata?.annotations ?? {})) {
      if (key.startsWith("forbidden/")) report(`annotation ${key} is forbidden`);
    }
    for (const value of Object.values(labels)) {
      if (value === "") report("labels must not be empty");
    }
  },
  tests: [
    {
      name: "labels",
      object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { team: "", env: "x" }, annotations: { "forbidden/a": "1" } } },
      parameters: { forbidden: ["env"] },
      violations: 3,
    },
  ],
});
