/**
 * Turns Kyverno policies into the `kyverno.io/v2` PolicyExceptions that keep them away from the
 * system namespaces: one exception per policy, in the exception namespace, listing every rule and
 * its autogen variants, matching any kind in the exempt namespaces. Also renders the equivalent
 * `resourceFilters` entries for Kyverno's ConfigMap.
 */
import { ruleNamesFor } from "./autogen.js";
import type { KyvernoPolicyInfo } from "./discover.js";

export interface PolicyExceptionObject {
  apiVersion: "kyverno.io/v2";
  kind: "PolicyException";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    exceptions: { policyName: string; ruleNames: string[] }[];
    match: { any: { resources: { namespaces: string[] } }[] };
  };
}

const MAX_NAME = 253;

/** The exception's name: `<policy>-system-namespaces`, prefixed by the namespace of a namespaced Policy. */
export function exceptionName(p: Pick<KyvernoPolicyInfo, "name" | "namespace" | "kind">): string {
  const base = p.kind === "Policy" && p.namespace ? `${p.namespace}-${p.name}` : p.name;
  return `${base}-system-namespaces`.slice(0, MAX_NAME).replace(/[^a-z0-9]+$/, "");
}

export function exceptionFor(policy: KyvernoPolicyInfo, exceptionNamespace: string, exemptNamespaces: readonly string[]): PolicyExceptionObject {
  const ruleNames: string[] = [];
  for (const rule of policy.rules) {
    for (const n of ruleNamesFor(rule.name, rule.kinds, policy.autogenControllers)) if (!ruleNames.includes(n)) ruleNames.push(n);
  }
  return {
    apiVersion: "kyverno.io/v2",
    kind: "PolicyException",
    metadata: {
      name: exceptionName(policy),
      namespace: exceptionNamespace,
      labels: { "app.kubernetes.io/managed-by": "policyc" },
    },
    spec: {
      exceptions: [{ policyName: policy.kind === "Policy" && policy.namespace ? `${policy.namespace}/${policy.name}` : policy.name, ruleNames }],
      match: { any: [{ resources: { namespaces: [...exemptNamespaces] } }] },
    },
  };
}

/** `[Kind,Namespace,Name]` triples for Kyverno's ConfigMap key `resourceFilters`. */
export function resourceFilterEntries(exemptNamespaces: readonly string[]): string {
  return exemptNamespaces.map((ns) => `[*/*,${ns},*]`).join("");
}

/** A namespace name or a glob with `*`/`?` as Kyverno matches them. */
export function isNamespacePattern(s: string): boolean {
  return /^[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?$/.test(s);
}
