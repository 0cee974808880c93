/**
 * OPA's comprehension indexes. Topdown evaluates a comprehension whose body binds vars that were
 * already bound before it (`idx := ...; ret := {x | ...; idx == key(x)}`) once, with those vars left
 * free, groups the results by their values, and answers each later evaluation by a lookup; policies
 * rely on it to stay linear (a join of two 1,000-element collections is 1,000,000 evaluations
 * without it). This pass marks such comprehensions as OPA's compiler does (getComprehensionIndex):
 * not under `with`, the body safe on its own once `==` is unification, keys = the body's outputs
 * bound before it, and no ref that would enumerate a key it could have looked up. The planner builds
 * the grouped table once per memo scope (src/engine/plan/planner.ts). Unlike OPA, every var bound in
 * an enclosing scope counts as a candidate key, so a comprehension that reads one always either
 * groups on it or is not indexed.
 */
import type { Body, ComprehensionIndex, Expr, Term } from "../rego/ast.js";
import { forEachVar, forEachVarExpr, mkRef, mkVar, refName } from "./ast-util.js";
import { checkHeadSafe, reorderBody, type SafetyContext } from "./safety.js";

const GLOBALS = new Set(["input", "data"]);

type Comprehension = Extract<Term, { type: "arraycomprehension" | "setcomprehension" | "objectcomprehension" }>;

/** A rule body (safety-ordered) with its indexable comprehensions marked; `args` are the head's arguments. */
export function indexComprehensions(ruleBody: Body, args: Term[], ctx: SafetyContext): Body {
  const bound = new Set<string>();
  for (const a of args) forEachVar(a, (v) => bound.add(v.name), false);
  return body(ruleBody, bound, ctx);
}

/** Marks the comprehensions of `b`; `bound` holds the vars bound before it (enclosing scopes, args). */
function body(b: Body, bound: Set<string>, ctx: SafetyContext): Body {
  const cands = new Set(bound);
  return b.map((e) => {
    const indexable = !e.negated && e.with.length === 0;
    const rewritten = expr(e, cands, ctx, indexable);
    forEachVarExpr(e, (v) => cands.add(v.name), false);
    return rewritten;
  });
}

function expr(e: Expr, cands: Set<string>, ctx: SafetyContext, indexable: boolean): Expr {
  const t = (x: Term) => term(x, cands, ctx, indexable);
  const x = e.expr;
  switch (x.kind) {
    case "term": return { ...e, expr: { kind: "term", term: t(x.term) } };
    case "call": return { ...e, expr: { ...x, args: x.args.map(t) } };
    case "every": {
      const inner = new Set(cands);
      if (x.key) forEachVar(x.key, (v) => inner.add(v.name), false);
      forEachVar(x.value, (v) => inner.add(v.name), false);
      return { ...e, expr: { ...x, domain: t(x.domain), body: body(x.body, inner, ctx) } };
    }
    default: return e;
  }
}

function term(x: Term, cands: Set<string>, ctx: SafetyContext, indexable: boolean): Term {
  const t = (y: Term) => term(y, cands, ctx, indexable);
  switch (x.type) {
    case "ref": return { ...x, terms: x.terms.map(t) };
    case "array": return { ...x, items: x.items.map(t) };
    case "set": return { ...x, items: x.items.map(t) };
    case "object": return { ...x, items: x.items.map(([k, v]) => [t(k), t(v)] as [Term, Term]) };
    case "call": return { ...x, args: x.args.map(t) };
    case "arraycomprehension":
    case "setcomprehension":
    case "objectcomprehension": {
      // Comprehensions in the head or body of this one are indexed against its own scope.
      const marked: Comprehension = { ...x, body: body(x.body, cands, ctx) };
      const index = indexable ? indexFor(x, cands, ctx) : undefined;
      return index ? { ...marked, index } : marked;
    }
    default: return x;
  }
}

const headTerms = (c: Comprehension): Term[] => (c.type === "objectcomprehension" ? [c.key, c.value] : [c.term]);

/** OPA's getComprehensionIndex, with `cands` the vars bound before the comprehension. */
function indexFor(c: Comprehension, cands: Set<string>, ctx: SafetyContext): ComprehensionIndex | undefined {
  if (cands.size === 0) return undefined;
  // The body on its own, `==` as unification (OPA rewrites it so before building indexes).
  const alone = c.body.map(equalsAsUnification);
  const silent: SafetyContext = { ...ctx, diags: [] };
  const r = reorderBody(alone, new Set(), new Set(), silent, headTerms(c));
  checkHeadSafe(headTerms(c), r.safe, silent);
  if (silent.diags.length > 0) return undefined;
  const keys = [...cands].filter((v) => r.safe.has(v) && !GLOBALS.has(v)).sort();
  if (keys.length === 0 || enumeratesKey(c.body, cands)) return undefined;
  return { keys, body: r.body };
}

function equalsAsUnification(e: Expr): Expr {
  const x = e.expr;
  if (e.negated || x.kind !== "call" || x.args.length !== 2 || refName(x.operator) !== "equal") return e;
  return { ...e, expr: { ...x, operator: mkRef([mkVar("eq", x.operator.loc)], x.operator.loc) } };
}

/**
 * OPA's regression check: a ref whose key is a candidate not seen earlier in the body would, in
 * the index, enumerate what it now looks up directly (`data.foo[k]` with `k` bound outside); so
 * would `walk`'s output argument.
 */
function enumeratesKey(b: Body, cands: Set<string>): boolean {
  const seen = new Set<string>();
  let worse = false;
  const visit = (t: Term): void => {
    if (worse) return;
    switch (t.type) {
      case "var": seen.add(t.name); return;
      case "ref":
        for (const k of t.terms.slice(1)) forEachVar(k, (v) => { if (cands.has(v.name) && !seen.has(v.name)) worse = true; });
        t.terms.forEach(visit);
        return;
      case "array": case "set": t.items.forEach(visit); return;
      case "object": t.items.forEach(([k, v]) => { visit(k); visit(v); }); return;
      case "call": t.args.forEach(visit); return;
      default: return;
    }
  };
  for (const e of b) {
    const x = e.expr;
    if (x.kind === "call") {
      if (refName(x.operator) === "walk" && x.args.length === 2) forEachVar(x.args[1]!, (v) => { if (cands.has(v.name) && !seen.has(v.name)) worse = true; });
      x.args.forEach(visit);
    } else if (x.kind === "term") visit(x.term);
    else if (x.kind === "some") x.symbols.forEach(visit);
    else if (x.kind === "every") visit(x.domain);
    if (worse) return true;
  }
  return worse;
}
