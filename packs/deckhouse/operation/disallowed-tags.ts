/** D8DisallowedTags: rendered from OperationPolicy `disallowedImageTags`. */
import { defineCheck, regoString, podSpecOf, type Workload } from "policyc";
import { pod, podOf, workload } from "../support/objects.js";

/** An image carries a tag when its last path segment has `:`, or a digest when it has `@`. */
function hasTag(image: string): boolean {
  return /:[^/]*$/.test(image) || image.includes("@");
}

export const disallowedTags = defineCheck<{
  /** Tags images must not use (e.g. `latest`). */
  tags: string[];
}, Workload>({
  kind: "D8DisallowedTags",
  regoPackage: "d8.operation_policies",
  title: "Disallowed image tags",
  description: "Images must carry a tag (or digest) that is not disallowed.",
  violation(review, params, report) {
    const spec = podSpecOf(review.object);
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...(spec?.ephemeralContainers ?? [])]) {
      const image = c.image ?? "";
      if (params.tags.some((tag) => image.endsWith(`:${tag}`))) {
        report(`container <${c.name}> uses a disallowed tag <${image}>; disallowed tags are ${regoString(params.tags)}`);
      }
      if (!hasTag(image)) report(`container <${c.name}> didn't specify an image tag <${image}>`);
    }
  },
  tests: [
    { name: "cronjob-template", parameters: { tags: ["latest"] }, object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "nightly", namespace: "app" }, spec: { schedule: "0 0 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "app", image: "registry.example.com/app:latest" }] } } } } } }, violations: 1 },
    { name: "no-containers", parameters: { tags: ["latest"] }, object: { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "empty", namespace: "app" }, spec: {} }, violations: "no" },
    { name: "deployment-template", parameters: { tags: ["latest"] }, object: workload("Deployment", { template: { spec: { containers: [{ name: "app", image: "registry.example.com/app:latest" }] } } }), violations: 1, messages: ["container <app> uses a disallowed tag"] },
    { name: "latest", parameters: { tags: ["latest"] }, object: podOf([{ name: "app", image: "registry.example.com/app:latest" }]), violations: 1, messages: ["container <app> uses a disallowed tag <registry.example.com/app:latest>; disallowed tags are [\"latest\"]"] },
    { name: "no-tag", parameters: { tags: ["latest"] }, object: podOf([{ name: "app", image: "registry.example.com:5000/app" }]), violations: 1, messages: ["container <app> didn't specify an image tag <registry.example.com:5000/app>"] },
    { name: "tagged", parameters: { tags: ["latest"] }, object: podOf([{ name: "app", image: "registry.example.com:5000/app:1.2" }]), violations: "no" },
    { name: "digest", parameters: { tags: ["latest"] }, object: podOf([{ name: "app", image: "registry.example.com/app@sha256:0123" }]), violations: "no" },
    { name: "init-container", parameters: { tags: ["latest"] }, object: pod({ containers: [{ name: "app", image: "a:1" }], initContainers: [{ name: "init", image: "busybox:latest" }] }), violations: 1, messages: ["container <init>"] },
    { name: "ephemeral-container", parameters: { tags: ["dev"] }, object: pod({ containers: [{ name: "app", image: "a:1" }], ephemeralContainers: [{ name: "debug", image: "busybox:dev" }] }), violations: 1 },
  ],
});
