/**
 * The DSL builders for Deckhouse policy resources. Each takes one object literal — the manifest's
 * `metadata` fields (`name`, `labels`, `annotations`, and `namespace` for namespaced kinds) next
 * to its `spec` fields — and registers a plain `deckhouse.io/v1alpha1` object with the loader via
 * `defineResource`. Nothing is defaulted or rewritten: what the user writes is what Deckhouse gets.
 */
import { defineResource, type Resource, type ResourceSpec } from "../resource.js";
import type { ExpectedViolations, KubeObject } from "../tests.js";
import type { OperationPolicySpec, SecurityPolicyExceptionSpec, SecurityPolicySpec } from "./types.js";

/**
 * A case for a SecurityPolicy or OperationPolicy: an object in a namespace with some labels, judged
 * by the Constraints Deckhouse renders from the policy (the policy pack's templates), as `policyc
 * test` runs it. Pod Security Standards are not part of it: the case tests this policy alone.
 */
export interface DeckhouseTestCase {
  /** Short, unique within the policy; used in reports. */
  name: string;
  /**
   * The object under review: inline or a YAML file path relative to the policy file. Without
   * `metadata.namespace` it is put in namespace `default`.
   */
  object: KubeObject | string;
  /** Labels of the object's namespace, which the policy's `namespaceSelector` sees. */
  namespaceLabels?: Record<string, string>;
  /** How many violations all of the policy's Constraints report together: `"yes"`, `"no"` or a count. */
  violations: ExpectedViolations;
  /** Each entry must match some violation's message (a string: literal text it contains; a RegExp: RE2, unanchored). */
  messages?: (string | RegExp)[];
  /** Objects Gatekeeper has synced, e.g. the SecurityPolicyExceptions a Pod refers to (inline or YAML paths). */
  inventory?: (KubeObject | string)[];
}

/** `tests:` of a Deckhouse policy builder. */
export interface DeckhouseTests {
  /** Objects the policy must allow or deny; run by `policyc test` through the Deckhouse policy pack. */
  tests?: readonly DeckhouseTestCase[];
}

/** Metadata every builder accepts next to the spec fields. */
export interface ObjectMeta {
  /** `metadata.name`: a DNS-1123 subdomain. Also the name of every Gatekeeper Constraint Deckhouse renders from it. */
  name: string;
  /** `metadata.labels`. */
  labels?: Record<string, string>;
  /** `metadata.annotations`. */
  annotations?: Record<string, string>;
}

export const DECKHOUSE_API_VERSION = "deckhouse.io/v1alpha1";

/** A builder literal split into the manifest's parts. */
export interface SplitLiteral {
  /** `metadata` of the manifest. */
  metadata: ResourceSpec["metadata"];
  /** `spec` of the manifest. */
  spec: Record<string, unknown>;
}

/** Splits a builder literal into `metadata` and `spec`; keys listed in `metaKeys` go to metadata. */
export function splitLiteral(input: object, metaKeys: readonly string[]): SplitLiteral {
  const metadata: Record<string, unknown> = {};
  const spec: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    if (metaKeys.includes(k)) metadata[k] = v;
    else spec[k] = v;
  }
  return { metadata: metadata as ResourceSpec["metadata"], spec };
}

const CLUSTER_META = ["name", "labels", "annotations"] as const;
const NAMESPACED_META = ["name", "namespace", "labels", "annotations"] as const;

function build(kind: string, input: object, namespaced: boolean, schema: string): Resource {
  const { tests, ...rest } = input as DeckhouseTests;
  const { metadata, spec } = splitLiteral(rest, namespaced ? NAMESPACED_META : CLUSTER_META);
  return defineResource({ apiVersion: DECKHOUSE_API_VERSION, kind, metadata, spec }, { schema, ...(tests ? { tests } : {}) });
}

/** A cluster-wide SecurityPolicy: what Pods (and RBAC, Services, Ingresses) in the matched namespaces may do. */
export type SecurityPolicyInput = ObjectMeta & SecurityPolicySpec & DeckhouseTests;
/** A cluster-wide OperationPolicy: operational requirements (repos, resources, probes, ...). */
export type OperationPolicyInput = ObjectMeta & OperationPolicySpec & DeckhouseTests;
/** A namespaced SecurityPolicyException that Pods opt into by label. */
export type SecurityPolicyExceptionInput = ObjectMeta & {
  /** Namespace of the Pods that use it. */
  namespace: string;
} & SecurityPolicyExceptionSpec;

/**
 * Declares a Deckhouse `SecurityPolicy` (`deckhouse.io/v1alpha1`).
 *
 * @example
 * securityPolicy({
 *   name: "foo",
 *   enforcementAction: "Deny",
 *   match: { namespaceSelector: { labelSelector: { matchLabels: { name: "test" } } } },
 *   policies: { readOnlyRootFilesystem: true, requiredDropCapabilities: ["MKNOD"] },
 * });
 */
export function securityPolicy(input: SecurityPolicyInput): Resource {
  return build("SecurityPolicy", input, false, "deckhouse/securitypolicy.json");
}

/**
 * Declares a Deckhouse `OperationPolicy` (`deckhouse.io/v1alpha1`).
 *
 * @example
 * operationPolicy({
 *   name: "common",
 *   match: { namespaceSelector: { labelSelector: { matchLabels: { "operation-policy.deckhouse.io/enabled": "true" } } } },
 *   policies: { allowedRepos: ["registry.deckhouse.io"], disallowedImageTags: ["latest"] },
 * });
 */
export function operationPolicy(input: OperationPolicyInput): Resource {
  return build("OperationPolicy", input, false, "deckhouse/operationpolicy.json");
}

/**
 * Declares a Deckhouse `SecurityPolicyException` (`deckhouse.io/v1alpha1`, namespaced). Pods use it
 * with the label `security.deckhouse.io/security-policy-exception: <name>`.
 *
 * @example
 * securityPolicyException({
 *   name: "allow-host-network",
 *   namespace: "ingress",
 *   network: { hostNetwork: { allowedValue: true, metadata: { description: "edge proxy" } } },
 * });
 */
export function securityPolicyException(input: SecurityPolicyExceptionInput): Resource {
  return build("SecurityPolicyException", input, true, "deckhouse/securitypolicyexception.json");
}
