/**
 * Kubernetes `metav1.LabelSelector` semantics: `matchLabels` and `matchExpressions` are ANDed; an
 * empty selector selects everything. Malformed selectors are errors (Gatekeeper turns a match error
 * into an autoreject violation), so this returns either a verdict or the reason it cannot decide.
 */

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export type Labels = Record<string, string>;

/** Checks the selector's shape; returns the problems (empty when valid). */
export function validateLabelSelector(sel: unknown, where: string): string[] {
  const errs: string[] = [];
  if (sel === null || sel === undefined) return errs;
  if (typeof sel !== "object" || Array.isArray(sel)) return [`${where} must be an object`];
  const s = sel as Record<string, unknown>;
  if (s.matchLabels !== undefined && s.matchLabels !== null) {
    if (typeof s.matchLabels !== "object" || Array.isArray(s.matchLabels)) errs.push(`${where}.matchLabels must be a map of strings`);
    else
      for (const [k, v] of Object.entries(s.matchLabels as Record<string, unknown>)) {
        if (typeof v !== "string") errs.push(`${where}.matchLabels[${k}] must be a string`);
      }
  }
  if (s.matchExpressions !== undefined && s.matchExpressions !== null) {
    if (!Array.isArray(s.matchExpressions)) errs.push(`${where}.matchExpressions must be a list`);
    else
      s.matchExpressions.forEach((r: unknown, i: number) => {
        const at = `${where}.matchExpressions[${i}]`;
        if (typeof r !== "object" || r === null) return void errs.push(`${at} must be an object`);
        const req = r as Record<string, unknown>;
        if (typeof req.key !== "string" || req.key === "") errs.push(`${at}.key must be a non-empty string`);
        const values = req.values === undefined || req.values === null ? [] : req.values;
        if (!Array.isArray(values) || values.some((v) => typeof v !== "string")) errs.push(`${at}.values must be a list of strings`);
        const n = Array.isArray(values) ? values.length : 0;
        switch (req.operator) {
          case "In":
          case "NotIn":
            if (n === 0) errs.push(`${at}.values must be non-empty for operator ${req.operator}`);
            break;
          case "Exists":
          case "DoesNotExist":
            if (n > 0) errs.push(`${at}.values must be empty for operator ${req.operator}`);
            break;
          default:
            errs.push(`${at}.operator ${JSON.stringify(req.operator)} is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)`);
        }
      });
  }
  return errs;
}

/** Selectors already found well-formed (a constraint's selector is judged against every object). */
const valid = new WeakSet<object>();

/** Evaluates the selector against labels. Throws an Error when the selector is malformed. */
export function selectorMatches(sel: LabelSelector, labels: Labels | undefined | null): boolean {
  if (typeof sel !== "object" || sel === null || !valid.has(sel)) {
    const problems = validateLabelSelector(sel, "selector");
    if (problems.length > 0) throw new Error(problems.join("; "));
    if (typeof sel === "object" && sel !== null) valid.add(sel);
  }
  const l: Labels = labels ?? {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(l, k);
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (!has(k) || l[k] !== v) return false;
  }
  for (const req of sel.matchExpressions ?? []) {
    const values = req.values ?? [];
    switch (req.operator) {
      case "In":
        if (!has(req.key) || !values.includes(l[req.key]!)) return false;
        break;
      case "NotIn":
        if (has(req.key) && values.includes(l[req.key]!)) return false;
        break;
      case "Exists":
        if (!has(req.key)) return false;
        break;
      case "DoesNotExist":
        if (has(req.key)) return false;
        break;
    }
  }
  return true;
}
