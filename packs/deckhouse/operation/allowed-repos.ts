/** D8AllowedRepos: rendered from OperationPolicy `allowedRepos`. */
import { defineCheck, regoString, podSpecOf, type Workload } from "policyc";
import { pod, podOf, workload } from "../support/objects.js";

export const allowedRepos = defineCheck<{
  /** Prefixes every container image must start with. */
  repos: string[];
}, Workload>({
  kind: "D8AllowedRepos",
  regoPackage: "d8.operation_policies",
  title: "Allowed repositories",
  description: "Images of containers, init containers and ephemeral containers must start with an allowed prefix.",
  violation(review, params, report) {
    const spec = podSpecOf(review.object);
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...(spec?.ephemeralContainers ?? [])]) {
      const image = c.image ?? "";
      if (!params.repos.some((repo) => image.startsWith(repo))) {
        report(`container <${c.name}> has an invalid image repo <${image}>, allowed repos are ${regoString(params.repos)}`);
      }
    }
  },
  tests: [
    { name: "cronjob-template", parameters: { repos: ["registry.example.com"] }, object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "nightly", namespace: "app" }, spec: { schedule: "0 0 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "app", image: "nginx:1.27" }] } } } } } }, violations: 1 },
    { name: "no-containers", parameters: { repos: ["registry.example.com"] }, object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "empty", namespace: "app" }, spec: {} }, violations: "no" },
    { name: "deployment-template", parameters: { repos: ["registry.example.com"] }, object: workload("Deployment", { template: { spec: { containers: [{ name: "app", image: "nginx:1.27" }] } } }), violations: 1, messages: ["container <app> has an invalid image repo <nginx:1.27>"] },
    { name: "other-registry", parameters: { repos: ["registry.example.com"] }, object: podOf([{ name: "app", image: "nginx:1.27" }]), violations: 1, messages: ["container <app> has an invalid image repo <nginx:1.27>, allowed repos are [\"registry.example.com\"]"] },
    { name: "allowed", parameters: { repos: ["registry.example.com", "registry.deckhouse.io"] }, object: podOf([{ name: "app", image: "registry.deckhouse.io/x:1" }]), violations: "no" },
    { name: "init-container", parameters: { repos: ["registry.example.com"] }, object: pod({ containers: [{ name: "app", image: "registry.example.com/a:1" }], initContainers: [{ name: "init", image: "busybox" }] }), violations: 1, messages: ["container <init>"] },
    { name: "ephemeral-container", parameters: { repos: ["registry.example.com"] }, object: pod({ containers: [{ name: "app", image: "registry.example.com/a:1" }], ephemeralContainers: [{ name: "debug", image: "busybox" }] }), violations: 1 },
    { name: "multi-container", parameters: { repos: ["registry.example.com"] }, object: podOf([{ name: "a", image: "x/a:1" }, { name: "b", image: "y/b:1" }]), violations: 2 },
  ],
});
