/**
 * Ownership labels on namespaces, so alerts and costs reach a team. Values are checked against a
 * regular expression per label.
 */
import { defineCheck, defineConstraint, regexMatch } from "policyc";

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
  violation(review, params, report) {
    const obj = review.object;
    const what = `${obj.kind} <${obj.metadata?.name ?? ""}>`;
    const hint = params.hint !== undefined ? ` (${params.hint})` : "";
    const labels = obj.metadata?.labels ?? {};
    for (const [key, pattern] of Object.entries(params.labels)) {
      const value = labels[key];
      if (value === undefined) report(`${what} must have label <${key}>${hint}`);
      else if (!regexMatch(pattern, value)) report(`${what} label <${key}> value <${value}> does not match <${pattern}>${hint}`);
    }
  },
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
