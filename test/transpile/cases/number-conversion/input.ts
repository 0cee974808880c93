import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{ maxGracePeriod: number }, Pod>({
  kind: "TNumberConversion",
  description: "Number(x) is to_number(x).",
  violation(review, params, report) {
    const annotations = review.object.metadata?.annotations ?? {};
    const grace = annotations["example.com/grace"];
    if (grace !== undefined && /^[0-9]+$/.test(grace) && Number(grace) > params.maxGracePeriod) {
      report(`grace period ${grace} exceeds ${params.maxGracePeriod}`);
    }
  },
  tests: [
    { name: "long", object: { apiVersion: "v1", kind: "Pod", metadata: { annotations: { "example.com/grace": "120" } } }, parameters: { maxGracePeriod: 60 }, violations: 1 },
    { name: "short", object: { apiVersion: "v1", kind: "Pod", metadata: { annotations: { "example.com/grace": "30" } } }, parameters: { maxGracePeriod: 60 }, violations: "no" },
  ],
});
