/** D8DisallowedTolerations: rendered from OperationPolicy `disallowedTolerations` (when not empty). */
import { defineCheck, podSpecOf, regoString, type Workload } from "policyc";
import { podOf, workloadOf } from "../support/objects.js";

/** A toleration Pods must not carry; the fields given must all equal the Pod's toleration. */
export interface Toleration {
  key?: string;
  operator?: "Exists" | "Equal";
  value?: string;
  effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export const disallowedTolerations = defineCheck<{
  /** Tolerations Pods must not carry. */
  tolerations: Toleration[];
}, Workload>({
  kind: "D8DisallowedTolerations",
  regoPackage: "d8.operation_policies",
  title: "Disallowed tolerations",
  description: "Pods must not carry a toleration matching a disallowed one (every field it gives is equal).",
  violation(review, params, report) {
    for (const t of podSpecOf(review.object)?.tolerations ?? []) {
      for (const d of params.tolerations) {
        if (
          (d.key === undefined || d.key === t.key) &&
          (d.operator === undefined || d.operator === t.operator) &&
          (d.value === undefined || d.value === t.value) &&
          (d.effect === undefined || d.effect === t.effect)
        ) {
          report(`Pod <${review.object.metadata?.name ?? ""}> has a disallowed toleration matching ${regoString(d)}`);
        }
      }
    }
  },
  tests: [
    { name: "deployment-template", parameters: { tolerations: [{ key: "dedicated", operator: "Equal", value: "gpu" }] }, object: workloadOf("Deployment", { containers: [{ name: "app", image: "a:1" }], tolerations: [{ key: "dedicated", operator: "Equal", value: "gpu" }] }), violations: 1, messages: ["Pod <web> has a disallowed toleration"] },
    { name: "cronjob-template-other", parameters: { tolerations: [{ operator: "Exists", effect: "NoExecute" }] }, object: workloadOf("CronJob", { containers: [{ name: "app", image: "a:1" }], tolerations: [{ operator: "Exists", effect: "NoSchedule" }] }), violations: "no" },
    { name: "master", parameters: { tolerations: [{ key: "node-role.kubernetes.io/master", operator: "Exists" }] }, object: podOf([{ name: "app", image: "a:1" }], { tolerations: [{ key: "node-role.kubernetes.io/master", operator: "Exists", effect: "NoSchedule" }] }), violations: 1, messages: ["Pod <pod> has a disallowed toleration matching {\"key\": \"node-role.kubernetes.io/master\", \"operator\": \"Exists\"}"] },
    { name: "other-key", parameters: { tolerations: [{ key: "dedicated", operator: "Equal", value: "db" }] }, object: podOf([{ name: "app", image: "a:1" }], { tolerations: [{ key: "dedicated", operator: "Equal", value: "web" }] }), violations: "no" },
    { name: "same-value", parameters: { tolerations: [{ key: "dedicated", operator: "Equal", value: "db" }] }, object: podOf([{ name: "app", image: "a:1" }], { tolerations: [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }] }), violations: 1 },
    { name: "no-tolerations", parameters: { tolerations: [{ key: "dedicated" }] }, object: podOf([{ name: "app", image: "a:1" }]), violations: "no" },
    { name: "effect-only", parameters: { tolerations: [{ effect: "NoExecute" }] }, object: podOf([{ name: "app", image: "a:1" }], { tolerations: [{ operator: "Exists", effect: "NoExecute" }] }), violations: 1 },
  ],
});
