/**
 * The compile-time built-ins that read METADATA annotations (parsed with the module,
 * `rego/annotations.ts`): like OPA, the compiler replaces `rego.metadata.rule()` and
 * `rego.metadata.chain()` with constants built from the annotations in scope of the calling rule.
 */
import type { Body, Expr, Module, Rule, Term } from "../rego/ast.js";
import { NOLOC, refName } from "./ast-util.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Annotation {
  scope: string;
  value: { [k: string]: Json };
  /** Path without `data`, e.g. ["testing", "p"] or ["testing"]. */
  path: string[];
}

export interface ModuleAnnotations {
  pkg: Annotation[];
  rules: Map<Rule, Annotation[]>;
}

const pathOf = (terms: Term[]): string[] => terms.map((t) => (t.type === "string" ? t.value : t.type === "var" ? t.name : ""));

/**
 * The module's METADATA blocks as the parser read them (YAML as OPA reads it, normalized, each
 * attached to its package or rule), indexed for the rewrite.
 */
export function collectAnnotations(mod: Module): ModuleAnnotations {
  const result: ModuleAnnotations = { pkg: [], rules: new Map() };
  const pkgPath = pathOf(mod.package.path.terms.slice(1));
  for (const a of mod.annotations ?? []) {
    const value = a.value as { [k: string]: Json };
    if (a.target.kind === "package") {
      result.pkg.push({ scope: a.scope, value, path: pkgPath });
      continue;
    }
    const rule = mod.rules[a.target.index];
    if (!rule) continue;
    const terms = rule.head.ref.terms;
    const rulePath = [pathOf([terms[0]!])[0]!];
    for (const t of terms.slice(1)) {
      if (t.type !== "string") break;
      rulePath.push(t.value);
    }
    const list = result.rules.get(rule) ?? [];
    list.push({ scope: a.scope, value, path: [...pkgPath, ...rulePath] });
    result.rules.set(rule, list);
  }
  return result;
}

function toTerm(v: Json): Term {
  if (v === null) return { type: "null", loc: NOLOC };
  if (typeof v === "boolean") return { type: "boolean", value: v, loc: NOLOC };
  if (typeof v === "number") return { type: "number", value: String(v), loc: NOLOC };
  if (typeof v === "string") return { type: "string", value: v, loc: NOLOC };
  if (Array.isArray(v)) return { type: "array", items: v.map(toTerm), loc: NOLOC };
  const keys = Object.keys(v).sort();
  return { type: "object", items: keys.map((k) => [toTerm(k), toTerm(v[k]!)] as [Term, Term]), loc: NOLOC };
}

