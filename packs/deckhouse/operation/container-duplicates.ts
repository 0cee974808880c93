/** D8ContainerDuplicates: rendered from OperationPolicy `checkContainerDuplicates: true`. */
import { defineCheck, podSpecOf, type Workload } from "policyc";
import { pod, podOf, workload } from "../support/objects.js";

export const containerDuplicates = defineCheck<{}, Workload>({
  kind: "D8ContainerDuplicates",
  regoPackage: "d8.operation_policies",
  title: "Duplicate container and env names",
  description: "Container names (init containers included) must be unique in a Pod or a workload's pod template, and env variable names unique in a container.",
  violation(review, _params, report) {
    const spec = podSpecOf(review.object);
    const podName = review.object.metadata?.name ?? "";
    const all = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
    for (const c of all) {
      if (all.filter((x) => x.name === c.name).length > 1) report(`Pod <${podName}> has duplicated container names: '${c.name}'`);
    }
    for (const c of all) {
      const env = c.env ?? [];
      for (const e of env) {
        if (env.filter((x) => x.name === e.name).length > 1) report(`Container <${c.name}> in pod <${podName}> has duplicated env variable names: '${e.name}'`);
      }
    }
  },
  tests: [
    { name: "duplicate-containers", object: podOf([{ name: "app", image: "a:1" }, { name: "app", image: "b:1" }]), violations: 1, messages: ["Pod <pod> has duplicated container names: 'app'"] },
    { name: "init-and-main", object: pod({ containers: [{ name: "app", image: "a:1" }], initContainers: [{ name: "app", image: "b:1" }] }), violations: 1 },
    { name: "duplicate-env", object: podOf([{ name: "app", image: "a:1", env: [{ name: "A", value: "1" }, { name: "A", value: "2" }, { name: "B" }] }]), violations: 1, messages: ["Container <app> in pod <pod> has duplicated env variable names: 'A'"] },
    { name: "deployment-template", object: workload("Deployment", { template: { spec: { containers: [{ name: "app", image: "a:1" }, { name: "app", image: "b:1" }] } } }), violations: 1, messages: ["Pod <web> has duplicated container names: 'app'"] },
    { name: "cronjob-template-env", object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "nightly", namespace: "app" }, spec: { schedule: "0 0 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "job", image: "a:1", env: [{ name: "A" }, { name: "A" }] }] } } } } } }, violations: 1, messages: ["Container <job> in pod <nightly> has duplicated env variable names: 'A'"] },
    { name: "statefulset-unique", object: workload("StatefulSet", { template: { spec: { containers: [{ name: "a", image: "a:1" }], initContainers: [{ name: "b", image: "b:1" }] } } }), violations: "no" },
    { name: "no-pod-template", object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "empty", namespace: "app" }, spec: {} }, violations: "no" },
    { name: "unique", object: podOf([{ name: "a", image: "a:1", env: [{ name: "A" }] }, { name: "b", image: "b:1", env: [{ name: "A" }] }]), violations: "no" },
  ],
});
