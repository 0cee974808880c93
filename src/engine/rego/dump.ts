/**
 * Compact s-expression dumps of Rego ASTs (no locations), for tests and debugging: a parse result
 * can be asserted in one readable line, e.g. `(assign x (plus 1 (mul 2 3)))`. Also
 * `withoutLocations`, which strips every `loc` so that two ASTs can be compared structurally.
 */
import type { Body, Expr, Module, Rule, RuleHead, Term } from "./ast.js";

function opName(t: Term & { type: "ref" }): string {
  return t.terms
    .map((x, i) => (i === 0 && x.type === "var" ? x.name : x.type === "string" ? x.value : `[${dumpTerm(x)}]`))
    .join(".");
}

export function dumpTerm(t: Term | Expr): string {
  switch (t.type) {
    case "expr": return dumpExpr(t);
    case "null": return "null";
    case "boolean": return String(t.value);
    case "number": return t.value;
    case "string": return JSON.stringify(t.value);
    case "var": return t.name;
    case "ref": return `(ref ${t.terms.map(dumpTerm).join(" ")})`;
    case "array": return `(array${t.items.map((x) => " " + dumpTerm(x)).join("")})`;
    case "set": return `(set${t.items.map((x) => " " + dumpTerm(x)).join("")})`;
    case "object": return `(object${t.items.map(([k, v]) => ` (${dumpTerm(k)} ${dumpTerm(v)})`).join("")})`;
    case "arraycomprehension": return `(arraycomp ${dumpTerm(t.term)} ${dumpBody(t.body)})`;
    case "setcomprehension": return `(setcomp ${dumpTerm(t.term)} ${dumpBody(t.body)})`;
    case "objectcomprehension": return `(objectcomp ${dumpTerm(t.key)} ${dumpTerm(t.value)} ${dumpBody(t.body)})`;
    case "call": return `(${opName(t.operator)}${t.args.map((x) => " " + dumpTerm(x)).join("")})`;
    case "templatestring": return `(template${t.multiline ? "`" : ""}${t.parts.map((x) => " " + dumpTerm(x)).join("")})`;
  }
}

export function dumpBody(body: Body): string {
  return `{${body.map(dumpExpr).join("; ")}}`;
}

export function dumpExpr(e: Expr): string {
  let s: string;
  const b = e.expr;
  switch (b.kind) {
    case "term": s = dumpTerm(b.term); break;
    case "call": s = `(${opName(b.operator)}${b.args.map((x) => " " + dumpTerm(x)).join("")})`; break;
    case "some": s = `(some${b.symbols.map((x) => " " + dumpTerm(x)).join("")})`; break;
    case "every": s = `(every ${b.key ? dumpTerm(b.key) + " " : ""}${dumpTerm(b.value)} ${dumpTerm(b.domain)} ${dumpBody(b.body)})`; break;
  }
  if (e.negated) s = `(not ${s})`;
  for (const w of e.with) s += ` (with ${dumpTerm(w.target)} ${dumpTerm(w.value)})`;
  return s;
}

function dumpHead(h: RuleHead): string {
  let s = dumpTerm(h.ref);
  if (h.args) s += ` (args${h.args.map((x) => " " + dumpTerm(x)).join("")})`;
  if (h.key) s += ` (contains ${dumpTerm(h.key)})`;
  if (h.value) s += ` ${h.assign ? ":=" : "="} ${dumpTerm(h.value)}`;
  return s;
}

export function dumpRule(r: Rule): string {
  let s = `(rule ${r.default ? "default " : ""}${r.head.kind} ${dumpHead(r.head)} ${dumpBody(r.body)}`;
  if (r.else) s += ` (else ${dumpRule(r.else).slice(6, -1)})`;
  return s + ")";
}

export function dumpModule(m: Module): string {
  const lines = [`(package ${dumpTerm(m.package.path)})`];
  for (const i of m.imports) lines.push(`(import ${dumpTerm(i.path)}${i.alias ? " as " + i.alias : ""})`);
  for (const r of m.rules) lines.push(dumpRule(r));
  return lines.join("\n");
}

/** A deep copy of `x` without any `loc` or `generated` field (for structural comparison). */
export function withoutLocations<T>(x: T): T {
  if (Array.isArray(x)) return x.map(withoutLocations) as T;
  if (x && typeof x === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      if (k === "loc" || k === "comments" || k === "file") continue;
      out[k] = withoutLocations(v);
    }
    return out as T;
  }
  return x;
}
