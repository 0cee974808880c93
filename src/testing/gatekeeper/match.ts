/**
 * The Constraint `spec.match` filter Gatekeeper applies before any Rego runs. Every criterion must
 * hold; a review matches when its object or its oldObject matches. The namespace for
 * `namespaceSelector` comes from the inventory's Namespace objects (gator has no API server); a
 * namespaced object whose Namespace is unknown is a match *error*, which Gatekeeper reports as an
 * autoreject violation.
 */
import { selectorMatches, type LabelSelector } from "./label-selector.js";
import { wildcardMatches, wildcardMatchesGenerateName } from "./wildcard.js";
import { generateNameOf, gvkOf, labelsOf, nameOf, namespaceOf, type KubeObject } from "./objects.js";

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

/**
 * What the criteria read of one object, computed once: a constraint set judges the same object
 * many times (`objectFacts`), and each criterion would otherwise parse `apiVersion` again.
 */
export interface ObjectFacts {
  object: KubeObject;
  group: string;
  kind: string;
  isNamespace: boolean;
  /** `metadata.namespace` ("" when absent). */
  namespace: string;
  /** The last `Judged` made of these facts, reused while the namespace and source are the same. */
  judged?: Judged;
}

export function objectFacts(object: KubeObject): ObjectFacts {
  const g = gvkOf(object);
  return { object, group: g.group, kind: g.kind, isNamespace: g.kind === "Namespace" && g.group === "", namespace: namespaceOf(object) };
}

interface Judged {
  o: ObjectFacts;
  /** The object's Namespace, when known (from the inventory). */
  namespace: KubeObject | undefined;
  source: Source;
}

/**
 * The `kinds` criterion alone (checked first: an object of another kind never matches, and never
 * errors), so a caller can set aside constraints that cannot match a kind before reviewing.
 */
export function matchesKind(m: Match | undefined | null, gvk: { group: string; kind: string }): boolean {
  if (!m || !m.kinds || m.kinds.length === 0) return true;
  for (const k of m.kinds) {
    const kinds = k?.kinds ?? [];
    const groups = k?.apiGroups ?? [];
    const kindOk = kinds.length === 0 || kinds.includes(WILD) || kinds.includes(gvk.kind);
    const groupOk = groups.length === 0 || groups.includes(WILD) || groups.includes(gvk.group);
    if (kindOk && groupOk) return true;
  }
  return false;
}

/**
 * Whether the `kinds` criterion can select an object of one of `kinds` (kind names, of any group):
 * a reader that knows only which kinds a run reviews sets aside the constraints that cannot apply.
 */
export function mayMatchKinds(m: Match | undefined | null, kinds: ReadonlySet<string>): boolean {
  if (!m || !m.kinds || m.kinds.length === 0) return true;
  return m.kinds.some((k) => {
    const names = k?.kinds ?? [];
    return names.length === 0 || names.includes(WILD) || names.some((n) => kinds.has(n));
  });
}

function scopeMatch(m: Match, t: Judged): boolean {
  if (m.scope !== "Cluster" && m.scope !== "Namespaced") return true; // "*", absent, and typos all mean every scope.
  const hasNamespace = t.o.namespace !== "" || t.namespace !== undefined;
  if (m.scope === "Cluster") return t.o.isNamespace || !hasNamespace;
  return !t.o.isNamespace && hasNamespace;
}

/** The namespace name a namespace list is judged by, or undefined for cluster-scoped objects. */
function effectiveNamespace(t: Judged): string | undefined {
  if (t.o.isNamespace) return nameOf(t.o.object);
  if (t.namespace) return nameOf(t.namespace);
  return t.o.namespace === "" ? undefined : t.o.namespace;
}

function namespacesMatch(m: Match, t: Judged): boolean {
  if (!m.namespaces || m.namespaces.length === 0) return true;
  const ns = effectiveNamespace(t);
  if (ns === undefined) return true;
  return anyMatches(m.namespaces, ns);
}

function excludedNamespacesMatch(m: Match, t: Judged): boolean {
  if (!m.excludedNamespaces || m.excludedNamespaces.length === 0) return true;
  const ns = effectiveNamespace(t);
  if (ns === undefined) return true;
  return !anyMatches(m.excludedNamespaces, ns);
}

/** Whether a glob of the list matches (a loop: `some` with a closure allocated per object and constraint). */
function anyMatches(patterns: readonly string[], ns: string): boolean {
  for (const p of patterns) if (wildcardMatches(p, ns)) return true;
  return false;
}

