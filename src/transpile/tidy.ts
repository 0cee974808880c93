/**
 * The last pass over each emitted rule, removing what only a machine writes (src/engine/lint.ts
 * holds the tests to that): a reference checked for existence (in a rule or comprehension body)
 * right before an expression that uses it anyway (`c.image` then `startswith(c.image, "x")`: the second fails on its own when the field
 * is missing), and `some k, v in x` outputs nothing else reads (written `_`). Meaning is unchanged:
 * a removed check is only ever followed by a non-negated expression that needs the same value.
 */
import type { Body, Expr, Rule, Term } from "../engine/rego/index.js";
import { requiresRef } from "../engine/lint.js";

export function tidyRule(rule: Rule): Rule {
  const uses = new Map<string, number>();
  countRule(rule, uses);
  const tidyBody = (body: Body): Body => {
    const out: Body = [];
    for (const [i, e] of body.entries()) {
      const next = body[i + 1];
      if (next && isBareRef(e) && requiresRef(next, (e.expr as { term: Term }).term)) continue;
      out.push(inComprehensions(wildcardOutputs(e, uses), tidyBody));
    }
    return out;
  };
  const tidy = (r: Rule): Rule => ({ ...r, body: tidyBody(r.body), ...(r.else ? { else: tidy(r.else) } : {}) });
  return tidy(rule);
}

/** `e` with `tidy` applied to the bodies of the comprehensions in it. */
function inComprehensions(e: Expr, tidy: (b: Body) => Body): Expr {
  const term = (t: Term): Term => {
    switch (t.type) {
      case "arraycomprehension": case "setcomprehension": return { ...t, term: term(t.term), body: tidy(t.body) };
      case "objectcomprehension": return { ...t, key: term(t.key), value: term(t.value), body: tidy(t.body) };
      case "ref": return { ...t, terms: t.terms.map(term) };
      case "array": case "set": return { ...t, items: t.items.map(term) };
      case "object": return { ...t, items: t.items.map(([k, v]) => [term(k), term(v)] as [Term, Term]) };
      case "call": return { ...t, args: t.args.map(term) };
      default: return t;
    }
  };
  const x = e.expr;
  if (x.kind === "term") return { ...e, expr: { ...x, term: term(x.term) } };
  if (x.kind === "call") return { ...e, expr: { ...x, args: x.args.map(term) } };
  return e;
}

function isBareRef(e: Expr): boolean {
  return !e.negated && e.with.length === 0 && e.expr.kind === "term" && e.expr.term.type === "ref";
}

/** `some k, v in x` with `v` (or `k`) read nowhere else in the rule: `some k, _ in x`. */
function wildcardOutputs(e: Expr, uses: Map<string, number>): Expr {
  const x = e.expr;
  if (x.kind !== "some") return e;
  const symbols = x.symbols.map((s) => {
    if (s.type !== "call" || s.args.length !== 3) return s;
    const args = s.args.map((a, i) => (i < 2 && a.type === "var" && a.name !== "_" && (uses.get(a.name) ?? 0) <= 1 ? { ...a, name: "_" } : a));
    return { ...s, args };
  });
  return { ...e, expr: { ...x, symbols } };
}

function countRule(r: Rule, uses: Map<string, number>): void {
  const term = (t: Term | Expr): void => {
    switch (t.type) {
      case "var": uses.set(t.name, (uses.get(t.name) ?? 0) + 1); return;
      case "ref": t.terms.forEach(term); return;
      case "array": case "set": t.items.forEach(term); return;
      case "object": t.items.forEach(([k, v]) => { term(k); term(v); }); return;
      case "call": t.args.forEach(term); return;
      case "arraycomprehension": case "setcomprehension": term(t.term); t.body.forEach(term); return;
      case "objectcomprehension": term(t.key); term(t.value); t.body.forEach(term); return;
      case "templatestring": t.parts.forEach(term); return;
      case "expr": {
        const x = t.expr;
        if (x.kind === "term") term(x.term);
        else if (x.kind === "call") x.args.forEach(term);
        else if (x.kind === "some") x.symbols.forEach(term);
        else { if (x.key) term(x.key); term(x.value); term(x.domain); x.body.forEach(term); }
        t.with.forEach((w) => term(w.value));
        return;
      }
      default: return;
    }
  };
  for (let x: Rule | undefined = r; x; x = x.else) {
    x.head.ref.terms.slice(1).forEach(term);
    x.head.args?.forEach(term);
    if (x.head.key) term(x.head.key);
    if (x.head.value) term(x.head.value);
    x.body.forEach(term);
  }
}
