import { defineCheck, podSpecOf, type Workload } from "policyc";

export const check = defineCheck<{}, Workload>({
  kind: "TPodTemplates",
  description: "podSpecOf reads the pod spec of a Pod or of any workload's pod template.",
  violation(review, _params, report) {
    const spec = podSpecOf(review.object);
    if (!spec) return;
    if (spec.hostNetwork) report(`${review.object.kind ?? "object"} uses the host network`);
  },
  tests: [
    { name: "deployment", object: { apiVersion: "apps/v1", kind: "Deployment", spec: { selector: {}, template: { spec: { containers: [], hostNetwork: true } } } }, parameters: {}, violations: 1 },
    { name: "cronjob", object: { apiVersion: "batch/v1", kind: "CronJob", spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec: { containers: [], hostNetwork: true } } } } } }, parameters: {}, violations: 1 },
    { name: "pod", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [] } }, parameters: {}, violations: "no" },
  ],
});
