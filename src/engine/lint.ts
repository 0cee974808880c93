/**
 * A Rego linter for the Rego policyc emits (templates compiled from TypeScript, the Deckhouse pack's
 * Rego): the rules of Regal's documented rule set that apply to generated code, checked on the
 * parsed module. The test suite runs it over every emitted template and fails on any finding, so the
 * output stays what a Rego expert would sign.
 *
 * Rules (Regal category/name; what is flagged here):
 * - bugs/rule-shadows-builtin: a rule or function named like a built-in (`count`, `startswith`).
 * - bugs/var-shadows-builtin: a local variable (assigned, declared with `some`, a function argument)
 *   named like a built-in or a built-in namespace (`all`, `count`, `object`, `regex`).
 * - bugs/unused-output-variable: a variable bound by `some k, v in x` or by a ref `x[k]` that
 *   nothing else in the rule uses (write `_`).
 * - bugs/redundant-existence-check: a bare reference checked for existence right before a
 *   non-negated expression that uses it anyway (`input.x; input.x == 1`), or a variable checked
 *   right after its own assignment (`s := f(x); s`).
 * - bugs/not-equals-in-loop: `!=` against a ref that iterates (`x[_] != y`).
 * - bugs/constant-condition: a comparison of two constants (`1 == 1`).
 * - bugs/rule-named-if: a rule named `if`.
 * - style/use-assignment-operator: a rule head or `else` assigning with `=` instead of `:=`.
 * - style/prefer-snake-case: rule, function and variable names not in snake_case.
 * - style/avoid-get-and-list-prefix: rules and functions named `get_…` or `list_…`.
 * - style/no-whitespace-comment: a comment not starting with a space (`#x`).
 * - idiomatic/use-in-operator: `x == y[_]` instead of `x in y`.
 * - idiomatic/non-raw-regex-pattern: a regex built-in given a pattern with escapes in a "…" string
 *   instead of a raw `…` string.
 * Two more for machine noise Regal has no rule for: a wildcard unification `_ = x` (write a
 * membership or `object.keys` test), and helpers named only `condition`/`helper` (name what they test).
 * Not applied (they flag what generated code legitimately does or what `opa fmt` already fixes):
 * line-length, rule-length, opa-fmt, prefer-some-in-iteration on raw pack Rego, messy-rule.
 */
import type { Body, Comment, Expr, Module, Rule, Term } from "./rego/ast.js";
import { refName, termString } from "./compiler/ast-util.js";
import { BUILTINS } from "./compiler/builtins-table.js";

export interface LintFinding {
  rule: string;
  message: string;
  row: number;
  col: number;
}

const SNAKE = /^_?[a-z][a-z0-9_]*$|^_$/;
const COMPARISONS = new Set(["equal", "neq", "lt", "lte", "gt", "gte"]);
const REGEX_BUILTINS = new Set(["regex.match", "regex.is_valid", "regex.split", "regex.find_n", "regex.find_all_string_submatch_n", "regex.replace", "regex.globs_match", "regex.template_match"]);

/** Built-in names and namespaces a variable must not take. */
const BUILTIN_NAMES: ReadonlySet<string> = (() => {
  const out = new Set<string>();
  for (const name of BUILTINS.keys()) {
    if (name.startsWith("internal.")) continue;
    out.add(name);
    if (name.includes(".")) out.add(name.split(".")[0]!);
  }
  return out;
})();

export function lintModule(m: Module): LintFinding[] {
  const out: LintFinding[] = [];
  const at = (rule: string, message: string, loc: { row: number; col: number }) => out.push({ rule, message, row: loc.row, col: loc.col });
  for (const c of m.comments) lintComment(c, at);
  for (const r of m.rules) lintRule(r, at);
  return out.sort((a, b) => a.row - b.row || a.col - b.col || (a.rule < b.rule ? -1 : 1));
}

type At = (rule: string, message: string, loc: { row: number; col: number }) => void;

