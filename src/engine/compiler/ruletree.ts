/**
 * The rule tree of `data`: which paths are defined by rules (virtual documents) and how. Rules
 * are grouped by the ground prefix of their head ref. A group at exactly its head path is a
 * complete rule, a partial set or a function ("static"); rules whose head continues with
 * non-ground terms (`p[k] := v`, `p[q].r := v`, `p[q] contains r`) contribute keys to an object at
 * their prefix ("dynamic"). Everything not in the tree comes from base `data` at run time.
 */
import type { Module, Rule, Term } from "../rego/ast.js";
import type { Diagnostic } from "../../diagnostics/index.js";
import { diag } from "../../diagnostics/index.js";
import { CompilerMessages as M, spanOf } from "./diagnostics.js";

export type GroupKind = "complete" | "set" | "function" | "dynamic";

export interface RuleGroup {
  /** Full path from the root, starting with "data". */
  path: string[];
  kind: GroupKind;
  /** Non-default definitions (each possibly with an `else` chain), in source order. */
  rules: Rule[];
  default?: Rule;
  arity?: number;
  /** For dynamic groups: the head terms after `path` for each rule (same order as `rules`). */
  suffixes?: Term[][];
}

export interface RuleNode {
  key: string;
  path: string[];
  children: Map<string, RuleNode>;
  static?: RuleGroup;
  dynamic?: RuleGroup;
  /** Set when a module declares this path as its package. */
  isPackage?: boolean;
}

export function newNode(path: string[]): RuleNode {
  return { key: path[path.length - 1] ?? "", path, children: new Map() };
}

export function nodeAt(root: RuleNode, path: string[]): RuleNode | undefined {
  let n: RuleNode | undefined = root;
  for (const k of path.slice(1)) {
    n = n.children.get(k);
    if (!n) return undefined;
  }
  return n;
}

function ensure(root: RuleNode, path: string[]): RuleNode {
  let n = root;
  for (let i = 1; i < path.length; i++) {
    const k = path[i]!;
    let c = n.children.get(k);
    if (!c) {
      c = newNode(path.slice(0, i + 1));
      n.children.set(k, c);
    }
    n = c;
  }
  return n;
}

/** Splits a (compiled, full) head ref into its ground string prefix and the rest. */
export function splitHead(rule: Rule): { path: string[]; suffix: Term[] } {
  const terms = rule.head.ref.terms;
  const path: string[] = [(terms[0] as { name: string }).name];
  let i = 1;
  for (; i < terms.length; i++) {
    const t = terms[i]!;
    if (t.type !== "string") break;
    path.push(t.value);
  }
  return { path, suffix: terms.slice(i) };
}

function kindOf(rule: Rule, suffix: Term[]): GroupKind {
  if (suffix.length > 0) return "dynamic";
  if (rule.head.args) return "function";
  return rule.head.kind === "multi" ? "set" : "complete";
}

const show = (p: string[]) => p.join(".");

export function buildRuleTree(modules: Module[], diags: Diagnostic[]): { root: RuleNode; groups: RuleGroup[] } {
  const root = newNode(["data"]);
  const groups: RuleGroup[] = [];
  for (const mod of modules) {
    // A package is a document (an object) even when it has no rules.
    const pkg = mod.package.path.terms.map((t) => (t.type === "string" ? t.value : t.type === "var" ? t.name : ""));
    ensure(root, pkg).isPackage = true;
    for (const rule of mod.rules) {
      const { path, suffix } = splitHead(rule);
      const kind = kindOf(rule, suffix);
      const node = ensure(root, path);
      const slot = kind === "dynamic" ? "dynamic" : "static";
      let g = node[slot];
      if (!g) {
        g = { path, kind, rules: [] };
        if (kind === "function") g.arity = rule.head.args!.length;
        if (kind === "dynamic") g.suffixes = [];
        node[slot] = g;
        groups.push(g);
      } else if (g.kind !== kind) {
        const fn = g.kind === "function" || kind === "function";
        diags.push(diag(fn ? M.conflictFunctionRule : M.conflictSingleMulti, [show(path)], spanOf(rule.loc)));
        continue;
      } else if (kind === "function" && g.arity !== rule.head.args!.length) {
        diags.push(diag(M.conflictArity, [show(path), g.arity, rule.head.args!.length], spanOf(rule.loc)));
        continue;
      }
      if (rule.default) {
        if (g.default) diags.push(diag(M.multipleDefaults, [show(path)], spanOf(rule.loc)));
        else g.default = rule;
      } else {
        g.rules.push(rule);
        if (kind === "dynamic") g.suffixes!.push(suffix);
      }
    }
  }
  checkPrefixConflicts(root, diags);
  return { root, groups };
}

function checkPrefixConflicts(node: RuleNode, diags: Diagnostic[]): void {
  const s = node.static;
  if (s && (node.children.size > 0 || node.dynamic || node.isPackage)) {
    // A package declared at or below a complete rule conflicts with it even when it has no rules.
    const other = node.dynamic?.path ?? firstGroupBelow(node)?.path ?? node.children.values().next().value?.path ?? (node.isPackage ? node.path : undefined);
    if (other) {
      const r = s.rules[0] ?? s.default!;
      diags.push(diag(M.conflictPrefix, [show(s.path), show(other)], spanOf(r.loc)));
    }
  }
  for (const c of node.children.values()) checkPrefixConflicts(c, diags);
}

function firstGroupBelow(node: RuleNode): RuleGroup | undefined {
  for (const c of node.children.values()) {
    const g = c.static ?? c.dynamic ?? firstGroupBelow(c);
    if (g) return g;
  }
  return undefined;
}

/** Every group at or below `node`. */
export function groupsBelow(node: RuleNode, out: RuleGroup[] = []): RuleGroup[] {
  if (node.static) out.push(node.static);
  if (node.dynamic) out.push(node.dynamic);
  for (const c of node.children.values()) groupsBelow(c, out);
  return out;
}

/** True if any rule is defined at or below `node`. */
export function hasRules(node: RuleNode): boolean {
  if (node.static || node.dynamic) return true;
  for (const c of node.children.values()) if (hasRules(c)) return true;
  return false;
}
