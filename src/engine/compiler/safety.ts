/**
 * Safety: every var must be bound before it is used. Like OPA, bodies are reordered so that an
 * expression runs once the vars it reads are bound (by unification, iteration over a ref, or a
 * call's output argument); expressions keep their written order when they are already safe.
 * Comprehension and `every` bodies are reordered with the vars bound around them. Vars that can
 * never be bound are reported as `var x is unsafe` at their first occurrence.
 */
import type { Body, Expr, Term, VarTerm } from "../rego/ast.js";
import type { Diagnostic } from "../../diagnostics/index.js";
import { diag } from "../../diagnostics/index.js";
import { CompilerMessages as M, spanOf } from "./diagnostics.js";
import { forEachVar, forEachVarExpr, refName, termString } from "./ast-util.js";
import { BUILTINS } from "./builtins-table.js";

const GLOBALS = new Set(["input", "data"]);

export interface SafetyContext {
  diags: Diagnostic[];
  orig: Map<string, string>;
  /** Arity of a function called by (resolved) name, for output arguments; undefined if unknown. */
  arity(name: string): number | undefined;
}

/** Vars a term reads outside closures, plus closure vars that belong to the enclosing scope. */
function termVars(t: Term, outer: Set<string>, into: Map<string, VarTerm>): void {
  forEachVar(t, (v) => { if (!into.has(v.name)) into.set(v.name, v); }, false);
  forEachClosure(t, (c) => {
    forEachVar(c, (v) => { if (outer.has(v.name) && !into.has(v.name)) into.set(v.name, v); }, true);
  });
}

function forEachClosure(t: Term, fn: (c: Term) => void): void {
  switch (t.type) {
    case "arraycomprehension": case "setcomprehension": case "objectcomprehension": fn(t); return;
    case "ref": t.terms.forEach((x) => forEachClosure(x, fn)); return;
    case "array": case "set": t.items.forEach((x) => forEachClosure(x, fn)); return;
    case "object": t.items.forEach(([k, v]) => { forEachClosure(k, fn); forEachClosure(v, fn); }); return;
    case "call": t.args.forEach((x) => forEachClosure(x, fn)); return;
    case "templatestring": t.parts.forEach((x) => { if (x.type !== "expr") forEachClosure(x, fn); }); return;
    default: return;
  }
}

function exprTerms(e: Expr): Term[] {
  const x = e.expr;
  switch (x.kind) {
    case "term": return [x.term];
    case "call": return x.args;
    case "some": return x.symbols;
    case "every": return [x.domain];
  }
}

/** The vars an expression needs bound (after its own outputs), keyed by name, first occurrence kept. */
let arityOf: (name: string) => number | undefined = () => undefined;

function neededVars(e: Expr, outer: Set<string>): Map<string, VarTerm> {
  const m = new Map<string, VarTerm>();
  for (const t of exprTerms(e)) termVars(t, outer, m);
  if (e.expr.kind === "every") {
    const ev = e.expr;
    const own = new Set<string>([ev.value.type === "var" ? ev.value.name : "", ev.key?.type === "var" ? ev.key.name : ""]);
    for (const b of ev.body) forEachVarExpr(b, (v) => { if (outer.has(v.name) && !own.has(v.name) && !m.has(v.name)) m.set(v.name, v); }, true);
  }
  for (const w of e.with) {
    // `with f as count`: a function name, not a var.
    const fname = w.value.type === "var" ? w.value.name : w.value.type === "ref" ? refName(w.value) : undefined;
    if (fname !== undefined && arityOf(fname) !== undefined) continue;
    termVars(w.value, outer, m);
  }
  for (const g of GLOBALS) m.delete(g);
  return m;
}

/** What the safety analysis asks of a set of bound vars. */
type VarSet = { has(name: string): boolean };

function evaluable(t: Term, s: VarSet, outer: Set<string>): boolean {
  const m = new Map<string, VarTerm>();
  termVars(t, outer, m);
  for (const k of m.keys()) if (!s.has(k) && !GLOBALS.has(k)) return false;
  return true;
}

/** Vars in pattern positions (vars, array items, object values), which unification can bind. */
function patternVars(t: Term, out: Set<string>): void {
  if (t.type === "var") out.add(t.name);
  else if (t.type === "array") t.items.forEach((x) => patternVars(x, out));
  else if (t.type === "object") t.items.forEach(([, v]) => patternVars(v, out));
}

