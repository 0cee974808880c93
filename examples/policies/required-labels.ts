/**
 * Ownership labels on namespaces, so alerts and costs reach a team. Values are checked against a
 * regular expression per label.
 */
import { defineCheck, defineConstraint, rego } from "policyc";

export const requiredLabels = defineCheck<{
  /** Label key → regular expression its value must match (RE2 syntax). */
  labels: Record<string, string>;
  /** Text appended to every message, e.g. where to read about the labels. */
  hint?: string;
}>({
  kind: "K8sRequiredLabels",
  title: "Required labels",
  description: "Objects must carry the listed labels with values matching the given patterns.",
  severity: "low",
  rego: rego`
    package k8srequiredlabels

    violation[{"msg": msg}] {
      some key
      input.parameters.labels[key]
      not input.review.object.metadata.labels[key]
      msg := sprintf("%v <%v> must have label <%v>%v", [input.review.object.kind, input.review.object.metadata.name, key, hint])
    }

    violation[{"msg": msg}] {
      pattern := input.parameters.labels[key]
      value := input.review.object.metadata.labels[key]
      not regex.match(pattern, value)
      msg := sprintf("%v <%v> label <%v> value <%v> does not match <%v>%v", [input.review.object.kind, input.review.object.metadata.name, key, value, pattern, hint])
    }

    hint = h {
      h := sprintf(" (%v)", [input.parameters.hint])
    }

    hint = "" {
      not input.parameters.hint
    }
  `,
  tests: [
    {
      name: "labelled-namespace",
      parameters: { labels: { "platform.example.com/owner": "^[a-z][a-z0-9-]*$" } },
      object: { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { "platform.example.com/owner": "team-shop" } } },
      violations: "no",
    },
    {
      name: "missing-owner",
      parameters: { labels: { "platform.example.com/owner": "^[a-z][a-z0-9-]*$" } },
      object: { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
      violations: 1,
      messages: ["Namespace <shop> must have label <platform.example.com/owner>"],
    },
    {
      name: "bad-owner-value",
      parameters: { labels: { "platform.example.com/owner": "^[a-z][a-z0-9-]*$" }, hint: "see the platform handbook" },
      object: { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { "platform.example.com/owner": "Team Shop" } } },
      violations: 1,
      messages: ["does not match"],
    },
  ],
});

export const namespaceOwner = defineConstraint(requiredLabels, {
  name: "namespace-owner",
  match: { kinds: [{ apiGroups: [""], kinds: ["Namespace"] }], excludedNamespaces: ["default"] },
  parameters: {
    labels: { "platform.example.com/owner": "^[a-z][a-z0-9-]*$" },
    hint: "every namespace needs an owning team",
  },
});
