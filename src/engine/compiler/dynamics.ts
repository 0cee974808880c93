/**
 * OPA evaluates the operands of a negated expression *before* the negation, because its compiler
 * hoists them into their own expressions: nested calls (`not f(g(x))` → `$d = g(x); not f($d)`),
 * refs and comprehensions passed to calls (`not f(input.x)` → `$d = input.x; not f($d)`), and
 * dynamic parts of refs (`not a[b.c]`). If such an operand is undefined the whole body fails
 * instead of the `not` succeeding (OPA issue 1877; Gatekeeper's library relies on it). In modules
 * `a == b` is unification first (OPA's RewriteEquals), so `not input.x == 1` keeps its ref inside.
 * For expressions that are not negated the hoisting changes nothing, so only negated ones are
 * rewritten. Runs after safety reordering; hoisted expressions carry the original `with`s.
 */
import type { Body, Expr, Term } from "../rego/ast.js";
import { mkRef, mkVar, refName } from "./ast-util.js";
import type { NameGen } from "./rewrite.js";

export interface DynamicsOptions {
  /** Rewrite `a == b` to `a = b` (modules yes, ad-hoc queries no, as in OPA). */
  rewriteEquals: boolean;
}

export function hoistNegatedOperands(body: Body, gen: NameGen, opts: DynamicsOptions): Body {
  return new Hoister(gen, opts).body(body);
}

class Hoister {
  private extras: Expr[] = [];
  private current!: Expr;

  constructor(
    private gen: NameGen,
    private opts: DynamicsOptions,
  ) {}

  body(body: Body): Body {
    const out: Body = [];
    for (const e0 of body) {
      const e = this.nested(e0);
      if (!e.negated || e.expr.kind === "every" || e.expr.kind === "some") {
        out.push(e);
        continue;
      }
      this.extras = [];
      this.current = e;
      const rewritten = this.negated(e);
      out.push(...this.extras, rewritten);
    }
    return out;
  }

  /** Recurses into comprehension and `every` bodies of any expression. */
  private nested(e: Expr): Expr {
    const t = (x: Term): Term => this.nestedTerm(x);
    const x = e.expr;
    const withs = e.with.map((w) => ({ ...w, value: t(w.value) }));
    switch (x.kind) {
      case "term": return { ...e, expr: { kind: "term", term: t(x.term) }, with: withs };
      case "call": return { ...e, expr: { ...x, args: x.args.map(t) }, with: withs };
      case "every": return { ...e, expr: { ...x, domain: t(x.domain), body: this.sub(x.body) }, with: withs };
      default: return e;
    }
  }

  private sub(b: Body): Body {
    return new Hoister(this.gen, this.opts).body(b);
  }

  private nestedTerm(t: Term): Term {
    const r = (x: Term) => this.nestedTerm(x);
    switch (t.type) {
      case "ref": return { ...t, terms: t.terms.map(r) };
      case "array": return { ...t, items: t.items.map(r) };
      case "set": return { ...t, items: t.items.map(r) };
      case "object": return { ...t, items: t.items.map(([k, v]) => [r(k), r(v)] as [Term, Term]) };
      case "call": return { ...t, args: t.args.map(r) };
      case "arraycomprehension": case "setcomprehension": return { ...t, term: r(t.term), body: this.sub(t.body) };
      case "objectcomprehension": return { ...t, key: r(t.key), value: r(t.value), body: this.sub(t.body) };
      default: return t;
    }
  }

  private fresh(t: Term): Term {
    const v = mkVar(`$d${this.gen.n++}`, t.loc);
    this.extras.push({
      type: "expr",
      negated: false,
      expr: { kind: "call", operator: mkRef([mkVar("eq", t.loc)], t.loc), args: [v, t] },
      with: this.current.with,
      generated: true,
      loc: t.loc,
    });
    return v;
  }

  private negated(e: Expr): Expr {
    const x = e.expr;
    if (x.kind === "term") {
      // A bare call statement is a call expression (its own call stays under the negation).
      if (x.term.type === "call") {
        const args = x.term.args.map((a) => this.dynamicOne(this.expand(a)));
        return { ...e, expr: { kind: "term", term: { ...x.term, args } } };
      }
      return { ...e, expr: { kind: "term", term: this.dynamicInTerm(this.expand(x.term)) } };
    }
    if (x.kind !== "call") return e;
    let name = refName(x.operator);
    let operator = x.operator;
    if (this.opts.rewriteEquals && name === "equal" && x.args.length === 2) {
      name = "eq";
      operator = mkRef([mkVar("eq", x.operator.loc)], x.operator.loc);
    }
    const expanded = x.args.map((a) => this.expand(a));
    const args = name === "eq" && expanded.length === 2 ? expanded.map((a) => this.dynamicInTerm(a)) : expanded.map((a) => this.dynamicOne(a));
    return { ...e, expr: { kind: "call", operator, args } };
  }

  /** OPA's expandExprTerm: nested calls become `$d = call` expressions, innermost first. */
  private expand(t: Term): Term {
    switch (t.type) {
      case "call": return this.fresh({ ...t, args: t.args.map((a) => this.expand(a)) });
      case "ref": return { ...t, terms: t.terms.map((x, i) => (i === 0 && x.type === "var" ? x : this.expand(x))) };
      case "array": return { ...t, items: t.items.map((x) => this.expand(x)) };
      case "set": return { ...t, items: t.items.map((x) => this.expand(x)) };
      case "object": return { ...t, items: t.items.map(([k, v]) => [this.expand(k), this.expand(v)] as [Term, Term]) };
      default: return t;
    }
  }

  /** OPA's rewriteDynamicsInTerm: a ref keeps its place but its dynamic path parts are hoisted. */
  private dynamicInTerm(t: Term): Term {
    switch (t.type) {
      case "ref": return { ...t, terms: t.terms.map((x, i) => (i === 0 ? x : this.dynamicOne(x))) };
      case "arraycomprehension": case "setcomprehension": case "objectcomprehension": return t;
      default: return this.dynamicOne(t);
    }
  }

  /** OPA's rewriteDynamicsOne: refs and comprehensions are hoisted, composites recursed. */
  private dynamicOne(t: Term): Term {
    switch (t.type) {
      case "ref": return this.fresh({ ...t, terms: t.terms.map((x, i) => (i === 0 ? x : this.dynamicOne(x))) });
      case "array": return { ...t, items: t.items.map((x) => this.dynamicOne(x)) };
      case "set": return { ...t, items: t.items.map((x) => this.dynamicOne(x)) };
      case "object": return { ...t, items: t.items.map(([k, v]) => [this.dynamicOne(k), this.dynamicOne(v)] as [Term, Term]) };
      case "arraycomprehension": case "setcomprehension": case "objectcomprehension": return this.fresh(t);
      default: return t;
    }
  }
}