function refOutputs(t: Term, s: VarSet, out: Set<string>): void {
  switch (t.type) {
    case "ref": {
      const head = t.terms[0]!;
      const headSafe = head.type === "var" ? s.has(head.name) || GLOBALS.has(head.name) : evaluableNoClosure(head, s);
      if (head.type !== "var") refOutputs(head, s, out);
      for (const p of t.terms.slice(1)) {
        if (headSafe) patternVars(p, out);
        refOutputs(p, s, out);
      }
      return;
    }
    case "array": case "set": t.items.forEach((x) => refOutputs(x, s, out)); return;
    case "object": t.items.forEach(([k, v]) => { refOutputs(k, s, out); refOutputs(v, s, out); }); return;
    case "call": t.args.forEach((x) => refOutputs(x, s, out)); return;
    case "templatestring": t.parts.forEach((x) => { if (x.type !== "expr") refOutputs(x, s, out); }); return;
    default: return;
  }
}

function evaluableNoClosure(t: Term, s: VarSet): boolean {
  let ok = true;
  forEachVar(t, (v) => { if (!s.has(v.name) && !GLOBALS.has(v.name)) ok = false; }, false);
  return ok;
}

function unify(a: Term, b: Term, s: VarSet, outer: Set<string>, out: Set<string>): void {
  if (a.type === "array" && b.type === "array" && a.items.length === b.items.length) {
    a.items.forEach((x, i) => unify(x, b.items[i]!, s, outer, out));
    return;
  }
  if (a.type === "object" && b.type === "object") {
    for (const [ka, va] of a.items) {
      for (const [kb, vb] of b.items) {
        if (termString(ka) === termString(kb)) unify(va, vb, s, outer, out);
      }
    }
    return;
  }
  if (evaluable(b, s, outer)) patternVars(a, out);
  if (evaluable(a, s, outer)) patternVars(b, out);
}

function outputs(e: Expr, safe: Set<string>, outer: Set<string>, ctx: SafetyContext): Set<string> {
  const out = new Set<string>();
  const x = e.expr;
  if (x.kind === "every" || x.kind === "some") return out;
  // A live view of safe ∪ out: copying `safe` (every var bound so far) per expression made long
  // bodies quadratic. Reading `out` live only reaches the same fixpoint sooner.
  const s: VarSet = { has: (v) => out.has(v) || safe.has(v) };
  for (let changed = true; changed; ) {
    const before = out.size;
    for (const t of exprTerms(e)) refOutputs(t, s, out);
    if (x.kind === "call") {
      const name = refName(x.operator) ?? "";
      if (name === "eq" && x.args.length === 2) {
        unify(x.args[0]!, x.args[1]!, s, outer, out);
      } else {
        const arity = ctx.arity(name);
        if (arity !== undefined && x.args.length === arity + 1) {
          const ins = x.args.slice(0, arity);
          if (ins.every((a) => evaluable(a, s, outer))) patternVars(x.args[arity]!, out);
        }
      }
    }
    changed = out.size !== before;
  }
  if (e.negated) {
    // Negation binds nothing outside; only wildcards may be iterated inside it.
    for (const v of [...out]) if (!v.startsWith("$")) out.delete(v);
  }
  for (const v of safe) out.delete(v);
  return out;
}

/** Vars of a body in non-closure positions (the scope a nested closure may capture from). */
export function bodyScopeVars(body: Body, extra: Iterable<Term> = []): Set<string> {
  const s = new Set<string>();
  for (const e of body) forEachVarExpr(e, (v) => s.add(v.name), false);
  for (const t of extra) forEachVar(t, (v) => s.add(v.name), false);
  return s;
}

/**
 * Reorders `body` so every expression is safe given `safe`; returns the new body and the vars bound
 * at its end. `outer` is the set of vars that belong to enclosing scopes (for closures).
 */
