/**
 * Small operations on Rego AST terms the transpiler needs: extending references, collecting the
 * variables a body uses (to pass them to helper functions), and telling whether a term can be
 * undefined at run time (a reference can; a literal or a bound variable cannot).
 */
import type { Body, Expr, Term } from "../engine/rego/index.js";
import { build } from "../engine/rego/index.js";

/** `base.key` / `base[key]`: a reference when `base` is one, else a reference headed by the term. */
export function extendRef(base: Term, key: Term): Term {
  if (base.type === "ref") return { ...base, terms: [...base.terms, key] };
  return { type: "ref", terms: [base, key], loc: base.loc };
}

/** A constant: scalars, and arrays, sets and objects of constants (no variable, reference or call). */
export function isConstant(t: Term): boolean {
  switch (t.type) {
    case "array":
    case "set":
      return t.items.every(isConstant);
    case "object":
      return t.items.every(([k, v]) => isConstant(k) && isConstant(v));
    case "var":
    case "ref":
    case "call":
    case "arraycomprehension":
    case "setcomprehension":
    case "objectcomprehension":
      return false;
    default:
      return true;
  }
}

export function varsOfBody(body: Body, out = new Set<string>()): Set<string> {
  for (const e of body) varsOfExpr(e, out);
  return out;
}

function varsOfExpr(e: Expr, out: Set<string>): void {
  const b = e.expr;
  if (b.kind === "term") varsOfTerm(b.term, out);
  else if (b.kind === "call") b.args.forEach((a) => varsOfTerm(a, out));
  else if (b.kind === "some") b.symbols.forEach((s) => varsOfTerm(s, out));
  else {
    varsOfTerm(b.domain, out);
    varsOfBody(b.body, out);
  }
}

export function varsOfTerm(t: Term, out = new Set<string>()): Set<string> {
  switch (t.type) {
    case "var":
      out.add(t.name);
      break;
    case "ref":
      t.terms.forEach((x) => varsOfTerm(x, out));
      break;
    case "array":
    case "set":
      t.items.forEach((x) => varsOfTerm(x, out));
      break;
    case "object":
      t.items.forEach(([k, x]) => (varsOfTerm(k, out), varsOfTerm(x, out)));
      break;
    case "call":
      t.args.forEach((x) => varsOfTerm(x, out));
      break;
    case "arraycomprehension":
    case "setcomprehension":
      varsOfTerm(t.term, out);
      varsOfBody(t.body, out);
      break;
    case "objectcomprehension":
      varsOfTerm(t.key, out);
      varsOfTerm(t.value, out);
      varsOfBody(t.body, out);
      break;
    default:
      break;
  }
  return out;
}

/** A term that always has a value: literals and variables bound earlier in the body. */
export function isDefined(t: Term): boolean {
  switch (t.type) {
    case "null":
    case "boolean":
    case "number":
    case "string":
    case "var":
    case "arraycomprehension":
    case "setcomprehension":
    case "objectcomprehension":
      return true;
    case "array":
    case "set":
      return t.items.every(isDefined);
    case "object":
      return t.items.every(([k, x]) => isDefined(k) && isDefined(x));
    default:
      return false;
  }
}

/** The expression of a call by name: `call("startswith", [a, b])` as a body expression. */
export const callExpr = (name: string, args: Term[]): Expr => build.expr(build.call(name, args));

/** Variables a body binds itself (`some x in ...`, `x := ...`): not parameters of a helper made from it. */
export function boundVarsOfBody(body: Body, out = new Set<string>()): Set<string> {
  for (const e of body) {
    const b = e.expr;
    if (b.kind === "some") b.symbols.forEach((s) => (s.type === "call" ? s.args.slice(0, -1) : [s]).forEach((x) => varsOfTerm(x, out)));
    else if (b.kind === "call" && b.args[0]) {
      const op = b.operator.terms[0];
      if (op?.type === "var" && (op.name === "assign" || op.name === "eq")) varsOfTerm(b.args[0], out);
    }
  }
  return out;
}
