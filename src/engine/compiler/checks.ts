/**
 * Checks over compiled bodies that need the whole rule tree: unknown functions and arity (built-ins
 * from the capabilities table, user functions from the tree), `with` targets, and recursion
 * between rules (OPA's `rego_recursion_error`).
 */
import type { Body, Expr, RefTerm, Rule, Term } from "../rego/ast.js";
import type { Diagnostic } from "../../diagnostics/index.js";
import { diag } from "../../diagnostics/index.js";
import { CompilerMessages as M, spanOf } from "./diagnostics.js";
import { groundPath, refName } from "./ast-util.js";
import { BUILTINS, lookupBuiltin, type BuiltinInfo } from "./builtins-table.js";
import { groupsBelow, nodeAt, type RuleGroup, type RuleNode } from "./ruletree.js";

/** Calls `fn` for every call (expression or term) and every ref in a rule, including closures. */
export function walkRule(rule: Rule, onCall: (op: RefTerm, nargs: number, loc: Term["loc"]) => void, onRef: (r: RefTerm) => void, onWith?: (target: RefTerm, value: Term) => void): void {
  const term = (t: Term): void => {
    switch (t.type) {
      case "ref": onRef(t); t.terms.forEach(term); return;
      case "array": case "set": t.items.forEach(term); return;
      case "object": t.items.forEach(([k, v]) => { term(k); term(v); }); return;
      case "call": onCall(t.operator, t.args.length, t.loc); t.args.forEach(term); return;
      case "templatestring": t.parts.forEach((p) => (p.type === "expr" ? expr(p) : term(p))); return;
      case "arraycomprehension": case "setcomprehension": term(t.term); body(t.body); return;
      case "objectcomprehension": term(t.key); term(t.value); body(t.body); return;
      default: return;
    }
  };
  const expr = (e: Expr): void => {
    const x = e.expr;
    switch (x.kind) {
      case "term": term(x.term); break;
      case "call": onCall(x.operator, x.args.length, e.loc); x.args.forEach(term); break;
      case "some": x.symbols.forEach(term); break;
      case "every": term(x.domain); body(x.body); break;
    }
    for (const w of e.with) {
      term(w.value);
      onWith?.(w.target, w.value);
    }
  };
  const body = (b: Body) => b.forEach(expr);
  for (let r: Rule | undefined = rule; r; r = r.else) {
    r.head.ref.terms.slice(1).forEach(term);
    r.head.args?.forEach(term);
    if (r.head.key) term(r.head.key);
    if (r.head.value) term(r.head.value);
    body(r.body);
  }
}

/** The function group a call operator names, if it is a `data` ref to one. */
export function functionGroup(root: RuleNode, op: RefTerm): RuleGroup | undefined {
  const p = groundPath(op);
  if (!p || p[0] !== "data") return undefined;
  const n = nodeAt(root, p);
  return n?.static;
}

export function checkCalls(rule: Rule, root: RuleNode, regoVersion: "v0" | "v1", diags: Diagnostic[], extra?: ReadonlyMap<string, BuiltinInfo>): void {
  walkRule(
    rule,
    (op, nargs, loc) => {
      const name = refName(op);
      if (name === undefined) return;
      if (name.startsWith("data.")) {
        const g = functionGroup(root, op);
        if (!g) {
          diags.push(diag(M.unknownFunction, [name], spanOf(loc)));
          return;
        }
        const arity = g.kind === "function" ? g.arity! : 0;
        if (g.kind !== "function" && g.kind !== "complete") diags.push(diag(M.unknownFunction, [name], spanOf(loc)));
        else if (nargs !== arity && nargs !== arity + 1) diags.push(diag(M.wrongArity, [name, arity, nargs], spanOf(loc)));
        return;
      }
      if (name === "input" || name.startsWith("input.")) {
        diags.push(diag(M.unknownFunction, [name], spanOf(loc)));
        return;
      }
      const b = lookupBuiltin(name, regoVersion, extra);
      if (!b) {
        if (BUILTINS.get(name)?.deprecated) diags.push(diag(M.deprecatedBuiltin, [name], spanOf(loc)));
        else diags.push(diag(M.unknownFunction, [name], spanOf(loc)));
        return;
      }
      if (b.arity >= 0 && nargs !== b.arity && !(nargs === b.arity + 1 && !b.void)) {
        diags.push(diag(M.wrongArity, [name, b.arity, nargs], spanOf(loc)));
      }
    },
    () => {},
    (target) => {
      const head = target.terms[0];
      if (head?.type === "var" && head.name === "data" && replacesPartOfRule(root, target)) {
        diags.push(diag(M.withPartialVirtual, [], spanOf(target.loc)));
        return;
      }
      if (head?.type === "var" && (head.name === "input" || head.name === "data") && !functionGroup(root, target)) return;
      const name = refName(target);
      if (name !== undefined) {
        if (name.startsWith("data.")) {
          const g = functionGroup(root, target);
          if (g) return;
        } else if (lookupBuiltin(name, regoVersion, extra)) return;
      }
      diags.push(diag(M.withTarget, [name ?? "?"], spanOf(target.loc)));
    },
  );
}

