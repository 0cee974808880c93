/** D8RequiredLabels: rendered from OperationPolicy `requiredLabels`, on the kinds of its `watchKinds`. */
import { defineCheck, regoFile } from "policyc";
import { object, pod } from "../support/objects.js";

/** A label objects must carry. */
export interface RequiredLabel {
  key: string;
  /** RE2 regular expression (unanchored) the value must match; empty or unset: any value. */
  allowedRegex?: string;
}

const withLabels = (labels: Record<string, string>) => object("apps/v1", "Deployment", { spec: {} }, { labels });

export const requiredLabels = defineCheck<{
  /** The required labels. */
  labels: RequiredLabel[];
}>({
  kind: "D8RequiredLabels",
  title: "Required labels",
  description: "Objects must carry the required labels, with values matching their regular expressions.",
  rego: regoFile("./required-labels.rego"),
  tests: [
    { name: "missing", parameters: { labels: [{ key: "owner" }, { key: "team" }] }, object: withLabels({ team: "a" }), violations: 1, messages: ["you must provide labels: {\"owner\"}"] },
    { name: "present", parameters: { labels: [{ key: "owner", allowedRegex: "^[a-z]+$" }] }, object: withLabels({ owner: "alice" }), violations: "no" },
    { name: "bad-value", parameters: { labels: [{ key: "owner", allowedRegex: "^[a-z]+$" }] }, object: withLabels({ owner: "Alice" }), violations: 1, messages: ["Label <owner: Alice> does not satisfy allowed regex: ^[a-z]+$"] },
    { name: "no-labels", parameters: { labels: [{ key: "owner" }] }, object: pod({ containers: [] }), violations: 1 },
  ],
});
