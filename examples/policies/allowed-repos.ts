/**
 * The product docs' example: container images must come from an allowed registry. Bound to the
 * Deckhouse `restricted` Pod Security Standard.
 */
import { defineCheck, defineConstraint, regoString, type Pod } from "policyc";
import { pod } from "./support/objects.js";

export interface AllowedReposParams {
  /** Image prefixes that are allowed, e.g. `mycompany.registry.com`. */
  repos: string[];
}

export const allowedRepos = defineCheck<AllowedReposParams, Pod>({
  kind: "K8sAllowedRepos",
  title: "Allowed image repositories",
  description: "Requires container and init container images to start with one of the allowed repositories.",
  severity: "high",
  remediation: "Push the image to an allowed registry (for prod-repo: mycompany.registry.com) and reference it from there.",
  docsUrl: "https://deckhouse.io/products/kubernetes-platform/documentation/v1/modules/admission-policy-engine/",
  // Decides exactly like the product docs' hand-written Rego (test/differential checks it): a
  // container without an image is not reported, since the docs' message needs the image.
  violation(review, params, report) {
    const spec = review.object.spec;
    for (const container of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
      const image = container.image;
      if (image === undefined) continue;
      if (!params.repos.some((repo) => image.startsWith(repo))) {
        report(`container <${container.name}> has an invalid image repo <${image}>, allowed repos are ${regoString(params.repos)}`);
      }
    }
  },
  tests: [
    {
      name: "allowed-image",
      parameters: { repos: ["mycompany.registry.com"] },
      object: pod({ containers: [{ name: "app", image: "mycompany.registry.com/app:1.0" }] }),
      violations: "no",
    },
    {
      name: "disallowed-container",
      parameters: { repos: ["mycompany.registry.com"] },
      object: pod({ containers: [{ name: "app", image: "docker.io/nginx:1.27" }] }),
      violations: 1,
      messages: ["container <app> has an invalid image repo <docker.io/nginx:1.27>"],
    },
    {
      name: "disallowed-init-container",
      parameters: { repos: ["mycompany.registry.com"] },
      object: pod({
        containers: [{ name: "app", image: "mycompany.registry.com/app:1.0" }],
        initContainers: [{ name: "init", image: "busybox:1.36" }],
      }),
      violations: 1,
      messages: ["container <init> has an invalid image repo <busybox:1.36>"],
    },
  ],
});

export const prodRepo = defineConstraint(allowedRepos, {
  name: "prod-repo",
  podSecurity: "restricted",
  parameters: { repos: ["mycompany.registry.com"] },
});
