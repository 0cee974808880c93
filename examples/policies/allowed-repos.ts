/**
 * The product docs' example: container images must come from an allowed registry. Bound to the
 * Deckhouse `restricted` Pod Security Standard.
 */
import { defineCheck, defineConstraint, rego } from "policyc";
import { pod } from "./support/objects.js";

export interface AllowedReposParams {
  /** Image prefixes that are allowed, e.g. `mycompany.registry.com`. */
  repos: string[];
}

export const allowedRepos = defineCheck<AllowedReposParams>({
  kind: "K8sAllowedRepos",
  title: "Allowed image repositories",
  description: "Requires container and init container images to start with one of the allowed repositories.",
  severity: "high",
  rego: rego`
    package d8.pod_security_standards.extended

    violation[{"msg": msg}] {
      container := input.review.object.spec.containers[_]
      satisfied := [good | repo = input.parameters.repos[_] ; good = startswith(container.image, repo)]
      not any(satisfied)
      msg := sprintf("container <%v> has an invalid image repo <%v>, allowed repos are %v", [container.name, container.image, input.parameters.repos])
    }

    violation[{"msg": msg}] {
      container := input.review.object.spec.initContainers[_]
      satisfied := [good | repo = input.parameters.repos[_] ; good = startswith(container.image, repo)]
      not any(satisfied)
      msg := sprintf("container <%v> has an invalid image repo <%v>, allowed repos are %v", [container.name, container.image, input.parameters.repos])
    }
  `,
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
