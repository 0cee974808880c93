/**
 * `with` values that must be evaluated (refs, calls, comprehensions) move into their own
 * expression before the one they modify, as OPA's compiler rewrites them: `y := input.a with
 * input.a as xs[_]` becomes `$w = xs[_]; y := input.a with input.a as $w`, so a value that
 * iterates gives one solution per element, and it is evaluated against the outer `input` and
 * `data`. A value naming a function (`with count as my_count`, `with data.f as data.g`) is a
 * replacement, not a value, and stays. Runs on every body, closures included, once the rule tree
 * is known (whether a name is a function may depend on another module).
 */
import type { Body, Expr, RefTerm, Rule, Term } from "../rego/ast.js";
import { mkEqExpr, mkVar, refName, requiresEval } from "./ast-util.js";
import { lookupBuiltin, type BuiltinInfo } from "./builtins-table.js";
import { nodeAt, type RuleNode } from "./ruletree.js";
import type { NameGen } from "./rewrite.js";

export interface WithValueContext {
  root: RuleNode;
  gen: NameGen;
  regoVersion: "v0" | "v1";
  extra?: ReadonlyMap<string, BuiltinInfo>;
}

export function liftWithValuesInRule(rule: Rule, ctx: WithValueContext): Rule {
  const out: Rule = { ...rule, body: liftWithValues(rule.body, ctx) };
  if (rule.else) out.else = liftWithValuesInRule(rule.else, ctx);
  return out;
}

export function liftWithValues(body: Body, ctx: WithValueContext): Body {
  const out: Body = [];
  for (const e0 of body) {
    const e = nested(e0, ctx);
    if (e.with.length === 0) {
      out.push(e);
      continue;
    }
    const withs = e.with.map((w) => {
      if (!requiresEval(w.value) || namesFunction(w.value, ctx)) return w;
      const v = mkVar(`$w${ctx.gen.n++}`, w.value.loc);
      out.push(mkEqExpr(v, w.value));
      return { ...w, value: v };
    });
    out.push({ ...e, with: withs });
  }
  return out;
}

/** A var or ref naming a built-in or a function rule: a `with` replacement by another function. */
function namesFunction(t: Term, ctx: WithValueContext): boolean {
  const name = t.type === "var" ? t.name : t.type === "ref" ? refName(t as RefTerm) : undefined;
  if (name === undefined) return false;
  if (name.startsWith("data.")) return nodeAt(ctx.root, name.split("."))?.static?.kind === "function";
  return lookupBuiltin(name, ctx.regoVersion, ctx.extra) !== undefined;
}

function nested(e: Expr, ctx: WithValueContext): Expr {
  const t = (x: Term): Term => nestedTerm(x, ctx);
  const x = e.expr;
  const withs = e.with.map((w) => ({ ...w, value: t(w.value) }));
  switch (x.kind) {
    case "term": return { ...e, expr: { kind: "term", term: t(x.term) }, with: withs };
    case "call": return { ...e, expr: { ...x, args: x.args.map(t) }, with: withs };
    case "every": return { ...e, expr: { ...x, domain: t(x.domain), body: liftWithValues(x.body, ctx) }, with: withs };
    default: return e;
  }
}

function nestedTerm(term: Term, ctx: WithValueContext): Term {
  const t = (x: Term): Term => nestedTerm(x, ctx);
  switch (term.type) {
    case "ref": return { ...term, terms: term.terms.map(t) };
    case "array": return { ...term, items: term.items.map(t) };
    case "set": return { ...term, items: term.items.map(t) };
    case "object": return { ...term, items: term.items.map(([k, v]) => [t(k), t(v)] as [Term, Term]) };
    case "call": return { ...term, args: term.args.map(t) };
    case "arraycomprehension": case "setcomprehension":
      return { ...term, term: t(term.term), body: liftWithValues(term.body, ctx) };
    case "objectcomprehension":
      return { ...term, key: t(term.key), value: t(term.value), body: liftWithValues(term.body, ctx) };
    default: return term;
  }
}
