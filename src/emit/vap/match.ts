/**
 * A constraint's Gatekeeper `spec.match` as a ValidatingAdmissionPolicy's `matchConstraints` plus
 * the `matchConditions` for what selectors cannot say. The API server then selects the requests
 * Gatekeeper's match would:
 * - `kinds` → `resourceRules` (resource = the kind's plural, every version; CREATE and UPDATE, the
 *   operations Gatekeeper's own generated policies and its webhook review), `scope` → each rule's scope;
 * - `labelSelector` → `objectSelector`; `namespaceSelector` → `namespaceSelector`, with the exact names
 *   of `namespaces` / `excludedNamespaces` added as `kubernetes.io/metadata.name` In / NotIn (the API
 *   server sets that label on every Namespace);
 * - namespace globs (`team-*`, `*-prod`) and `name` → matchConditions on the request. As in
 *   Gatekeeper, cluster-scoped objects pass the namespace criteria and a Namespace is judged by its
 *   own name.
 */
import type { LabelSelectorIR, MatchIR } from "../../ir/ir.js";
import { resourceOf } from "../../testing/gatekeeper/review.js";
import { celString } from "./cel-literal.js";

export const OPERATIONS = ["CREATE", "UPDATE"];
const NAME_LABEL = "kubernetes.io/metadata.name";

export interface VapMatch {
  matchConstraints: Record<string, unknown>;
  matchConditions: { name: string; expression: string }[];
}

/** The namespace Gatekeeper judges a request by: a Namespace's own name, else the request's namespace ("" when cluster-scoped). */
const NAMESPACE_OF_REQUEST = `(request.kind.group == "" && request.kind.kind == "Namespace" ? request.name : request.namespace)`;

const isGlob = (p: string) => p.startsWith("*") || p.endsWith("*");

/** Gatekeeper's wildcard (`*` only at the start or the end) as a CEL test of `subject`. */
export function globTest(subject: string, pattern: string): string {
  if (pattern === "*") return "true";
  const starts = pattern.startsWith("*");
  const ends = pattern.endsWith("*");
  const core = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
  if (starts && ends) return `${subject}.contains(${celString(core)})`;
  if (starts) return `${subject}.endsWith(${celString(core)})`;
  if (ends) return `${subject}.startsWith(${celString(core)})`;
  return `${subject} == ${celString(pattern)}`;
}

function rules(match: MatchIR): Record<string, unknown>[] {
  const scope = match.scope === "Cluster" || match.scope === "Namespaced" ? match.scope : "*";
  const rule = (apiGroups: string[], resources: string[]) => ({ apiGroups, apiVersions: ["*"], operations: [...OPERATIONS], resources, scope });
  const kinds = match.kinds ?? [];
  if (kinds.length === 0) return [rule(["*"], ["*"])];
  return kinds.map((k) => {
    const groups = k.apiGroups.length === 0 || k.apiGroups.includes("*") ? ["*"] : [...k.apiGroups];
    const resources = k.kinds.length === 0 || k.kinds.includes("*") ? ["*"] : [...new Set(k.kinds.map(resourceOf))];
    return rule(groups, resources);
  });
}

function selector(s: LabelSelectorIR | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s?.matchLabels && Object.keys(s.matchLabels).length > 0) out.matchLabels = { ...s.matchLabels };
  if (s?.matchExpressions && s.matchExpressions.length > 0) out.matchExpressions = s.matchExpressions.map((e) => ({ ...e, ...(e.values ? { values: [...e.values] } : {}) }));
  return out;
}

export function vapMatch(match: MatchIR): VapMatch {
  const matchConstraints: Record<string, unknown> = { resourceRules: rules(match) };
  const conditions: VapMatch["matchConditions"] = [];

  const nsSelector = selector(match.namespaceSelector);
  const expressions = [...((nsSelector.matchExpressions as unknown[] | undefined) ?? [])];
  const included = match.namespaces ?? [];
  if (included.length > 0) {
    if (included.some(isGlob)) {
      const tests = included.map((p) => globTest("ns", p));
      conditions.push({
        name: "policyc-match-namespaces",
        expression: `[${NAMESPACE_OF_REQUEST}].all(ns, ns == "" || ${tests.join(" || ")})`,
      });
    } else expressions.push({ key: NAME_LABEL, operator: "In", values: [...included].sort() });
  }
  const excluded = match.excludedNamespaces ?? [];
  const exact = excluded.filter((p) => !isGlob(p));
  const globs = excluded.filter(isGlob);
  if (exact.length > 0) expressions.push({ key: NAME_LABEL, operator: "NotIn", values: [...exact].sort() });
  if (globs.length > 0) {
    conditions.push({
      name: "policyc-match-excluded-namespaces",
      expression: `[${NAMESPACE_OF_REQUEST}].all(ns, ns == "" || !(${globs.map((p) => globTest("ns", p)).join(" || ")}))`,
    });
  }
  if (expressions.length > 0) nsSelector.matchExpressions = expressions;
  if (Object.keys(nsSelector).length > 0) matchConstraints.namespaceSelector = nsSelector;

  const objectSelector = selector(match.labelSelector);
  if (Object.keys(objectSelector).length > 0) matchConstraints.objectSelector = objectSelector;

  if (match.name) {
    // Gatekeeper also matches a prefix glob against `metadata.generateName` (objects named on create).
    const byName = globTest("request.name", match.name);
    const byGenerateName = match.name.endsWith("*")
      ? ` || (object != null && has(object.metadata.generateName) && ${globTest("object.metadata.generateName", match.name)})`
      : "";
    conditions.push({ name: "policyc-match-name", expression: `${byName}${byGenerateName}` });
  }
  return { matchConstraints, matchConditions: conditions };
}