function lintComment(c: Comment, at: At): void {
  if (c.text !== "" && !/^[ \t#]/.test(c.text) && !c.text.startsWith("!")) at("style/no-whitespace-comment", `comment \`#${c.text.slice(0, 20)}\` should start with a space`, c.loc);
}

function lintRule(r: Rule, at: At): void {
  const root = r.head.ref.terms[0];
  const name = root?.type === "var" ? root.name : "";
  if (r.head.ref.terms.length === 1 && BUILTIN_NAMES.has(name) && BUILTINS.has(name)) at("bugs/rule-shadows-builtin", `rule \`${name}\` shadows the built-in \`${name}\``, r.loc);
  if (name === "if") at("bugs/rule-named-if", "a rule named `if`", r.loc);
  if (!SNAKE.test(name)) at("style/prefer-snake-case", `rule \`${name}\` is not snake_case`, r.loc);
  if (/^(get|list)_/.test(name)) at("style/avoid-get-and-list-prefix", `rule \`${name}\`: name what it is, without \`get_\`/\`list_\``, r.loc);
  if (/^(condition|helper)\d*$/.test(name)) at("policyc/helper-name", `helper \`${name}\` does not say what it tests`, r.loc);
  for (let x: Rule | undefined = r; x; x = x.else) {
    if (x.head.value && !x.head.assign && !r.default && !(x !== r && x.head.value === undefined)) {
      at("style/use-assignment-operator", `${x === r ? `rule \`${name}\`` : "`else`"} assigns with \`=\`; use \`:=\``, x.head.loc);
    }
  }
  for (const a of r.head.args ?? []) for (const v of varsIn(a)) checkVarName(v, at);
  const used = countVars(r);
  for (let x: Rule | undefined = r; x; x = x.else) lintBody(x.body, used, at);
}

function checkVarName(v: Term & { type: "var" }, at: At): void {
  if (v.name === "_" || v.name.startsWith("__")) return;
  if (BUILTIN_NAMES.has(v.name)) at("bugs/var-shadows-builtin", `variable \`${v.name}\` shadows the built-in \`${v.name}\``, v.loc);
  if (!SNAKE.test(v.name)) at("style/prefer-snake-case", `variable \`${v.name}\` is not snake_case`, v.loc);
}

function lintBody(body: Body, used: Map<string, number>, at: At): void {
  for (const [i, e] of body.entries()) {
    lintExpr(e, used, at);
    const next = body[i + 1];
    const prev = body[i - 1];
    const x = e.expr;
    if (!e.negated && e.with.length === 0 && x.kind === "term") {
      const t = x.term;
      if (t.type === "ref" && next && requiresRef(next, t)) at("bugs/redundant-existence-check", `\`${show(t)}\` is checked for existence and then used`, e.loc);
      if (t.type === "var" && prev && assigns(prev, t.name)) at("bugs/redundant-existence-check", `\`${t.name}\` is checked right after its assignment`, e.loc);
    }
  }
}

function lintExpr(e: Expr, used: Map<string, number>, at: At): void {
  const x = e.expr;
  if (x.kind === "some") {
    for (const s of x.symbols) {
      if (s.type === "call" && (refName(s.operator) === "internal.member_2" || refName(s.operator) === "internal.member_3")) {
        const outs = s.args.slice(0, -1);
        for (const o of outs) for (const v of varsIn(o)) {
          checkVarName(v, at);
          if (v.name !== "_" && (used.get(v.name) ?? 0) <= 1) at("bugs/unused-output-variable", `\`${v.name}\` is bound by \`some … in\` and never used; write \`_\``, v.loc);
        }
        lintTerm(s.args[s.args.length - 1]!, used, at);
      } else if (s.type === "var") checkVarName(s, at);
    }
    return;
  }
  if (x.kind === "every") {
    if (x.key) for (const v of varsIn(x.key)) checkVarName(v, at);
    for (const v of varsIn(x.value)) checkVarName(v, at);
    lintTerm(x.domain, used, at);
    lintBody(x.body, used, at);
    return;
  }
  if (x.kind === "call") {
    const op = refName(x.operator) ?? "";
    if (op === "assign") for (const v of varsIn(x.args[0]!)) checkVarName(v, at);
    if (op === "eq" && x.args[0]?.type === "var" && x.args[0].name === "_") at("policyc/wildcard-unification", `\`_ = ${show(x.args[1]!)}\` only tests that the value exists; say so (\`"key" in object.keys(…)\`)`, e.loc);
    lintCall(op, x.args, e.loc, at);
    x.args.forEach((a) => lintTerm(a, used, at));
    return;
  }
  lintTerm(x.term, used, at);
}

function lintCall(op: string, args: Term[], loc: { row: number; col: number }, at: At): void {
  if (COMPARISONS.has(op) && args.length === 2 && args.every(isConstant)) at("bugs/constant-condition", `comparison of two constants (${show(args[0]!)}, ${show(args[1]!)})`, loc);
  if (op === "neq" && args.some(iterates)) at("bugs/not-equals-in-loop", "`!=` against an iterating reference is true for any other element; use `not … in …` or a helper", loc);
  if (op === "equal" && args.some(iterates)) at("idiomatic/use-in-operator", "`x == y[_]`: write `x in y`", loc);
  if (REGEX_BUILTINS.has(op)) {
    const p = args[0];
    if (p?.type === "string" && !p.raw && p.value.includes("\\")) at("idiomatic/non-raw-regex-pattern", "regex pattern with escapes in a \"…\" string; use a raw `…` string", p.loc);
  }
}

function lintTerm(t: Term, used: Map<string, number>, at: At): void {
  switch (t.type) {
    case "ref":
      t.terms.forEach((x, i) => {
        if (i > 0 && x.type === "var" && x.name !== "_" && !x.name.startsWith("__") && (used.get(x.name) ?? 0) <= 1) {
          at("bugs/unused-output-variable", `\`${x.name}\` is bound by \`${show(t)}\` and never used; write \`_\``, x.loc);
        }
        if (i > 0 || x.type !== "var") lintTerm(x, used, at);
      });
      return;
    case "array": case "set": t.items.forEach((x) => lintTerm(x, used, at)); return;
    case "object": t.items.forEach(([k, v]) => { lintTerm(k, used, at); lintTerm(v, used, at); }); return;
    case "call": lintCall(refName(t.operator) ?? "", t.args, t.loc, at); t.args.forEach((x) => lintTerm(x, used, at)); return;
    case "arraycomprehension": case "setcomprehension": lintTerm(t.term, used, at); lintBody(t.body, used, at); return;
    case "objectcomprehension": lintTerm(t.key, used, at); lintTerm(t.value, used, at); lintBody(t.body, used, at); return;
    case "templatestring": t.parts.forEach((p) => (p.type === "expr" ? lintExpr(p, used, at) : lintTerm(p, used, at))); return;
    default: return;
  }
}

/** How often each variable name occurs in a rule (head, args, bodies, else branches). */
function countVars(r: Rule): Map<string, number> {
  const n = new Map<string, number>();
  const term = (t: Term | Expr): void => {
    switch (t.type) {
      case "var": n.set(t.name, (n.get(t.name) ?? 0) + 1); return;
      case "ref": t.terms.forEach(term); return;
      case "array": case "set": t.items.forEach(term); return;
      case "object": t.items.forEach(([k, v]) => { term(k); term(v); }); return;
      case "call": term(t.operator); t.args.forEach(term); return;
      case "arraycomprehension": case "setcomprehension": term(t.term); body(t.body); return;
      case "objectcomprehension": term(t.key); term(t.value); body(t.body); return;
      case "templatestring": t.parts.forEach(term); return;
      case "expr": expr(t); return;
      default: return;
    }
  };
  const expr = (e: Expr): void => {
    const x = e.expr;
    if (x.kind === "term") term(x.term);
    else if (x.kind === "call") x.args.forEach(term);
    else if (x.kind === "some") x.symbols.forEach(term);
    else { if (x.key) term(x.key); term(x.value); term(x.domain); body(x.body); }
    for (const w of e.with) term(w.value);
  };
  const body = (b: Body) => b.forEach(expr);
  for (let x: Rule | undefined = r; x; x = x.else) {
    x.head.ref.terms.slice(1).forEach(term);
    x.head.args?.forEach(term);
    if (x.head.key) term(x.head.key);
    if (x.head.value) term(x.head.value);
    body(x.body);
  }
  return n;
}

function varsIn(t: Term): (Term & { type: "var" })[] {
  if (t.type === "var") return [t];
  if (t.type === "array" || t.type === "set") return t.items.flatMap(varsIn);
  if (t.type === "object") return t.items.flatMap(([, v]) => varsIn(v));
  return [];
}

function isConstant(t: Term): boolean {
  return t.type === "null" || t.type === "boolean" || t.type === "number" || t.type === "string";
}

function iterates(t: Term): boolean {
  return t.type === "ref" && t.terms.slice(1).some((x) => x.type === "var" && x.name === "_");
}

function assigns(e: Expr, name: string): boolean {
  const x = e.expr;
  if (x.kind !== "call" || e.negated) return false;
  const op = refName(x.operator);
  return (op === "assign" || op === "eq") && x.args[0]?.type === "var" && x.args[0].name === name;
}

/**
 * Whether expression `e` is undefined whenever `ref` is: it uses the ref (or a longer path through
 * it) as a direct operand and is not negated. Then checking `ref` for existence just before `e` is
 * redundant (a `not` would turn the missing value into success, so the check matters there).
 */
export function requiresRef(e: Expr, ref: Term): boolean {
  if (e.negated || e.with.length > 0) return false;
  const key = termString(ref);
  const direct = (t: Term): boolean => {
    if (t.type === "ref") {
      const s = termString(t);
      return s === key || s.startsWith(`${key}.`) || s.startsWith(`${key}[`) || t.terms.slice(1).some(direct);
    }
    if (t.type === "call") return t.args.some(direct);
    return false;
  };
  const x = e.expr;
  if (x.kind === "call") return x.args.some(direct);
  if (x.kind === "term") return direct(x.term);
  return false;
}

function show(t: Term): string {
  switch (t.type) {
    case "var": return t.name;
    case "string": return JSON.stringify(t.value);
    case "number": return t.value;
    case "boolean": return String(t.value);
    case "null": return "null";
    case "ref": return t.terms.map((x, i) => (i === 0 ? show(x) : x.type === "string" ? `.${x.value}` : `[${show(x)}]`)).join("");
    case "call": return `${refName(t.operator) ?? "f"}(…)`;
    default: return "…";
  }
}
