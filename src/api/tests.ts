/**
 * Test cases carried by checks and constraints. The golden-test runner (`policyc test`, src/testing)
 * evaluates them against the emitted Rego; the shapes here are deliberately small and may grow.
 */

import type { ObjectMeta } from "kubernetes-types/meta/v1.js";

/**
 * A Kubernetes object under review or in the inventory. `apiVersion` and `kind` are required
 * (Gatekeeper derives `input.review.kind` and the inventory path from them); set
 * `metadata.namespace` on namespaced objects, as gator does not default it.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** The user an AdmissionReview comes from (Kubernetes `authentication/v1.UserInfo`). */
export interface TestUserInfo {
  /** The user's name, e.g. `system:serviceaccount:ns:sa` or `alice@example.com`. */
  username?: string;
  /** A unique identifier of the user. */
  uid?: string;
  /** The groups the user belongs to, e.g. `system:authenticated`. */
  groups?: string[];
  /** Extra attributes from the authenticator. */
  extra?: Record<string, string[]>;
}

/**
 * What a Gatekeeper external data provider answers, in the shape Gatekeeper's `external_data`
 * built-in returns to the Rego. A call receives the entries of `responses` and `errors` whose key
 * it asks for (in the order it asks), plus `status_code` and `system_error`.
 *
 * @example
 * { responses: [["nginx:1.27", { signed: true }]], errors: [["evil:latest", "no signature"]] }
 */
export interface ExternalDataResponse {
  /** `[key, value]` pairs: the provider's value for each key it answers. */
  responses?: [string, unknown][];
  /** `[key, error]` pairs: keys the provider failed on, with its error message. */
  errors?: [string, string][];
  /** The HTTP status of the provider call (default 200). */
  status_code?: number;
  /** An error for the whole call, e.g. the provider being unreachable (default ""). */
  system_error?: string;
}

/** How many violations the case expects: `"yes"` (at least one), `"no"` (none) or an exact count. */
export type ExpectedViolations = "yes" | "no" | number;

export interface TestCase<P> {
  /** Short, unique within its check or constraint; used in file names and reports. */
  name: string;
  /**
   * The object under review: an inline Kubernetes object, or a path to a YAML file relative to the
   * policy file.
   */
  object: KubeObject | string;
  /** Parameters for this case (for a check) or overrides of the constraint's parameters. */
  parameters?: Partial<P>;
  violations: ExpectedViolations;
  /**
   * Each entry must match the message of some violation: a string is literal text the message must
   * contain; a `RegExp` is matched like gator's `message` (RE2 syntax, unanchored; flags `i`, `s`, `m`).
   */
  messages?: (string | RegExp)[];
  /**
   * What the case expects when the template runs on CEL (Gatekeeper's `K8sNativeValidation`, which
   * gator and Gatekeeper pick when a template carries it), where that differs from `violations` and
   * `messages`, which then describe the Rego. CEL has one message per validation: a `report` inside a
   * loop is one violation whose message joins every offending element's with ", " (docs/cel.md).
   *
   * @example
   * // Rego: one violation per missing probe; CEL: one violation listing both.
   * { violations: 2, cel: { violations: 1 }, messages: ["has no readinessProbe", "has no livenessProbe"] }
   */
  cel?: {
    /** The count on CEL (default: `violations`). */
    violations?: ExpectedViolations;
    /** Messages on CEL (default: `messages`), matched as `messages` are. */
    messages?: (string | RegExp)[];
  };
  /**
   * Objects already in the cluster, as Gatekeeper's synced `data.inventory` holds them: inline objects
   * or YAML file paths (relative to the policy file; a file may hold several objects). A `Namespace`
   * here also decides `namespaceSelector` matching for objects in it.
   */
  inventory?: (KubeObject | string)[];
  /**
   * Answers of Gatekeeper external data providers (`external_data({"provider": p, "keys": [...]})`),
   * by provider name. A template that calls a provider the case does not list fails the case with
   * PC4036, so a test never silently depends on a provider it cannot reach.
   */
  externalData?: Record<string, ExternalDataResponse>;
  /**
   * Review the object as a full AdmissionReview with this operation (default: a plain object, as
   * Gatekeeper's audit and `gator` see it, with an empty operation).
   */
  operation?: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
  /** The requesting user (`input.review.userInfo`); makes the case an AdmissionReview. */
  userInfo?: TestUserInfo;
  /**
   * The object before the change (`input.review.oldObject`), inline or a YAML file path; makes the
   * case an AdmissionReview. For `operation: "DELETE"` it is the object being deleted.
   */
  oldObject?: KubeObject | string;
}
