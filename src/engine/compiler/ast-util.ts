/**
 * Small helpers over the Rego AST shared by the compiler passes and the planner: building terms,
 * walking terms, collecting vars, printing refs as OPA does (`data.a.b[x]`).
 */
import type { Body, Expr, Location, RefTerm, Term, VarTerm } from "../rego/ast.js";

export const NOLOC: Location = { file: "", row: 0, col: 0, offset: 0, end: 0 };

export const mkVar = (name: string, loc: Location = NOLOC): VarTerm => ({ type: "var", name, loc });
export const mkStr = (value: string, loc: Location = NOLOC): Term => ({ type: "string", value, loc });
export const mkRef = (terms: Term[], loc: Location = NOLOC): RefTerm => ({ type: "ref", terms, loc });
export const mkBool = (value: boolean, loc: Location = NOLOC): Term => ({ type: "boolean", value, loc });

/** A ref operator for a built-in or rule name such as `object.get`. */
export function nameRef(name: string, loc: Location = NOLOC): RefTerm {
  const [head, ...rest] = name.split(".");
  return mkRef([mkVar(head!, loc), ...rest.map((s) => mkStr(s, loc))], loc);
}

export function mkCallExpr(op: string, args: Term[], loc: Location, generated = true): Expr {
  const e: Expr = { type: "expr", negated: false, expr: { kind: "call", operator: nameRef(op, loc), args }, with: [], loc };
  if (generated) e.generated = true;
  return e;
}

/** `count` / `object.get` / `data.a.f` for a call operator ref; undefined when it has non-string parts. */
export function refName(ref: RefTerm): string | undefined {
  const [head, ...rest] = ref.terms;
  if (!head || head.type !== "var") return undefined;
  const parts = [head.name];
  for (const t of rest) {
    if (t.type !== "string") return undefined;
    parts.push(t.value);
  }
  return parts.join(".");
}

/** The string path of a ground ref (`data.a.b` → ["data","a","b"]); undefined otherwise. */
export function groundPath(ref: RefTerm): string[] | undefined {
  const [head, ...rest] = ref.terms;
  if (!head || head.type !== "var") return undefined;
  const out = [head.name];
  for (const t of rest) {
    if (t.type !== "string") return undefined;
    out.push(t.value);
  }
  return out;
}

/** Prints a term compactly (for messages and the `--dump` form). */
export function termString(t: Term): string {
  switch (t.type) {
    case "null": return "null";
    case "boolean": return String(t.value);
    case "number": return t.value;
    case "string": return JSON.stringify(t.value);
    case "var": return t.name;
    case "ref": {
      let s = termString(t.terms[0]!);
      for (const p of t.terms.slice(1)) {
        s += p.type === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value) ? `.${p.value}` : `[${termString(p)}]`;
      }
      return s;
    }
    case "array": return `[${t.items.map(termString).join(", ")}]`;
    case "set": return t.items.length ? `{${t.items.map(termString).join(", ")}}` : "set()";
    case "object": return `{${t.items.map(([k, v]) => `${termString(k)}: ${termString(v)}`).join(", ")}}`;
    case "arraycomprehension": return `[${termString(t.term)} | ${bodyString(t.body)}]`;
    case "setcomprehension": return `{${termString(t.term)} | ${bodyString(t.body)}}`;
    case "objectcomprehension": return `{${termString(t.key)}: ${termString(t.value)} | ${bodyString(t.body)}}`;
    case "call": return `${termString(t.operator)}(${t.args.map(termString).join(", ")})`;
    case "templatestring": return `$"${t.parts.map((p) => (p.type === "string" ? p.value : p.type === "expr" ? `{${exprString(p)}}` : `{${termString(p)}}`)).join("")}"`;
  }
}

export function exprString(e: Expr): string {
  let s: string;
  const x = e.expr;
  switch (x.kind) {
    case "term": s = termString(x.term); break;
    case "call": s = `${termString(x.operator)}(${x.args.map(termString).join(", ")})`; break;
    case "some": s = `some ${x.symbols.map(termString).join(", ")}`; break;
    case "every": s = `every ${x.key ? termString(x.key) + ", " : ""}${termString(x.value)} in ${termString(x.domain)} { ${bodyString(x.body)} }`; break;
  }
  if (e.negated) s = `not ${s}`;
  for (const w of e.with) s += ` with ${termString(w.target)} as ${termString(w.value)}`;
  return s;
}

export function bodyString(b: Body): string {
  return b.map(exprString).join("; ");
}

/** Visits every var in a term. `closures: false` skips comprehension bodies and terms. */
export function forEachVar(t: Term, fn: (v: VarTerm) => void, closures = true): void {
  switch (t.type) {
    case "var": fn(t); return;
    case "ref": t.terms.forEach((x) => forEachVar(x, fn, closures)); return;
    case "array": case "set": t.items.forEach((x) => forEachVar(x, fn, closures)); return;
    case "object": t.items.forEach(([k, v]) => { forEachVar(k, fn, closures); forEachVar(v, fn, closures); }); return;
    case "call": t.args.forEach((x) => forEachVar(x, fn, closures)); return;
    case "templatestring": t.parts.forEach((x) => (x.type === "expr" ? forEachVarExpr(x, fn, closures) : forEachVar(x, fn, closures))); return;
    case "arraycomprehension": case "setcomprehension":
      if (closures) { forEachVar(t.term, fn, closures); t.body.forEach((e) => forEachVarExpr(e, fn, closures)); }
      return;
    case "objectcomprehension":
      if (closures) { forEachVar(t.key, fn, closures); forEachVar(t.value, fn, closures); t.body.forEach((e) => forEachVarExpr(e, fn, closures)); }
      return;
    default: return;
  }
}

export function forEachVarExpr(e: Expr, fn: (v: VarTerm) => void, closures = true): void {
  const x = e.expr;
  switch (x.kind) {
    case "term": forEachVar(x.term, fn, closures); break;
    case "call": x.args.forEach((a) => forEachVar(a, fn, closures)); break;
    case "some": x.symbols.forEach((a) => forEachVar(a, fn, closures)); break;
    case "every":
      forEachVar(x.domain, fn, closures);
      if (closures) {
        if (x.key) forEachVar(x.key, fn, closures);
        forEachVar(x.value, fn, closures);
        x.body.forEach((b) => forEachVarExpr(b, fn, closures));
      }
      break;
  }
  for (const w of e.with) forEachVar(w.value, fn, closures);
}

export function varsOf(t: Term, closures = true): Set<string> {
  const s = new Set<string>();
  forEachVar(t, (v) => s.add(v.name), closures);
  return s;
}

export function isGround(t: Term): boolean {
  let g = true;
  forEachVar(t, () => { g = false; });
  return g;
}

/**
 * Whether a term must be evaluated rather than matched (OPA's `requiresEval`): it holds a ref, a
 * call or a comprehension. Such terms in heads and `with` values move into their own `x = term`.
 */
export function requiresEval(t: Term): boolean {
  switch (t.type) {
    case "ref": case "call": case "arraycomprehension": case "setcomprehension": case "objectcomprehension": case "templatestring":
      return true;
    case "array": case "set": return t.items.some(requiresEval);
    case "object": return t.items.some(([k, v]) => requiresEval(k) || requiresEval(v));
    default: return false;
  }
}

/** `v = t`, an expression the compiler adds (for lifted head and `with` terms). */
export function mkEqExpr(v: Term, t: Term): Expr {
  return mkCallExpr("eq", [v, t], t.loc);
}

export function isScalar(t: Term): boolean {
  return t.type === "null" || t.type === "boolean" || t.type === "number" || t.type === "string";
}
