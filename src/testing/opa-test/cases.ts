/**
 * The cases a parameterised test reached. `opa test` injects a call that records the case's name
 * into a test rule written as a partial object (`test_x[tc.note] if { some tc in cases; ... }`)
 * right after the expressions that bind the name, and reports every recorded case that is not in
 * the rule's value as a failed sub-result. policyc keeps no trace, so for each such test it adds a
 * "reach" rule (`<hidden> contains [tc.note] if { some tc in cases }`) whose body is the test body up
 * to that same point: the names it yields are the cases OPA would have recorded. The reach rules are
 * compiled into a second module, so the tests' own module (and every `data.pkg` it enumerates) is
 * exactly the user's.
 */
import type { Body, Expr, Module, Rule, Term } from "../../engine/rego/ast.js";
import { forEachVar, forEachVarExpr, nameRef } from "../../engine/compiler/ast-util.js";
import type { SubResult } from "./run.js";

/** The hidden rule of the test at `index` among the tests. */
export const reachRuleName = (index: number): string => `__policyc_reach_${index}`;

/**
 * Adds a reach rule beside each parameterised test rule (`rules[i]` is the i-th test's rule in
 * `modules`, or undefined for a test that gets none). Returns the indices that got one.
 */
export function addReachRules(modules: Module[], rules: (Rule | undefined)[]): Set<number> {
  const added = new Set<number>();
  const globals = new Map<string, Set<string>>();
  for (const m of modules) {
    const pkg = packageKey(m);
    let names = globals.get(pkg);
    if (!names) globals.set(pkg, (names = new Set(["input", "data"])));
    for (const r of m.rules) {
      const head = r.head.ref.terms[0];
      if (head?.type === "var") names.add(head.name);
    }
  }
  rules.forEach((rule, i) => {
    if (!rule) return;
    const mod = modules.find((m) => m.rules.includes(rule));
    if (!mod) return;
    const names = new Set(globals.get(packageKey(mod)));
    for (const imp of mod.imports) {
      const last = imp.path.terms[imp.path.terms.length - 1];
      names.add(imp.alias ?? (last?.type === "string" ? last.value : last?.type === "var" ? last.name : ""));
    }
    const keys = caseKeys(rule);
    if (!keys) return;
    const prefix = bodyUpToCase(rule.body, keys, names);
    if (!prefix) return;
    const loc = rule.loc;
    const reach: Rule = {
      type: "rule",
      default: false,
      head: { ref: nameRef(reachRuleName(i), loc), key: { type: "array", items: keys, loc }, assign: false, kind: "multi", loc },
      body: prefix.length > 0 ? prefix : [{ type: "expr", negated: false, expr: { kind: "term", term: { type: "boolean", value: true, loc } }, with: [], loc }],
      loc,
    };
    mod.rules.push(reach);
    added.add(i);
  });
  return added;
}

/** The terms after the test's name in its head (`tc.note` of `test_x[tc.note]`). */
function caseKeys(rule: Rule): Term[] | undefined {
  const terms = rule.head.ref.terms;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    const n = t.type === "var" ? t.name : t.type === "string" ? t.value : undefined;
    if (n !== undefined && (n.startsWith("test_") || n.startsWith("todo_test_"))) {
      const keys = terms.slice(i + 1);
      return keys.length > 0 ? keys : undefined;
    }
  }
  return undefined;
}

/**
 * The body up to where OPA injects its test-case call: after the first expression that mentions
 * each of the name's local variables (the last of those), a bare `some x` declaration not counting
 * (OPA drops it). print() calls are left out, so the reach rule prints nothing. Undefined when a
 * variable of the name never appears in the body.
 */
function bodyUpToCase(body: Body, keys: Term[], globals: Set<string>): Body | undefined {
  const locals = new Set<string>();
  for (const k of keys) forEachVar(k, (v) => { if (!globals.has(v.name) && v.name !== "_") locals.add(v.name); }, false);
  let cut = -1;
  for (const name of locals) {
    const first = body.findIndex((e) => !isBareSome(e) && mentions(e, name));
    if (first < 0) return undefined;
    cut = Math.max(cut, first);
  }
  return body.slice(0, cut + 1).filter((e) => !isPrint(e));
}

function mentions(e: Expr, name: string): boolean {
  let found = false;
  forEachVarExpr(e, (v) => { if (v.name === name) found = true; }, false);
  return found;
}

function isBareSome(e: Expr): boolean {
  return e.expr.kind === "some" && e.expr.symbols.every((s) => s.type === "var");
}

function isPrint(e: Expr): boolean {
  const x = e.expr;
  const op = x.kind === "call" ? x.operator : x.kind === "term" && x.term.type === "call" ? x.term.operator : undefined;
  return op !== undefined && op.terms.length === 1 && op.terms[0]!.type === "var" && op.terms[0]!.name === "print";
}

function packageKey(m: Module): string {
  return JSON.stringify(m.package.path.terms.map((t) => (t.type === "var" ? t.name : t.type === "string" ? t.value : "")));
}

/**
 * Records the reached cases as OPA's SubResultMap.Update does: a case not yet in the results is
 * added as failed (with any missing levels), a failed leaf fails its parents; a case already there
 * keeps its outcome. Returns whether any reached case failed.
 */
export function recordReached(results: Record<string, SubResult>, reached: unknown[]): boolean {
  let fail = false;
  for (const path of reached) {
    if (!Array.isArray(path) || path.length === 0) continue;
    if (update(results, path.map(caseName), 0)) fail = true;
  }
  return fail;
}

function update(results: Record<string, SubResult>, path: string[], i: number): boolean {
  const k = path[i]!;
  let entry = Object.hasOwn(results, k) ? results[k] : undefined;
  if (!entry) {
    entry = { name: k, fail: true, sub_results: {} };
    Object.defineProperty(results, k, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  if (i === path.length - 1) return entry.fail;
  entry.sub_results ??= {};
  const fail = update(entry.sub_results, path, i + 1);
  if (fail) entry.fail = true;
  return fail;
}

/** OPA's termToString: a string as it is, anything else as JSON. */
export function caseName(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}
