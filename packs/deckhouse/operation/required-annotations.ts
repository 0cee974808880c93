/** D8RequiredAnnotations: rendered from OperationPolicy `requiredAnnotations`, on the kinds of its `watchKinds`. */
import { defineCheck, regoFile } from "policyc";
import { object, pod } from "../support/objects.js";

/** An annotation objects must carry. */
export interface RequiredAnnotation {
  key: string;
  /** RE2 regular expression (unanchored) the value must match; empty or unset: any value. */
  allowedRegex?: string;
}

const withAnnotations = (labels: Record<string, string>) => object("apps/v1", "Deployment", { spec: {} }, { annotations: labels });

export const requiredAnnotations = defineCheck<{
  /** The required annotations. */
  annotations: RequiredAnnotation[];
}>({
  kind: "D8RequiredAnnotations",
  title: "Required annotations",
  description: "Objects must carry the required annotations, with values matching their regular expressions.",
  rego: regoFile("./required-annotations.rego"),
  tests: [
    { name: "missing", parameters: { annotations: [{ key: "owner" }, { key: "team" }] }, object: withAnnotations({ team: "a" }), violations: 1, messages: ["you must provide annotations: {\"owner\"}"] },
    { name: "present", parameters: { annotations: [{ key: "owner", allowedRegex: "^[a-z]+$" }] }, object: withAnnotations({ owner: "alice" }), violations: "no" },
    { name: "bad-value", parameters: { annotations: [{ key: "owner", allowedRegex: "^[a-z]+$" }] }, object: withAnnotations({ owner: "Alice" }), violations: 1, messages: ["Annotation <owner: Alice> does not satisfy allowed regex: ^[a-z]+$"] },
    { name: "no-annotations", parameters: { annotations: [{ key: "owner" }] }, object: pod({ containers: [] }), violations: 1 },
  ],
});
