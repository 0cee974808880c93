/**
 * Converts the AST to the JSON shape OPA's `ast` package marshals (what `opa parse --format json`
 * prints and what the `rego.parse_module` built-in returns): terms as `{type, value}`, refs and
 * calls as term arrays, expressions with `index` and `terms`. Locations are left out, as OPA does
 * by default.
 */
import type { Body, Expr, Module, Rule, Term, With } from "./ast.js";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function termToOpaJson(t: Term | Expr): Json {
  switch (t.type) {
    case "expr":
      return exprToOpaJson(t, 0);
    case "null":
      return { type: "null" };
    case "boolean":
      return { type: "boolean", value: t.value };
    case "number": {
      // OPA marshals numbers as JSON numbers (json.Number keeps the text).
      const n = Number(t.value);
      return { type: "number", value: Number.isSafeInteger(n) || !/^-?\d+$/.test(t.value) ? n : t.value };
    }
    case "string":
      return { type: "string", value: t.value };
    case "var":
      return { type: "var", value: t.name };
    case "ref":
      return { type: "ref", value: t.terms.map(termToOpaJson) };
    case "array":
      return { type: "array", value: t.items.map(termToOpaJson) };
    case "set":
      return { type: "set", value: t.items.map(termToOpaJson) };
    case "object":
      return { type: "object", value: t.items.map(([k, v]) => [termToOpaJson(k), termToOpaJson(v)]) };
    case "arraycomprehension":
      return { type: "arraycomprehension", value: { term: termToOpaJson(t.term), body: bodyToOpaJson(t.body) } };
    case "setcomprehension":
      return { type: "setcomprehension", value: { term: termToOpaJson(t.term), body: bodyToOpaJson(t.body) } };
    case "objectcomprehension":
      return { type: "objectcomprehension", value: { key: termToOpaJson(t.key), value: termToOpaJson(t.value), body: bodyToOpaJson(t.body) } };
    case "call":
      return { type: "call", value: [termToOpaJson(t.operator), ...t.args.map(termToOpaJson)] };
    case "templatestring":
      return { type: "templatestring", value: { multi_line: t.multiline, parts: t.parts.filter((p, i) => i % 2 === 1 || (p.type === "string" && p.value !== "")).map(termToOpaJson) } };
  }
}

function withToOpaJson(w: With): Json {
  return { target: termToOpaJson(w.target), value: termToOpaJson(w.value) };
}

export function exprToOpaJson(e: Expr, index: number): Json {
  const out: { [k: string]: Json } = { index };
  if (e.negated) out.negated = true;
  const b = e.expr;
  switch (b.kind) {
    case "term":
      out.terms = termToOpaJson(b.term);
      break;
    case "call":
      out.terms = [termToOpaJson(b.operator), ...b.args.map(termToOpaJson)];
      break;
    case "some":
      out.terms = { symbols: b.symbols.map(termToOpaJson) };
      break;
    case "every": {
      const ev: { [k: string]: Json } = {};
      if (b.key) ev.key = termToOpaJson(b.key);
      ev.value = termToOpaJson(b.value);
      ev.domain = termToOpaJson(b.domain);
      ev.body = bodyToOpaJson(b.body);
      out.terms = ev;
      break;
    }
  }
  if (e.with.length > 0) out.with = e.with.map(withToOpaJson);
  return out;
}

export function bodyToOpaJson(body: Body): Json {
  return body.map((e, i) => exprToOpaJson(e, i));
}

export function ruleToOpaJson(r: Rule): Json {
  const h = r.head;
  const head: { [k: string]: Json } = {};
  const first = h.ref.terms[0];
  if (h.ref.terms.length === 1 && first?.type === "var") head.name = first.name;
  head.ref = h.ref.terms.map(termToOpaJson);
  if (h.args) head.args = h.args.map(termToOpaJson);
  if (h.key) head.key = termToOpaJson(h.key);
  // OPA fills in `true` for heads without a value (except multi-value rules).
  if (h.value) head.value = termToOpaJson(h.value);
  else if (h.kind === "single") head.value = { type: "boolean", value: true };
  if (h.assign) head.assign = true;
  const out: { [k: string]: Json } = {};
  if (r.default) out.default = true;
  out.head = head;
  // An empty body is OPA's `true` body.
  out.body = r.body.length > 0 ? bodyToOpaJson(r.body) : [{ index: 0, terms: { type: "boolean", value: true } }];
  if (r.else) out.else = ruleToOpaJson(r.else);
  return out;
}

export function moduleToOpaJson(m: Module): Json {
  const out: { [k: string]: Json } = { package: { path: m.package.path.terms.map(termToOpaJson) } };
  if (m.imports.length > 0) {
    out.imports = m.imports.map((i) => {
      const imp: { [k: string]: Json } = { path: termToOpaJson(i.path) };
      if (i.alias) imp.alias = i.alias;
      return imp;
    });
  }
  if (m.rules.length > 0) out.rules = m.rules.map(ruleToOpaJson);
  return out;
}
