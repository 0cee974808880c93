/**
 * The Constraint `spec.match` filter Gatekeeper applies before any Rego runs. Every criterion must
 * hold; a review matches when its object or its oldObject matches. The namespace for
 * `namespaceSelector` comes from the inventory's Namespace objects (gator has no API server); a
 * namespaced object whose Namespace is unknown is a match *error*, which Gatekeeper reports as an
 * autoreject violation.
 */
import { selectorMatches, type LabelSelector } from "./label-selector.js";
import { wildcardMatches, wildcardMatchesGenerateName } from "./wildcard.js";
import {
  generateNameOf,
  gvkOf,
  isNamespaceObject,
  labelsOf,
  nameOf,
  namespaceOf,
  type KubeObject,
} from "./objects.js";

export interface MatchKinds {
  apiGroups?: string[];
  kinds?: string[];
}

export interface Match {
  kinds?: MatchKinds[];
  scope?: string;
  namespaces?: string[];
  excludedNamespaces?: string[];
  labelSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  name?: string;
  source?: string;
}

export type Source = "Original" | "Generated";

export interface MatchTarget {
  object: KubeObject;
  /** The object's Namespace, when known (from the inventory). */
  namespace?: KubeObject;
  source?: Source;
}

export type MatchVerdict = { matched: boolean } | { error: string };

const WILD = "*";

function kindsMatch(m: Match, t: MatchTarget): boolean {
  return matchesKind(m, gvkOf(t.object));
}

/**
 * The `kinds` criterion alone (checked first: an object of another kind never matches, and never
 * errors), so a caller can set aside constraints that cannot match a kind before reviewing.
 */
export function matchesKind(m: Match | undefined | null, gvk: { group: string; kind: string }): boolean {
  if (!m || !m.kinds || m.kinds.length === 0) return true;
  return m.kinds.some((k) => {
    const kinds = k?.kinds ?? [];
    const groups = k?.apiGroups ?? [];
    const kindOk = kinds.length === 0 || kinds.includes(WILD) || kinds.includes(gvk.kind);
    const groupOk = groups.length === 0 || groups.includes(WILD) || groups.includes(gvk.group);
    return kindOk && groupOk;
  });
}

function scopeMatch(m: Match, t: MatchTarget): boolean {
  const hasNamespace = namespaceOf(t.object) !== "" || t.namespace !== undefined;
  const isNs = isNamespaceObject(t.object);
  if (m.scope === "Cluster") return isNs || !hasNamespace;
  if (m.scope === "Namespaced") return !isNs && hasNamespace;
  // "*", absent, and typos all mean every scope.
  return true;
}

/** The namespace name a namespace list is judged by, or undefined for cluster-scoped objects. */
function effectiveNamespace(t: MatchTarget): string | undefined {
  if (isNamespaceObject(t.object)) return nameOf(t.object);
  if (t.namespace) return nameOf(t.namespace);
  const ns = namespaceOf(t.object);
  return ns === "" ? undefined : ns;
}

function namespacesMatch(m: Match, t: MatchTarget): boolean {
  if (!m.namespaces || m.namespaces.length === 0) return true;
  const ns = effectiveNamespace(t);
  if (ns === undefined) return true;
  return m.namespaces.some((p) => wildcardMatches(p, ns));
}

function excludedNamespacesMatch(m: Match, t: MatchTarget): boolean {
  if (!m.excludedNamespaces || m.excludedNamespaces.length === 0) return true;
  const ns = effectiveNamespace(t);
  if (ns === undefined) return true;
  return !m.excludedNamespaces.some((p) => wildcardMatches(p, ns));
}

function labelSelectorMatch(m: Match, t: MatchTarget): boolean {
  if (m.labelSelector === undefined || m.labelSelector === null) return true;
  return selectorMatches(m.labelSelector, labelsOf(t.object));
}

function namespaceSelectorMatch(m: Match, t: MatchTarget): boolean {
  if (m.namespaceSelector === undefined || m.namespaceSelector === null) return true;
  const isNs = isNamespaceObject(t.object);
  if (!isNs && t.namespace === undefined && namespaceOf(t.object) === "") return true;
  if (isNs) return selectorMatches(m.namespaceSelector, labelsOf(t.object));
  if (t.namespace === undefined) {
    // Gatekeeper's words: `gator test` users grep for them. Callers name the namespace and the remedy.
    throw new Error("namespace selector for namespace-scoped object but missing Namespace");
  }
  return selectorMatches(m.namespaceSelector, labelsOf(t.namespace));
}

function nameMatch(m: Match, t: MatchTarget): boolean {
  if (!m.name) return true;
  return wildcardMatches(m.name, nameOf(t.object)) || wildcardMatchesGenerateName(m.name, generateNameOf(t.object));
}

function sourceMatch(m: Match, t: MatchTarget): boolean {
  const want = m.source ?? "";
  if (want === "" || want === "All") return true;
  if (want !== "Original" && want !== "Generated") throw new Error(`invalid source field "${want}"`);
  return want === (t.source ?? "Original");
}

const matchers = [
  kindsMatch,
  scopeMatch,
  namespacesMatch,
  excludedNamespacesMatch,
  labelSelectorMatch,
  namespaceSelectorMatch,
  nameMatch,
  sourceMatch,
];

/** Whether one object satisfies `match`; an absent match accepts everything. */
export function matchesObject(m: Match | undefined | null, t: MatchTarget): MatchVerdict {
  if (!m) return { matched: true };
  try {
    for (const fn of matchers) if (!fn(m, t)) return { matched: false };
    return { matched: true };
  } catch (e) {
    return { error: `failed to run Match criteria: ${(e as Error).message}` };
  }
}

/**
 * Gatekeeper's review-level match: the constraint applies if the object or the oldObject matches.
 * Errors on the first object that errors (as Gatekeeper does); no object at all is an error too.
 */
export function matchesReview(
  m: Match | undefined | null,
  objects: { object?: KubeObject | null; oldObject?: KubeObject | null },
  namespace: KubeObject | undefined,
  source: Source = "Original",
): MatchVerdict {
  if (!m) return { matched: true };
  const candidates = [objects.object, objects.oldObject].filter((o): o is KubeObject => !!o && typeof o === "object");
  if (candidates.length === 0) return { error: "neither object nor old object are defined" };
  for (const object of candidates) {
    const v = matchesObject(m, { object, namespace, source });
    if ("error" in v) return { error: `error matching the requested object: ${nameOf(object)} :${v.error}` };
    if (v.matched) return v;
  }
  return { matched: false };
}
