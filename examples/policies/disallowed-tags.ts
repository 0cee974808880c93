/**
 * No mutable image tags: `latest` (explicit or implied by a missing tag) and other moving tags make
 * rollouts unreproducible. Digest-pinned images are always allowed.
 */
import { defineCheck, defineConstraint, rego, regoFile } from "policyc";
import { goodContainer, pod } from "./support/objects.js";

export const disallowedTags = defineCheck<{
  /** Tags that may not be used. An image without a tag counts as `latest`. */
  tags: string[];
}>({
  kind: "K8sDisallowedTags",
  title: "Disallowed image tags",
  description: "Containers and init containers must not use the listed image tags (an untagged image counts as latest).",
  severity: "medium",
  rego: rego`
    package k8sdisallowedtags

    import data.lib.images
    import future.keywords.in

    violation[{"msg": msg}] {
      container := input_containers[_]
      tag := images.tag(container.image)
      tag in input.parameters.tags
      msg := sprintf("container <%v> uses a disallowed tag <%v>; pin a version or a digest", [container.name, tag])
    }

    input_containers[c] {
      c := input.review.object.spec.containers[_]
    }

    input_containers[c] {
      c := input.review.object.spec.initContainers[_]
    }
  `,
  libs: [regoFile("./lib/images.rego")],
  // The same check in CEL, written by hand beside the Rego (the Rego reads lib/images.rego, which
  // CEL cannot call): the tag is the last `:` part of the last path segment, "latest" when there is
  // none; digest-pinned images have no tag. The golden cases below run on both engines.
  k8sNativeValidation: {
    variables: [
      {
        name: "containers",
        expression:
          "has(variables.anyObject.spec) ? (has(variables.anyObject.spec.containers) ? variables.anyObject.spec.containers : []) + (has(variables.anyObject.spec.initContainers) ? variables.anyObject.spec.initContainers : []) : []",
      },
      {
        name: "lastSegments",
        expression: 'variables.containers.filter(c, has(c.image) && !c.image.contains("@")).map(c, {"name": c.name, "last": c.image.split("/")[size(c.image.split("/")) - 1]})',
      },
      {
        name: "tags",
        expression: 'variables.lastSegments.map(s, {"name": s.name, "tag": s.last.contains(":") ? s.last.split(":")[size(s.last.split(":")) - 1] : "latest"})',
      },
      {
        name: "disallowed",
        expression: 'variables.tags.filter(t, t.tag in variables.params.tags).map(t, "container <" + t.name + "> uses a disallowed tag <" + t.tag + ">; pin a version or a digest")',
      },
    ],
    validations: [{ expression: "size(variables.disallowed) == 0", messageExpression: 'variables.disallowed.join(", ")' }],
  },
  tests: [
    {
      name: "pinned-version",
      parameters: { tags: ["latest"] },
      object: pod({ containers: [goodContainer()] }),
      violations: "no",
    },
    {
      name: "pinned-digest",
      parameters: { tags: ["latest"] },
      object: pod({ containers: [goodContainer({ image: "mycompany.registry.com/app@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0" })] }),
      violations: "no",
    },
    {
      name: "explicit-latest",
      parameters: { tags: ["latest"] },
      object: pod({ containers: [goodContainer({ image: "nginx:latest" })] }),
      violations: 1,
      messages: ["container <app> uses a disallowed tag <latest>"],
    },
    {
      name: "untagged-init-container",
      parameters: { tags: ["latest"] },
      object: pod({ containers: [goodContainer()], initContainers: [{ name: "migrate", image: "registry.local:5000/tools/migrate" }] }),
      violations: 1,
      messages: ["container <migrate> uses a disallowed tag <latest>"],
    },
  ],
});

export const noLatestTag = defineConstraint(disallowedTags, {
  name: "no-latest-tag",
  match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], scope: "Namespaced" },
  parameters: { tags: ["latest", "main", "master"] },
});
