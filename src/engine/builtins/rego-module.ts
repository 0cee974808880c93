/**
 * `rego.parse_module(filename, text)`: parses a module with policyc's Rego parser (v1 syntax) and
 * returns it in the JSON shape of OPA's AST (`{"package": {"path": [...]}, "imports": [...],
 * "rules": [...]}`, terms as `{"type", "value"}`), without locations.
 */
import { parseModule } from "../rego/index.js";
import type { Body, Expr, Module, Rule, Term } from "../rego/ast.js";
import { numberFromText } from "./json.js";
import type { Value } from "./value.js";
import type { Builtin } from "./tagged.js";

function term(t: Term): Value {
  switch (t.type) {
    case "null":
      return { type: "null" };
    case "boolean":
      return { type: "boolean", value: t.value };
    case "number":
      return { type: "number", value: numberFromText(t.value) };
    case "string":
      return { type: "string", value: t.value };
    case "var":
      return { type: "var", value: t.name };
    case "ref":
      return { type: "ref", value: t.terms.map(term) };
    case "array":
      return { type: "array", value: t.items.map(term) };
    case "set":
      return { type: "set", value: t.items.map(term) };
    case "object":
      return { type: "object", value: t.items.map(([k, v]) => [term(k), term(v)]) };
    case "arraycomprehension":
    case "setcomprehension":
      return { type: t.type, value: { term: term(t.term), body: body(t.body) } };
    case "objectcomprehension":
      return { type: t.type, value: { key: term(t.key), value: term(t.value), body: body(t.body) } };
    case "call":
      return { type: "call", value: [term(t.operator), ...t.args.map(term)] };
    case "templatestring":
      return { type: "templatestring", value: t.parts.map((p) => (p.type === "expr" ? expr(p, 0) : term(p))) };
  }
}

function expr(e: Expr, index: number): Value {
  const out: Record<string, Value> = { index };
  const b = e.expr;
  if (b.kind === "term") out.terms = term(b.term);
  else if (b.kind === "call") out.terms = [term(b.operator), ...b.args.map(term)];
  else if (b.kind === "some") out.terms = { type: "some", value: b.symbols.map(term) };
  else out.terms = { type: "every", value: { key: b.key ? term(b.key) : null, value: term(b.value), domain: term(b.domain), body: body(b.body) } };
  if (e.negated) out.negated = true;
  if (e.with.length) out.with = e.with.map((w) => ({ target: term(w.target), value: term(w.value) }));
  return out;
}

function body(b: Body): Value[] {
  return b.map((e, i) => expr(e, i));
}

function rule(r: Rule): Value {
  const h = r.head;
  const head: Record<string, Value> = { ref: h.ref.terms.map(term) };
  const first = h.ref.terms[0];
  if (first && first.type === "var" && h.ref.terms.length === 1) head.name = first.name;
  if (h.args) head.args = h.args.map(term);
  if (h.key) head.key = term(h.key);
  if (h.value) head.value = term(h.value);
  if (h.assign) head.assign = true;
  const out: Record<string, Value> = { head, body: r.body.length ? body(r.body) : [{ index: 0, terms: { type: "boolean", value: true } }] };
  if (r.default) out.default = true;
  if (r.else) out.else = rule(r.else);
  return out;
}

export function moduleToOpaJson(m: Module): Value {
  const out: Record<string, Value> = { package: { path: m.package.path.terms.map(term) } };
  if (m.imports.length) {
    out.imports = m.imports.map((i): Value => {
      const imp: Record<string, Value> = { path: term(i.path) };
      if (i.alias) imp.alias = i.alias;
      return imp;
    });
  }
  if (m.rules.length) out.rules = m.rules.map(rule);
  return out;
}

export const regoModuleBuiltins: Record<string, Builtin> = {
  "rego.parse_module": (file, text) => {
    if (typeof file !== "string" || typeof text !== "string") return undefined;
    return moduleToOpaJson(parseModule(text, { file, regoVersion: "v1" }));
  },
};