/** The annotations every rule can see: all modules' package, document and subpackage scopes. */
export interface AnnotationIndex {
  byModule: Map<Module, ModuleAnnotations>;
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function chainFor(rule: Rule, mod: Module, index: AnnotationIndex, rulePath: string[]): Json[] {
  const own = index.byModule.get(mod)?.rules.get(rule) ?? [];
  const ruleScoped = own.filter((a) => a.scope === "rule");
  const chain: Json[] = [];
  const first: { [k: string]: Json } = { path: rulePath };
  if (ruleScoped[0]) first.annotations = ruleScoped[0].value;
  chain.push(first);
  for (const anns of index.byModule.values()) {
    for (const list of anns.rules.values()) {
      for (const a of list) if (a.scope === "document" && samePath(a.path, rulePath)) chain.push({ annotations: a.value, path: a.path });
    }
  }
  const pkgPath = pathOf(mod.package.path.terms.slice(1));
  for (const anns of index.byModule.values()) {
    for (const a of anns.pkg) if (a.scope === "package" && samePath(a.path, pkgPath)) chain.push({ annotations: a.value, path: a.path });
  }
  for (let n = pkgPath.length; n > 0; n--) {
    const prefix = pkgPath.slice(0, n);
    for (const anns of index.byModule.values()) {
      for (const a of anns.pkg) if (a.scope === "subpackages" && samePath(a.path, prefix)) chain.push({ annotations: a.value, path: a.path });
    }
  }
  return chain;
}

/**
 * Replaces `rego.metadata.rule()` / `rego.metadata.chain()` in a compiled rule (and its else
 * chain); `original` is the rule as parsed, which the annotations are attached to.
 */
export function rewriteMetadataCalls(rule: Rule, original: Rule, mod: Module, index: AnnotationIndex): Rule {
  if (!mentionsMetadata(rule)) return rule;
  const head = rule.head.ref.terms;
  const rulePath: string[] = [];
  for (const t of head.slice(1)) {
    if (t.type !== "string") break;
    rulePath.push(t.value);
  }
  const own = index.byModule.get(mod)?.rules.get(original) ?? [];
  const ruleAnn = own.find((a) => a.scope === "rule")?.value ?? {};
  const chain = chainFor(original, mod, index, rulePath);
  const term = (t: Term): Term => {
    switch (t.type) {
      case "call": {
        const name = refName(t.operator);
        if (t.args.length === 0 && name === "rego.metadata.rule") return toTerm(ruleAnn);
        if (t.args.length === 0 && name === "rego.metadata.chain") return toTerm(chain);
        return { ...t, args: t.args.map(term) };
      }
      case "ref": return { ...t, terms: t.terms.map(term) };
      case "array": return { ...t, items: t.items.map(term) };
      case "set": return { ...t, items: t.items.map(term) };
      case "object": return { ...t, items: t.items.map(([k, v]) => [term(k), term(v)] as [Term, Term]) };
      case "arraycomprehension": case "setcomprehension": return { ...t, term: term(t.term), body: body(t.body) };
      case "objectcomprehension": return { ...t, key: term(t.key), value: term(t.value), body: body(t.body) };
      default: return t;
    }
  };
  const expr = (e: Expr): Expr => {
    const x = e.expr;
    const withs = e.with.map((w) => ({ ...w, value: term(w.value) }));
    switch (x.kind) {
      case "term": return { ...e, expr: { kind: "term", term: term(x.term) }, with: withs };
      case "call": {
        const name = refName(x.operator);
        if (x.args.length === 1 && (name === "rego.metadata.rule" || name === "rego.metadata.chain")) {
          const v = toTerm(name === "rego.metadata.rule" ? ruleAnn : chain);
          return { ...e, expr: { kind: "call", operator: { type: "ref", terms: [{ type: "var", name: "eq", loc: e.loc }], loc: e.loc }, args: [x.args[0]!, v] }, with: withs };
        }
        return { ...e, expr: { ...x, args: x.args.map(term) }, with: withs };
      }
      case "every": return { ...e, expr: { ...x, domain: term(x.domain), body: body(x.body) }, with: withs };
      default: return e;
    }
  };
  const body = (b: Body): Body => b.map(expr);
  const out: Rule = { ...rule, body: body(rule.body), head: { ...rule.head } };
  if (rule.head.value) out.head.value = term(rule.head.value);
  if (rule.head.key) out.head.key = term(rule.head.key);
  if (rule.else && original.else) out.else = rewriteMetadataCalls(rule.else, original.else, mod, index);
  return out;
}

/** Whether the rule refers to `rego.metadata.*` anywhere (a walk of its AST, locations skipped). */
function mentionsMetadata(rule: Rule): boolean {
  const seen = (x: unknown): boolean => {
    if (typeof x !== "object" || x === null) return false;
    if (Array.isArray(x)) return x.some(seen);
    const o = x as Record<string, unknown>;
    if (o.type === "ref" && Array.isArray(o.terms)) {
      const [a, b] = o.terms as Term[];
      if (a?.type === "var" && a.name === "rego" && b?.type === "string" && b.value === "metadata") return true;
    }
    for (const k in o) if (k !== "loc" && seen(o[k])) return true;
    return false;
  };
  return seen(rule);
}