function labelSelectorMatch(m: Match, t: Judged): boolean {
  if (m.labelSelector === undefined || m.labelSelector === null) return true;
  return selectorMatches(m.labelSelector, labelsOf(t.o.object));
}

function namespaceSelectorMatch(m: Match, t: Judged): boolean {
  if (m.namespaceSelector === undefined || m.namespaceSelector === null) return true;
  if (!t.o.isNamespace && t.namespace === undefined && t.o.namespace === "") return true;
  if (t.o.isNamespace) return selectorMatches(m.namespaceSelector, labelsOf(t.o.object));
  if (t.namespace === undefined) {
    // Gatekeeper's words: `gator test` users grep for them. Callers name the namespace and the remedy.
    throw new Error("namespace selector for namespace-scoped object but missing Namespace");
  }
  return selectorMatches(m.namespaceSelector, labelsOf(t.namespace));
}

function nameMatch(m: Match, t: Judged): boolean {
  if (!m.name) return true;
  return wildcardMatches(m.name, nameOf(t.o.object)) || wildcardMatchesGenerateName(m.name, generateNameOf(t.o.object));
}

function sourceMatch(m: Match, t: Judged): boolean {
  const want = m.source ?? "";
  if (want === "" || want === "All") return true;
  if (want !== "Original" && want !== "Generated") throw new Error(`invalid source field "${want}"`);
  return want === t.source;
}

/**
 * Every criterion in Gatekeeper's order (an earlier mismatch means a later one never errors);
 * `kindsKnown`: the caller already found that `kinds` selects the object.
 */
function allMatch(m: Match, t: Judged, kindsKnown = false): boolean {
  return (
    (kindsKnown || matchesKind(m, t.o)) &&
    scopeMatch(m, t) &&
    namespacesMatch(m, t) &&
    excludedNamespacesMatch(m, t) &&
    labelSelectorMatch(m, t) &&
    namespaceSelectorMatch(m, t) &&
    nameMatch(m, t) &&
    sourceMatch(m, t)
  );
}

/** Whether one object satisfies `match`; an absent match accepts everything. */
export function matchesObject(m: Match | undefined | null, t: MatchTarget): MatchVerdict {
  if (!m) return { matched: true };
  try {
    return { matched: allMatch(m, { o: objectFacts(t.object), namespace: t.namespace, source: t.source ?? "Original" }) };
  } catch (e) {
    return { error: `failed to run Match criteria: ${(e as Error).message}` };
  }
}

/**
 * What a caller already knows about a review's objects, kept across the constraints it judges:
 * the `objectFacts` of its object and old object, and `objectKindsKnown` when the caller already
 * found that the constraint's `kinds` select the object.
 */
export interface ReviewFacts {
  object?: ObjectFacts;
  oldObject?: ObjectFacts;
  objectKindsKnown?: boolean;
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
  facts?: ReviewFacts,
): MatchVerdict {
  if (!m) return MATCHED;
  const object = objects.object && typeof objects.object === "object" ? objects.object : undefined;
  const oldObject = objects.oldObject && typeof objects.oldObject === "object" ? objects.oldObject : undefined;
  if (!object && !oldObject) return { error: "neither object nor old object are defined" };
  if (object) {
    const verdict = matchOne(m, object, facts?.object, namespace, source, facts?.objectKindsKnown === true);
    if (verdict !== NOT_MATCHED) return verdict;
  }
  return oldObject ? matchOne(m, oldObject, facts?.oldObject, namespace, source, false) : NOT_MATCHED;
}

function matchOne(m: Match, o: KubeObject, known: ObjectFacts | undefined, namespace: KubeObject | undefined, source: Source, kindsKnown: boolean): MatchVerdict {
  try {
    // One object is judged by every constraint of a set with the same namespace and source.
    const facts = known?.object === o ? known : objectFacts(o);
    let t = facts.judged;
    if (t === undefined || t.namespace !== namespace || t.source !== source) t = facts.judged = { o: facts, namespace, source };
    return allMatch(m, t, kindsKnown) ? MATCHED : NOT_MATCHED;
  } catch (e) {
    return { error: `error matching the requested object: ${nameOf(o)} :failed to run Match criteria: ${(e as Error).message}` };
  }
}

const MATCHED: MatchVerdict = Object.freeze({ matched: true });
const NOT_MATCHED: MatchVerdict = Object.freeze({ matched: false });
