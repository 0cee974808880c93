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

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a label key (Kubernetes' qualified name: `[prefix/]name`), or undefined. */
function labelKeyProblem(key: string): string | undefined {
  const slash = key.split("/");
  if (slash.length > 2) return "has more than one `/`";
  const [prefix, name] = slash.length === 2 ? slash : [undefined, slash[0]!];
  if (prefix !== undefined && (prefix === "" || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return "has a prefix that is not a DNS subdomain";
  if (name === undefined || name === "" || name.length > 63 || !NAME.test(name))
    return "must be 63 characters or less, alphanumeric at both ends, with `-`, `_` or `.` between";
  return undefined;
}

/** Why `value` is not a label value, or undefined (empty is a value). */
function labelValueProblem(value: string): string | undefined {
  return value === "" || (value.length <= 63 && NAME.test(value)) ? undefined : "must be empty or 63 characters or less, alphanumeric at both ends, with `-`, `_` or `.` between";
}

/**
 * Checks the selector's shape and, as Kubernetes' selector conversion does when Gatekeeper accepts
 * a constraint, its keys and values; returns the problems (empty when valid).
 */
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
        else {
          const kp = labelKeyProblem(k);
          if (kp) errs.push(`${where}.matchLabels key ${JSON.stringify(k)} is not a label key: it ${kp}`);
          const vp = labelValueProblem(v);
          if (vp) errs.push(`${where}.matchLabels[${k}] value ${JSON.stringify(v)} is not a label value: it ${vp}`);
        }
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
        else {
          const kp = labelKeyProblem(req.key);
          if (kp) errs.push(`${at}.key ${JSON.stringify(req.key)} is not a label key: it ${kp}`);
        }
        const values = req.values === undefined || req.values === null ? [] : req.values;
        if (!Array.isArray(values) || values.some((v) => typeof v !== "string")) errs.push(`${at}.values must be a list of strings`);
        const n = Array.isArray(values) ? values.length : 0;
        if (Array.isArray(values) && (req.operator === "In" || req.operator === "NotIn"))
          for (const v of values) {
            const vp = typeof v === "string" ? labelValueProblem(v) : undefined;
            if (vp) errs.push(`${at}.values ${JSON.stringify(v)} is not a label value: it ${vp}`);
          }
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

/**
 * Selectors already found well-formed, with their `matchLabels` entries (a constraint's selector is
 * judged against every object, and does not change while it is).
 */
const valid = new WeakMap<object, [string, string][]>();

/** Evaluates the selector against labels. Throws an Error when the selector is malformed. */
export function selectorMatches(sel: LabelSelector, labels: Labels | undefined | null): boolean {
  let matchLabels = typeof sel === "object" && sel !== null ? valid.get(sel) : undefined;
  if (!matchLabels) {
    const problems = validateLabelSelector(sel, "selector");
    if (problems.length > 0) throw new Error(problems.join("; "));
    matchLabels = Object.entries(sel.matchLabels ?? {});
    if (typeof sel === "object" && sel !== null) valid.set(sel, matchLabels);
  }
  // Judged for every object a constraint reviews: indexed loops, no closures, nothing allocated.
  const l: Labels = labels ?? NO_LABELS;
  for (let i = 0; i < matchLabels.length; i++) {
    const [k, v] = matchLabels[i]!;
    if (!Object.hasOwn(l, k) || l[k] !== v) return false;
  }
  const exprs = sel.matchExpressions;
  if (!exprs) return true;
  for (let i = 0; i < exprs.length; i++) {
    const req = exprs[i]!;
    const present = Object.hasOwn(l, req.key);
    switch (req.operator) {
      case "In":
        if (!present || !(req.values ?? NO_VALUES).includes(l[req.key]!)) return false;
        break;
      case "NotIn":
        if (present && (req.values ?? NO_VALUES).includes(l[req.key]!)) return false;
        break;
      case "Exists":
        if (!present) return false;
        break;
      case "DoesNotExist":
        if (present) return false;
        break;
    }
  }
  return true;
}

const NO_LABELS: Labels = Object.freeze({});
const NO_VALUES: readonly string[] = Object.freeze([]);