/**
 * A `with data...` target inside a rule's value (`with data.p.q.a as x` where rules define
 * `data.p.q`): OPA refuses it at compile time, since evaluation would read the rules and never the
 * replacement. A proper prefix of the target's ground path that rules define is such a target.
 */
function replacesPartOfRule(root: RuleNode, target: RefTerm): boolean {
  let n: RuleNode | undefined = root;
  for (let i = 1; i < target.terms.length - 1; i++) {
    const t = target.terms[i]!;
    if (t.type !== "string") return false;
    n = n.children.get(t.value);
    if (!n) return false;
    if (n.static || n.dynamic) return true;
  }
  return false;
}

/**
 * Groups a ref may read: it is matched against the rule tree with vars (and other non-string
 * terms that could be strings) as wildcards; a group on the way or anything below the end counts.
 */
export function refDependencies(root: RuleNode, ref: RefTerm): RuleGroup[] {
  const head = ref.terms[0];
  if (head?.type !== "var" || head.name !== "data") return [];
  const out = new Set<RuleGroup>();
  const walk = (n: RuleNode, i: number): void => {
    if (n.static) out.add(n.static);
    if (n.dynamic) out.add(n.dynamic);
    if (i >= ref.terms.length) {
      for (const g of groupsBelow(n)) out.add(g);
      return;
    }
    const t = ref.terms[i]!;
    if (t.type === "string") {
      const c = n.children.get(t.value);
      if (c) walk(c, i + 1);
      return;
    }
    if (t.type === "number" || t.type === "boolean" || t.type === "null" || t.type === "array" || t.type === "object" || t.type === "set") return;
    for (const c of n.children.values()) walk(c, i + 1);
  };
  walk(root, 1);
  return [...out];
}

export function checkRecursion(groups: RuleGroup[], root: RuleNode, diags: Diagnostic[]): void {
  const deps = new Map<RuleGroup, Set<RuleGroup>>();
  for (const g of groups) {
    const d = new Set<RuleGroup>();
    const all = g.default ? [...g.rules, g.default] : g.rules;
    for (const r of all) {
      walkRule(
        r,
        (op) => { const f = functionGroup(root, op); if (f) d.add(f); },
        (ref) => { for (const x of refDependencies(root, ref)) d.add(x); },
      );
    }
    deps.set(g, d);
  }
  const state = new Map<RuleGroup, 1 | 2>();
  const stack: RuleGroup[] = [];
  const reported = new Set<RuleGroup>();
  const visit = (g: RuleGroup): void => {
    state.set(g, 1);
    stack.push(g);
    for (const d of deps.get(g) ?? []) {
      const s = state.get(d);
      if (s === 1) {
        const cycle = stack.slice(stack.indexOf(d));
        if (!reported.has(d)) {
          reported.add(d);
          const names = [...cycle, d].map((x) => x.path.join("."));
          const r = d.rules[0] ?? d.default!;
          diags.push(diag(M.recursion, [d.path.join("."), names.join(" -> ")], spanOf(r.loc)));
        }
      } else if (s === undefined) visit(d);
    }
    stack.pop();
    state.set(g, 2);
  };
  for (const g of groups) if (!state.has(g)) visit(g);
}
