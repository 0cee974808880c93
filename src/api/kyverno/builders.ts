/**
 * The DSL builders for Kyverno: `policyException()` emits a `kyverno.io/v2` PolicyException as
 * written; `kyvernoPolicy()` declares a Kyverno policy that policyc exempts for the configured
 * system namespaces (`kube-system`, `d8-*` by default), autogen rule names included.
 */
import { registerDefinition, type Definition } from "../definition.js";
import { defineResource, type Resource } from "../resource.js";
import { splitLiteral, type ObjectMeta } from "../deckhouse/builders.js";
import type { KyvernoPolicyDecl, PolicyExceptionSpec } from "./types.js";

/** The literal `policyException()` takes: metadata fields beside the spec fields. */
export type PolicyExceptionInput = ObjectMeta & {
  /** The exception namespace: Kyverno's `--exceptionNamespace` (config `kyverno.exceptionNamespace`). */
  namespace: string;
} & PolicyExceptionSpec;

/**
 * Declares a Kyverno `PolicyException` (`kyverno.io/v2`). `namespace` must be Kyverno's
 * `--exceptionNamespace` (the config's `kyverno.exceptionNamespace`).
 *
 * @example
 * policyException({
 *   name: "tools-may-run-privileged",
 *   namespace: "kyverno",
 *   exceptions: [{ policyName: "disallow-privileged", ruleNames: ["privileged", "autogen-privileged"] }],
 *   match: { any: [{ resources: { kinds: ["Pod", "Deployment"], namespaces: ["tools"] } }] },
 * });
 */
export function policyException(input: PolicyExceptionInput): Resource {
  const { metadata, spec } = splitLiteral(input, ["name", "namespace", "labels", "annotations"]);
  return defineResource({ apiVersion: "kyverno.io/v2", kind: "PolicyException", metadata, spec }, { schema: "kyverno/policyexception.json" });
}

/** A `kyvernoPolicy()` declaration. */
export interface KyvernoPolicy extends Definition {
  /** The declaration as written. */
  readonly policy: KyvernoPolicyDecl;
}

/**
 * Declares a Kyverno policy to exempt for the system namespaces; policyc emits one PolicyException
 * for it in the exception namespace. Policies in the config's `kyverno.policyDir` are found without
 * a declaration.
 *
 * @example
 * kyvernoPolicy({ name: "require-labels", rules: ["check-team-label"] });
 */
export function kyvernoPolicy(policy: KyvernoPolicyDecl): KyvernoPolicy {
  return registerDefinition("kyverno-policy", { policy: { ...policy } });
}
