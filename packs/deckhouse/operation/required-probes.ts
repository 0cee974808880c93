/** D8RequiredProbes: rendered from OperationPolicy `requiredProbes`. */
import { defineCheck, type Container, podSpecOf, type Workload } from "policyc";
import { podOf, workload } from "../support/objects.js";

export type ProbeName = "livenessProbe" | "readinessProbe" | "startupProbe";

/** A probe counts when it is set and not empty (`{}` probes nothing). */
function hasProbe(c: Container, probe: ProbeName): boolean {
  const p = c[probe];
  return p !== undefined && Object.keys(p).length > 0;
}

export const requiredProbes = defineCheck<{
  /** Probes every container must define. */
  probes: ProbeName[];
}, Workload>({
  kind: "D8RequiredProbes",
  regoPackage: "d8.operation_policies",
  title: "Required probes",
  description: "Every container must define the listed probes.",
  violation(review, params, report) {
    for (const c of podSpecOf(review.object)?.containers ?? []) {
      for (const probe of params.probes) {
        if (!hasProbe(c, probe)) report(`Container <${c.name}> in your <${review.object.kind ?? ""}> <${review.object.metadata?.name ?? ""}> has no <${probe}>`);
      }
    }
  },
  tests: [
    { name: "cronjob-template", parameters: { probes: ["readinessProbe"] }, object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "nightly", namespace: "app" }, spec: { schedule: "0 0 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "app", image: "a:1" }] } } } } } }, violations: 1 },
    { name: "no-containers", parameters: { probes: ["readinessProbe"] }, object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "empty", namespace: "app" }, spec: {} }, violations: "no" },
    { name: "deployment-template", parameters: { probes: ["readinessProbe"] }, object: workload("Deployment", { template: { spec: { containers: [{ name: "app", image: "a:1" }] } } }), violations: 1, messages: ["Container <app> in your <Deployment> <web> has no <readinessProbe>"] },
    { name: "none", parameters: { probes: ["livenessProbe", "readinessProbe"] }, object: podOf([{ name: "app", image: "a:1" }]), violations: 2, messages: ["Container <app> in your <Pod> <pod> has no <livenessProbe>", "has no <readinessProbe>"] },
    { name: "both", parameters: { probes: ["livenessProbe", "readinessProbe"] }, object: podOf([{ name: "app", image: "a:1", livenessProbe: { tcpSocket: { port: 80 } }, readinessProbe: { httpGet: { path: "/", port: 80 } } }]), violations: "no" },
    { name: "empty-probe", parameters: { probes: ["startupProbe"] }, object: podOf([{ name: "app", image: "a:1", startupProbe: {} }]), violations: 1 },
    { name: "multi-container", parameters: { probes: ["readinessProbe"] }, object: podOf([{ name: "a", image: "a:1" }, { name: "b", image: "b:1", readinessProbe: { exec: { command: ["true"] } } }]), violations: 1 },
  ],
});