export function reorderBody(body: Body, safe: Set<string>, outerIn: Set<string>, ctx: SafetyContext, extraScope: Term[] = []): { body: Body; safe: Set<string> } {
  arityOf = ctx.arity;
  const outer = new Set([...outerIn, ...bodyScopeVars(body, extraScope), ...safe]);
  const bound = new Set(safe);
  const remaining = body.map((e) => ({ e, need: neededVars(e, outer) }));
  const result: Body = [];
  const empty = new Set<string>();
  while (remaining.length > 0) {
    let picked = -1;
    let pickedOut: Set<string> | undefined;
    for (let j = 0; j < remaining.length; j++) {
      const { e, need } = remaining[j]!;
      // Fast path: everything it reads is bound, so it binds nothing new.
      let allBound = true;
      for (const v of need.keys()) if (!bound.has(v)) { allBound = false; break; }
      if (allBound && e.expr.kind !== "every") { picked = j; pickedOut = empty; break; }
      const out = outputs(e, bound, outer, ctx);
      let ok = true;
      for (const v of need.keys()) if (!bound.has(v) && !out.has(v)) { ok = false; break; }
      if (ok) { picked = j; pickedOut = out; break; }
    }
    if (picked < 0) {
      const reported = new Set<string>();
      for (const { e, need } of remaining) {
        const out = outputs(e, bound, outer, ctx);
        for (const [name, v] of need) {
          if (bound.has(name) || out.has(name) || reported.has(name) || isLiftedVar(name)) continue;
          reported.add(name);
          ctx.diags.push(diag(M.unsafeVar, [displayName(name, ctx)], spanOf(v.loc)));
        }
      }
      for (const { e } of remaining) result.push(e);
      return { body: result, safe: bound };
    }
    const { e } = remaining.splice(picked, 1)[0]!;
    result.push(rewriteClosures(e, bound, outer, ctx));
    for (const v of pickedOut!) bound.add(v);
  }
  return { body: result, safe: bound };
}

/**
 * A var the compiler binds to a lifted term (head `$h`, comprehension head `$c`, `with` value
 * `$w`): it is unsafe only when the term's own vars are, and those are the ones to report.
 */
function isLiftedVar(name: string): boolean {
  return name.startsWith("$h") || name.startsWith("$c") || name.startsWith("$w");
}

export function displayName(name: string, ctx: { orig: Map<string, string> }): string {
  return ctx.orig.get(name) ?? (name.startsWith("$") ? "_" : name);
}

function rewriteClosures(e: Expr, safe: Set<string>, outer: Set<string>, ctx: SafetyContext): Expr {
  const x = e.expr;
  const t = (term: Term) => closureTerm(term, safe, outer, ctx);
  switch (x.kind) {
    case "term": return { ...e, expr: { kind: "term", term: t(x.term) }, with: e.with.map((w) => ({ ...w, value: t(w.value) })) };
    case "call": return { ...e, expr: { ...x, args: x.args.map(t) }, with: e.with.map((w) => ({ ...w, value: t(w.value) })) };
    case "every": {
      const s = new Set(safe);
      if (x.key?.type === "var") s.add(x.key.name);
      if (x.value.type === "var") s.add(x.value.name);
      const r = reorderBody(x.body, s, outer, ctx);
      return { ...e, expr: { ...x, domain: t(x.domain), body: r.body } };
    }
    default: return e;
  }
}

function closureTerm(term: Term, safe: Set<string>, outer: Set<string>, ctx: SafetyContext): Term {
  const t = (x: Term) => closureTerm(x, safe, outer, ctx);
  switch (term.type) {
    case "ref": return { ...term, terms: term.terms.map(t) };
    case "array": return { ...term, items: term.items.map(t) };
    case "set": return { ...term, items: term.items.map(t) };
    case "object": return { ...term, items: term.items.map(([k, v]) => [t(k), t(v)] as [Term, Term]) };
    case "call": return { ...term, args: term.args.map(t) };
    case "templatestring": return term;
    case "arraycomprehension":
    case "setcomprehension": {
      const r = reorderBody(term.body, safe, outer, ctx, [term.term]);
      checkHeadSafe([term.term], r.safe, ctx);
      return { ...term, body: r.body };
    }
    case "objectcomprehension": {
      const r = reorderBody(term.body, safe, outer, ctx, [term.key, term.value]);
      checkHeadSafe([term.key, term.value], r.safe, ctx);
      return { ...term, body: r.body };
    }
    default: return term;
  }
}

/** Reports vars of head-like terms (rule heads, comprehension terms) that the body does not bind. */
export function checkHeadSafe(terms: Term[], safe: Set<string>, ctx: SafetyContext): void {
  const seen = new Set<string>();
  for (const term of terms) {
    const m = new Map<string, VarTerm>();
    termVars(term, new Set(), m);
    for (const [name, v] of m) {
      if (safe.has(name) || GLOBALS.has(name) || seen.has(name) || isLiftedVar(name)) continue;
      seen.add(name);
      ctx.diags.push(diag(M.unsafeVar, [displayName(name, ctx)], spanOf(v.loc)));
    }
  }
}

export { BUILTINS };
