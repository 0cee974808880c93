/**
 * Whether a Pod with given namespace and pod labels is selected: Gatekeeper's `spec.match` (asked
 * of the shared Gatekeeper emulation, criterion by criterion, so each "no" carries its reason) and
 * Deckhouse's policy `match` (matchNames / excludeNames / labelSelector, pod labelSelector), with
 * the shared label-selector and glob semantics. Reasons feed the "not applied" part of the explanation.
 */

import { selectorMatches as sharedSelectorMatches } from "../testing/gatekeeper/label-selector.js";
import { matchesObject, type Match } from "../testing/gatekeeper/match.js";
import { wildcardMatches } from "../testing/gatekeeper/wildcard.js";

export interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface PodContext {
  /** Namespace name, when known (`--namespace` or the `kubernetes.io/metadata.name` label). */
  namespace?: string;
  namespaceLabels: Record<string, string>;
  podLabels: Record<string, string>;
}

export type MatchResult = { matches: true } | { matches: false; reason: string };

const yes: MatchResult = { matches: true };
const no = (reason: string): MatchResult => ({ matches: false, reason });

/** Kubernetes label-selector semantics (the shared engine's); a malformed selector selects nothing. */
export function selectorMatches(sel: Selector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return true;
  try {
    return sharedSelectorMatches(sel, labels);
  } catch {
    return false;
  }
}

/** Gatekeeper's name globs: a leading and/or trailing `*` (the shared engine's). */
export const globMatches = wildcardMatches;

const describe = (sel: Selector) => JSON.stringify(sel);

/** Each criterion of `spec.match`, judged alone by the shared engine, with the reason it excludes the Pod. */
const CRITERIA: { key: keyof Match; reason: (m: Match, pod: PodContext) => string }[] = [
  { key: "kinds", reason: () => "its kinds do not include Pod" },
  { key: "scope", reason: (m) => `its scope is ${m.scope}` },
  { key: "namespaces", reason: (m, pod) => `namespace \`${pod.namespace || "?"}\` is not in ${JSON.stringify(m.namespaces)}` },
  { key: "excludedNamespaces", reason: (_, pod) => `namespace \`${pod.namespace ?? ""}\` is excluded` },
  { key: "namespaceSelector", reason: (m) => `the namespace labels do not match ${describe(m.namespaceSelector as Selector)}` },
  { key: "labelSelector", reason: (m) => `the pod labels do not match ${describe(m.labelSelector as Selector)}` },
];

/** Gatekeeper `spec.match` for a Pod, decided by the shared Gatekeeper emulation (src/testing/gatekeeper/match.ts). */
export function constraintMatches(match: any, pod: PodContext): MatchResult {
  if (!match) return yes;
  const ns = pod.namespace ?? "";
  const target = {
    object: { apiVersion: "v1", kind: "Pod", metadata: { name: "pod", namespace: ns || "unknown", labels: pod.podLabels } },
    namespace: { apiVersion: "v1", kind: "Namespace", metadata: { name: ns || "unknown", labels: pod.namespaceLabels } },
  };
  for (const c of CRITERIA) {
    if (match[c.key] === undefined || match[c.key] === null) continue;
    if (c.key === "namespaces" && ns === "") return no(c.reason(match, pod));
    if ((c.key === "excludedNamespaces") && ns === "") continue;
    const v = matchesObject({ [c.key]: match[c.key] } as Match, target);
    if ("error" in v || !v.matched) return no(c.reason(match, pod));
  }
  return yes;
}

/** Deckhouse SecurityPolicy / OperationPolicy `spec.match` for a Pod. */
export function deckhouseMatches(match: any, pod: PodContext): MatchResult {
  if (pod.namespaceLabels["heritage"] === "deckhouse") return no("Deckhouse does not apply policies in system namespaces (label heritage=deckhouse)");
  const nsSel = match?.namespaceSelector;
  const ns = pod.namespace ?? "";
  if (nsSel) {
    if (Array.isArray(nsSel.matchNames) && !nsSel.matchNames.some((p: string) => globMatches(p, ns))) return no(`namespace \`${ns || "?"}\` is not in matchNames ${JSON.stringify(nsSel.matchNames)}`);
    if (Array.isArray(nsSel.excludeNames) && nsSel.excludeNames.some((p: string) => globMatches(p, ns))) return no(`namespace \`${ns}\` is in excludeNames`);
    if (nsSel.labelSelector && !selectorMatches(nsSel.labelSelector, pod.namespaceLabels)) return no(`the namespace labels do not match ${describe(nsSel.labelSelector)}`);
  }
  if (match?.labelSelector && !selectorMatches(match.labelSelector, pod.podLabels)) return no(`the pod labels do not match ${describe(match.labelSelector)}`);
  return yes;
}
