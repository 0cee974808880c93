/**
 * Whether a Pod with given namespace and pod labels is selected: Kubernetes label selectors,
 * Gatekeeper's `spec.match` (kinds, scope, namespace globs, selectors) and Deckhouse's policy
 * `match` (matchNames / excludeNames / labelSelector, pod labelSelector). Each answer carries the
 * reason, for the "not applied" part of the explanation.
 */

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

/** Kubernetes label-selector semantics (`NotIn` and `DoesNotExist` hold when the label is absent). */
export function selectorMatches(sel: Selector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(labels[e.key]!)) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[e.key]!)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Gatekeeper's name globs: a leading and/or trailing `*`. */
export function globMatches(pattern: string, name: string): boolean {
  const pre = pattern.startsWith("*");
  const post = pattern.endsWith("*") && pattern.length > 1;
  const core = pattern.slice(pre ? 1 : 0, post ? -1 : undefined);
  if (pattern === "*") return true;
  if (pre && post) return name.includes(core);
  if (pre) return name.endsWith(core);
  if (post) return name.startsWith(core);
  return name === core;
}

const describe = (sel: Selector) => JSON.stringify(sel);

/** Gatekeeper `spec.match` for a Pod. */
export function constraintMatches(match: any, pod: PodContext): MatchResult {
  if (!match) return yes;
  if (Array.isArray(match.kinds) && match.kinds.length > 0) {
    const podKind = match.kinds.some(
      (k: any) => (k.apiGroups ?? [""]).some((g: string) => g === "" || g === "*") && (k.kinds ?? []).some((x: string) => x === "Pod" || x === "*"),
    );
    if (!podKind) return no("its kinds do not include Pod");
  }
  if (match.scope === "Cluster") return no("its scope is Cluster");
  const ns = pod.namespace ?? "";
  if (Array.isArray(match.namespaces) && !match.namespaces.some((p: string) => globMatches(p, ns))) return no(`namespace \`${ns || "?"}\` is not in ${JSON.stringify(match.namespaces)}`);
  if (Array.isArray(match.excludedNamespaces) && match.excludedNamespaces.some((p: string) => globMatches(p, ns))) return no(`namespace \`${ns}\` is excluded`);
  if (match.namespaceSelector && !selectorMatches(match.namespaceSelector, pod.namespaceLabels)) return no(`the namespace labels do not match ${describe(match.namespaceSelector)}`);
  if (match.labelSelector && !selectorMatches(match.labelSelector, pod.podLabels)) return no(`the pod labels do not match ${describe(match.labelSelector)}`);
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
