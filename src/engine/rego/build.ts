/**
 * Constructors for Rego ASTs built by code (the TypeScript → Rego emitters, compiler rewrites):
 * short, typed helpers so that generated rules read like the Rego they print as. Every node gets
 * the location passed in `at` (default: a synthetic `<generated>` location).
 */
import type {
  ArrayTerm,
  Body,
  BooleanTerm,
  CallTerm,
  Expr,
  Import,
  Location,
  Module,
  NullTerm,
  NumberTerm,
  ObjectTerm,
  RefTerm,
  RegoVersion,
  Rule,
  RuleHead,
  SetTerm,
  StringTerm,
  Term,
  VarTerm,
  With,
} from "./ast.js";

export const GENERATED: Location = { file: "<generated>", row: 1, col: 1, offset: 0, end: 0 };

export const nullT = (at = GENERATED): NullTerm => ({ type: "null", loc: at });
export const bool = (value: boolean, at = GENERATED): BooleanTerm => ({ type: "boolean", value, loc: at });
/** Numbers keep their text; pass a string for big integers or exact decimals. */
export const num = (value: number | bigint | string, at = GENERATED): NumberTerm => ({ type: "number", value: String(value), loc: at });
export const str = (value: string, at = GENERATED): StringTerm => ({ type: "string", value, loc: at });
export const v = (name: string, at = GENERATED): VarTerm => ({ type: "var", name, loc: at });
export const arr = (items: Term[], at = GENERATED): ArrayTerm => ({ type: "array", items, loc: at });
export const set = (items: Term[], at = GENERATED): SetTerm => ({ type: "set", items, loc: at });
export const obj = (items: [Term | string, Term][], at = GENERATED): ObjectTerm => ({
  type: "object",
  items: items.map(([k, x]) => [typeof k === "string" ? str(k, at) : k, x]),
  loc: at,
});

/**
 * A reference from a dotted head and path elements: `ref("input.review.object", "spec", v("i"))`.
 * Strings in `path` are keys (`.spec` / `["a-b"]`); terms are used as they are.
 */
export function ref(head: string | Term, path: (string | Term)[] = [], at = GENERATED): RefTerm {
  const terms: Term[] = [];
  if (typeof head === "string") {
    const [first, ...rest] = head.split(".");
    terms.push(v(first!, at), ...rest.map((s) => str(s, at)));
  } else if (head.type === "ref") terms.push(...head.terms);
  else terms.push(head);
  for (const p of path) terms.push(typeof p === "string" ? str(p, at) : p);
  return { type: "ref", terms, loc: at };
}

/** A call by (dotted) name: `call("object.get", [o, str("k"), nullT()])`, `call("plus", [a, b])`. */
export const call = (name: string, args: Term[], at = GENERATED): CallTerm => ({ type: "call", operator: ref(name, [], at), args, loc: at });

/** An expression from a term; calls become call expressions (`x == 1`, `startswith(a, b)`). */
export function expr(t: Term, opts: { negated?: boolean; with?: With[] } = {}, at = t.loc): Expr {
  return {
    type: "expr",
    negated: opts.negated ?? false,
    expr: t.type === "call" ? { kind: "call", operator: t.operator, args: t.args } : { kind: "term", term: t },
    with: opts.with ?? [],
    loc: at,
  };
}
export const not = (t: Term, at = t.loc): Expr => expr(t, { negated: true }, at);
export const assign = (lhs: Term, rhs: Term, at = GENERATED): Expr => expr(call("assign", [lhs, rhs], at), {}, at);
export const eq = (lhs: Term, rhs: Term, at = GENERATED): Expr => expr(call("eq", [lhs, rhs], at), {}, at);
/** `some x in xs` / `some k, v in xs` */
export function someIn(vars: [VarTerm] | [VarTerm, VarTerm], domain: Term, at = GENERATED): Expr {
  const member = call(vars.length === 1 ? "internal.member_2" : "internal.member_3", [...vars, domain], at);
  return { type: "expr", negated: false, expr: { kind: "some", symbols: [member] }, with: [], loc: at };
}
export function every(value: VarTerm, domain: Term, body: Body, key?: VarTerm, at = GENERATED): Expr {
  const e: Expr["expr"] = key ? { kind: "every", key, value, domain, body } : { kind: "every", value, domain, body };
  return { type: "expr", negated: false, expr: e, with: [], loc: at };
}

export interface RuleSpec {
  /** Dotted name relative to the package, or a ref (`p[x].r`). */
  name: string | RefTerm;
  args?: Term[];
  /** Multi-value (`contains`) member. */
  contains?: Term;
  value?: Term;
  body?: Body;
  default?: boolean;
  else?: { value?: Term; body?: Body }[];
}

/** A rule: `rule({ name: "violation", contains: obj([["msg", v("msg")]]), body })`. */
export function rule(spec: RuleSpec, at = GENERATED): Rule {
  const headRef = typeof spec.name === "string" ? ref(spec.name, [], at) : spec.name;
  const head: RuleHead = { ref: headRef, assign: !spec.contains, kind: spec.contains ? "multi" : "single", loc: at };
  if (spec.args) head.args = spec.args;
  if (spec.contains) head.key = spec.contains;
  if (spec.value) head.value = spec.value;
  const r: Rule = { type: "rule", default: spec.default ?? false, head, body: spec.body ?? [], loc: at };
  let last = r;
  for (const e of spec.else ?? []) {
    const h: RuleHead = { ref: headRef, assign: true, kind: "single", loc: at };
    if (spec.args) h.args = spec.args;
    if (e.value) h.value = e.value;
    last.else = { type: "rule", default: false, head: h, body: e.body ?? [], loc: at };
    last = last.else;
  }
  return r;
}

export function importOf(path: string, alias?: string, at = GENERATED): Import {
  const imp: Import = { type: "import", path: ref(path, [], at), loc: at };
  if (alias !== undefined) imp.alias = alias;
  return imp;
}

/** A module for package `a.b.c` (without the `data.` prefix). */
export function module(pkg: string, rules: Rule[], opts: { imports?: Import[]; regoVersion?: RegoVersion; file?: string } = {}, at = GENERATED): Module {
  return {
    type: "module",
    package: { type: "package", path: ref("data", pkg.split("."), at), loc: at },
    imports: opts.imports ?? [],
    rules,
    comments: [],
    regoVersion: opts.regoVersion ?? "v1",
    file: opts.file ?? at.file,
  };
}
