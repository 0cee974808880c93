/**
 * The rewrite pass over one module: resolves imports and package-rule names to full `data` refs,
 * renames declared locals (`:=`, `some`, `every`) to unique names so nested scopes can shadow,
 * makes every `_` a distinct wildcard, desugars `some x in xs` / `some k, v in xs` into
 * unification against a ref, turns `:=` into `=`, and erases `print` calls (as OPA does when
 * print statements are disabled). It reports the local-variable errors OPA reports.
 */
import type { Body, Expr, Import, Module, RefTerm, Rule, TemplateStringTerm, Term, With } from "../rego/ast.js";
import type { Diagnostic } from "../../diagnostics/index.js";
import { diag } from "../../diagnostics/index.js";
import { CompilerMessages as M, spanOf } from "./diagnostics.js";
import { mkEqExpr, mkRef, mkStr, mkVar, refName, requiresEval, termString } from "./ast-util.js";

/** Names the compiler generates (never valid Rego identifiers): wildcards `$N`, renamed locals `$lN`. */
export function isGeneratedVar(name: string): boolean {
  return name.startsWith("$");
}

export interface NameGen {
  n: number;
  /** Renamed local → the name the user wrote (for messages and query results). */
  orig: Map<string, string>;
}

interface Scope {
  declared: Map<string, string>;
  seen: Set<string>;
  parent?: Scope;
}

export interface ModuleContext {
  pkgPath: string[];
  imports: Map<string, RefTerm>;
  ruleNames: Set<string>;
  regoVersion: "v0" | "v1";
  /**
   * Keep `print` calls, as `opa eval` does (`internal.print` of each operand's values as a set, so an
   * undefined operand prints `<undefined>`); otherwise they are erased, as `opa build` erases them.
   */
  enablePrint?: boolean;
  /**
   * Record `trace(msg)` notes (`opa test --explain notes`): each call becomes
   * `internal.policyc_note(msg, site)` with a constant `site` naming the call's position and its rule.
   */
  traceNotes?: boolean;
}

const KNOWN_KEYWORDS = new Set(["in", "every", "if", "contains"]);

/** Validates imports and returns alias → full ref. */
export function resolveImports(mod: Module, diags: Diagnostic[]): Map<string, RefTerm> {
  const out = new Map<string, RefTerm>();
  for (const imp of mod.imports) {
    const head = imp.path.terms[0];
    const headName = head?.type === "var" ? head.name : "";
    const name = refName(imp.path);
    if (headName === "future") {
      const kw = imp.path.terms[2];
      const ok =
        imp.path.terms[1]?.type === "string" &&
        (imp.path.terms[1] as { value: string }).value === "keywords" &&
        imp.path.terms.length <= 3 &&
        (!kw || (kw.type === "string" && KNOWN_KEYWORDS.has(kw.value)));
      if (!ok) diags.push(diag(M.unknownImport, [termString(imp.path)], spanOf(imp.loc)));
      continue;
    }
    if (headName === "rego") {
      if (name !== "rego.v1") diags.push(diag(M.unknownImport, [termString(imp.path)], spanOf(imp.loc)));
      continue;
    }
    if (headName !== "data" && headName !== "input") {
      diags.push(diag(M.unknownImport, [termString(imp.path)], spanOf(imp.loc)));
      continue;
    }
    const alias = imp.alias ?? aliasOf(imp);
    if (!alias) {
      diags.push(diag(M.unknownImport, [termString(imp.path)], spanOf(imp.loc)));
      continue;
    }
    if (out.has(alias) && mod.regoVersion === "v1") {
      diags.push(diag(M.duplicateImport, [termString(imp.path)], spanOf(imp.loc)));
    }
    out.set(alias, imp.path);
  }
  return out;
}

function aliasOf(imp: Import): string | undefined {
  const last = imp.path.terms[imp.path.terms.length - 1]!;
  if (imp.path.terms.length === 1 && last.type === "var") return last.name;
  return last.type === "string" ? last.value : undefined;
}

export class Rewriter {
  /** Renamed locals that were referenced after their declaration. */
  private used = new Set<string>();
  /** `some x` declarations of the rule being rewritten, checked for use at its end. */
  private someDecls: { renamed: string; term: Term }[] = [];
  /** The rule whose body is being rewritten (its path and head position), for trace notes. */
  private currentRule?: { path: string; file: string; row: number };

  constructor(
    private ctx: ModuleContext,
    private gen: NameGen,
    private diags: Diagnostic[],
  ) {}

  private fresh(prefix: "$" | "local"): string {
    const n = this.gen.n++;
    return prefix === "$" ? `$${n}` : `$l${n}`;
  }

  private lookup(scope: Scope | undefined, name: string): string | undefined {
    for (let s = scope; s; s = s.parent) {
      const r = s.declared.get(name);
      if (r !== undefined) {
        this.used.add(r);
        return r;
      }
    }
    return undefined;
  }

  private ruleRef(name: string, loc: Term["loc"]): RefTerm {
    return mkRef([mkVar("data", loc), ...this.ctx.pkgPath.map((p) => mkStr(p, loc)), mkStr(name, loc)], loc);
  }

  /** Resolves a var in term position: local, import alias, package rule, or body var. */
  private resolveVar(name: string, loc: Term["loc"], scope: Scope): Term {
    if (name === "_") return mkVar(this.fresh("$"), loc);
    const local = this.lookup(scope, name);
    if (local !== undefined) return mkVar(local, loc);
    const imp = this.ctx.imports.get(name);
    if (imp) return mkRef(imp.terms.map((t) => ({ ...t, loc })), loc);
    if (this.ctx.ruleNames.has(name)) return this.ruleRef(name, loc);
    if (name !== "input" && name !== "data") scope.seen.add(name);
    return mkVar(name, loc);
  }

  term(t: Term, scope: Scope): Term {
    switch (t.type) {
      case "var": {
        const r = this.resolveVar(t.name, t.loc, scope);
        return r.type === "ref" && r.terms.length === 1 ? r.terms[0]! : r;
      }
      case "ref": {
        const head = t.terms[0]!;
        const rest = t.terms.slice(1).map((x) => this.term(x, scope));
        const h = head.type === "var" ? this.resolveVar(head.name, head.loc, scope) : this.term(head, scope);
        if (h.type === "ref") return mkRef([...h.terms, ...rest], t.loc);
        return mkRef([h, ...rest], t.loc);
      }
      case "array": return { ...t, items: t.items.map((x) => this.term(x, scope)) };
      case "set": return { ...t, items: t.items.map((x) => this.term(x, scope)) };
      case "object": return { ...t, items: t.items.map(([k, v]) => [this.term(k, scope), this.term(v, scope)] as [Term, Term]) };
      case "call": return { ...t, operator: this.operator(t.operator, scope), args: t.args.map((a) => this.term(a, scope)) };
      case "templatestring": return this.templateString(t, scope);
      case "arraycomprehension":
      case "setcomprehension": {
        const inner: Scope = { declared: new Map(), seen: new Set(), parent: scope };
        const body = this.body(t.body, inner);
        return { ...t, body, term: this.liftComprehensionHead(this.term(t.term, inner), body) };
      }
      case "objectcomprehension": {
        const inner: Scope = { declared: new Map(), seen: new Set(), parent: scope };
        const body = this.body(t.body, inner);
        const key = this.liftComprehensionHead(this.term(t.key, inner), body);
        return { ...t, body, key, value: this.liftComprehensionHead(this.term(t.value, inner), body) };
      }
      default:
        return t;
    }
  }

  /**
   * A comprehension head that must be evaluated (`{t.a[_] | true}`, `[f(x) | ...]`) becomes a
   * var bound at the end of the body (`{$c | true; $c = t.a[_]}`), as OPA's compiler rewrites
   * comprehension terms, so iteration in the head enumerates and safety sees its vars.
   */
  private liftComprehensionHead(term: Term, body: Body): Term {
    if (!requiresEval(term)) return term;
    const v = mkVar(`$c${this.gen.n++}`, term.loc);
    body.push(mkEqExpr(v, term));
    return v;
  }

  /**
   * `$"a {x} b"` becomes `internal.template_string(["a", {v | v = x}, "b"])`: each interpolated
   * expression is collected in a set so an undefined part renders instead of failing the string.
   */
  private templateString(t: TemplateStringTerm, scope: Scope): Term {
    const items: Term[] = t.parts.map((p) => {
      if (p.type === "string") return p;
      const v = mkVar(this.fresh("$"), p.loc);
      const e: Expr =
        p.type === "expr"
          ? p.expr.kind === "term"
            ? { ...p, expr: { kind: "call", operator: mkRef([mkVar("eq", p.loc)], p.loc), args: [v, p.expr.term] }, generated: true }
            : p
          : { type: "expr", negated: false, expr: { kind: "call", operator: mkRef([mkVar("eq", p.loc)], p.loc), args: [v, p] }, with: [], generated: true, loc: p.loc };
      const comp: Term = { type: "setcomprehension", term: v, body: [e], loc: p.loc };
      return this.term(comp, scope);
    });
    return { type: "call", operator: mkRef([mkVar("internal", t.loc), mkStr("template_string", t.loc)], t.loc), args: [{ type: "array", items, loc: t.loc }], loc: t.loc };
  }

  /** Function names: imports and package rules become `data` refs; built-ins stay as written. */
  operator(op: RefTerm, scope: Scope): RefTerm {
    const head = op.terms[0];
    if (head?.type !== "var") return this.term(op, scope) as RefTerm;
    const rest = op.terms.slice(1).map((x) => this.term(x, scope));
    const imp = this.ctx.imports.get(head.name);
    if (imp && this.lookup(scope, head.name) === undefined) return mkRef([...imp.terms.map((t) => ({ ...t, loc: op.loc })), ...rest], op.loc);
    if (this.ctx.ruleNames.has(head.name) && this.lookup(scope, head.name) === undefined) {
      return mkRef([...this.ruleRef(head.name, op.loc).terms, ...rest], op.loc);
    }
    return mkRef([head, ...rest], op.loc);
  }

  private declare(t: Term, scope: Scope, how: "assign" | "some"): Term {
    switch (t.type) {
      case "var": {
        if (t.name === "_") return mkVar(this.fresh("$"), t.loc);
        // OPA rejects a local named `input` or `data` only in v1 (and in strict mode); v0 lets a
        // local shadow the global for the rest of its scope.
        if ((t.name === "input" || t.name === "data") && this.ctx.regoVersion === "v1") {
          this.diags.push(diag(M.shadowGlobal, [t.name], spanOf(t.loc)));
          return t;
        }
        if (scope.declared.has(t.name)) {
          this.diags.push(diag(M.assignedAbove, [t.name], spanOf(t.loc)));
          this.used.add(scope.declared.get(t.name)!);
          return mkVar(scope.declared.get(t.name)!, t.loc);
        }
        if (scope.seen.has(t.name)) {
          this.diags.push(diag(M.referencedAbove, [t.name], spanOf(t.loc)));
        }
        const n = this.fresh("local");
        this.gen.orig.set(n, t.name);
        scope.declared.set(t.name, n);
        return mkVar(n, t.loc);
      }
      case "array": return { ...t, items: t.items.map((x) => this.declare(x, scope, how)) };
      case "object": return { ...t, items: t.items.map(([k, v]) => [this.term(k, scope), this.declare(v, scope, how)] as [Term, Term]) };
      case "null": case "boolean": case "number": case "string":
        return t;
      case "ref":
        if (t.terms.length === 1 && t.terms[0]!.type === "var") return this.declare(t.terms[0]!, scope, how);
        if (how === "assign") {
          this.diags.push(diag(M.assignToNonVar, [termString(t)], spanOf(t.loc)));
          return t;
        }
        return this.term(t, scope);
      default:
        if (how === "assign") {
          this.diags.push(diag(M.assignToNonVar, [termString(t)], spanOf(t.loc)));
          return t;
        }
        return this.term(t, scope);
    }
  }

  body(body: Body, scope: Scope): Body {
    const out: Body = [];
    for (const e of body) {
      for (const r of this.expr(e, scope)) out.push(r);
    }
    return out;
  }

  private withs(ws: With[], scope: Scope): With[] {
    return ws.map((w) => {
      const target = w.target;
      const head = target.terms[0];
      let resolved: RefTerm;
      if (head?.type === "var" && (head.name === "input" || head.name === "data")) {
        resolved = mkRef([head, ...target.terms.slice(1).map((x) => this.term(x, scope))], target.loc);
      } else {
        resolved = this.operator(target, scope);
      }
      return { ...w, target: resolved, value: this.term(w.value, scope) };
    });
  }

  private expr(e: Expr, scope: Scope): Expr[] {
    const x = e.expr;
    switch (x.kind) {
      case "some": {
        const out: Expr[] = [];
        for (const sym of x.symbols) {
          if (sym.type === "var") {
            const d = this.declare(sym, scope, "some");
            if (d.type === "var" && d.name !== sym.name) this.someDecls.push({ renamed: d.name, term: sym });
            continue;
          }
          if (sym.type === "call") {
            const name = refName(sym.operator);
            if (name === "internal.member_2" || name === "internal.member_3") {
              const domain = this.term(sym.args[sym.args.length - 1]!, scope);
              const key = name === "internal.member_3" ? this.declare(sym.args[0]!, scope, "some") : mkVar(this.fresh("$"), sym.loc);
              const val = this.declare(sym.args[name === "internal.member_3" ? 1 : 0]!, scope, "some");
              const elem = domain.type === "ref" ? mkRef([...domain.terms, key], sym.loc) : mkRef([domain, key], sym.loc);
              out.push({
                type: "expr",
                negated: e.negated,
                expr: { kind: "call", operator: mkRef([mkVar("eq", sym.loc)], sym.loc), args: [val, elem] },
                with: this.withs(e.with, scope),
                generated: true,
                loc: e.loc,
              });
              continue;
            }
          }
          this.diags.push(diag(M.someMisuse, [`unexpected some declaration ${termString(sym)}: expected vars or a membership (x in xs)`], spanOf(sym.loc)));
        }
        return out;
      }
      case "every": {
        const domain = this.term(x.domain, scope);
        const inner: Scope = { declared: new Map(), seen: new Set(), parent: scope };
        for (const kv of [x.key, x.value]) {
          if (kv && kv.type !== "var") this.diags.push(diag(M.everyMisuse, [`every key and value must be vars, found ${termString(kv)}`], spanOf(kv.loc)));
        }
        const key = x.key ? this.declare(x.key, inner, "some") : undefined;
        const value = this.declare(x.value, inner, "some");
        const body = this.body(x.body, inner);
        const ex: Expr = { ...e, expr: { kind: "every", value, domain, body }, with: this.withs(e.with, scope) };
        if (key && ex.expr.kind === "every") ex.expr.key = key;
        return [ex];
      }
      case "term":
        return [{ ...e, expr: { kind: "term", term: this.term(x.term, scope) }, with: this.withs(e.with, scope) }];
      case "call": {
        const name = refName(x.operator);
        if ((name === "print" || name === "internal.print") && !this.ctx.enablePrint) {
          return [{ ...e, negated: false, expr: { kind: "term", term: { type: "boolean", value: true, loc: e.loc } }, with: [], generated: true }];
        }
        // With prints kept, `internal.print(...)` (printCall's output) is an ordinary built-in call.
        if (name === "print") return this.expr(printCall(x.args, e, this.gen), scope);
        if (name === "trace" && x.args.length === 1 && this.ctx.traceNotes) {
          const site = noteSite(e, this.currentRule);
          return [{ ...e, expr: { kind: "call", operator: mkRef([mkVar("internal", x.operator.loc), mkStr("policyc_note", x.operator.loc)], x.operator.loc), args: [this.term(x.args[0]!, scope), site] }, with: this.withs(e.with, scope) }];
        }
        if (name === "assign" && x.args.length === 2) {
          const rhs = this.term(x.args[1]!, scope);
          const lhs = this.declare(x.args[0]!, scope, "assign");
          return [{ ...e, expr: { kind: "call", operator: mkRef([mkVar("eq", x.operator.loc)], x.operator.loc), args: [lhs, rhs] }, with: this.withs(e.with, scope) }];
        }
        return [{ ...e, expr: { kind: "call", operator: this.operator(x.operator, scope), args: x.args.map((a) => this.term(a, scope)) }, with: this.withs(e.with, scope) }];
      }
    }
  }

  /** Rewrites one rule (and its else chain). Head refs become full `data` refs. */
  rule(rule: Rule, args?: Term[]): Rule {
    const out = this.ruleInner(rule, args);
    this.checkSomeUsed();
    return out;
  }

  private checkSomeUsed(): void {
    for (const d of this.someDecls) {
      if (!this.used.has(d.renamed) && d.term.type === "var") this.diags.push(diag(M.declaredUnused, [d.term.name], spanOf(d.term.loc)));
    }
    this.someDecls = [];
  }

  private ruleInner(rule: Rule, args?: Term[]): Rule {
    const scope: Scope = { declared: new Map(), seen: new Set() };
    const headArgs = (args ?? rule.head.args)?.map((a) => this.argTerm(a, scope));
    const outer = this.currentRule;
    if (this.ctx.traceNotes) this.currentRule = { path: rulePath(this.ctx.pkgPath, rule), file: rule.loc.file, row: rule.loc.row };
    const body = this.body(rule.body, scope);
    this.currentRule = outer;
    const h = rule.head;
    const ref = h.ref;
    const first = ref.terms[0]!;
    const rest = ref.terms.slice(1).map((t) => this.term(t, scope));
    const name = first.type === "var" ? first.name : "";
    const full = mkRef([...this.ruleRef(name, ref.loc).terms, ...rest], ref.loc);
    const head = { ...h, ref: full };
    if (headArgs) head.args = headArgs;
    if (h.key) head.key = this.term(h.key, scope);
    if (h.value) head.value = this.term(h.value, scope);
    const out: Rule = { ...rule, head, body };
    if (rule.else) out.else = this.ruleInner(rule.else, args ?? rule.head.args);
    return out;
  }

  private argTerm(t: Term, scope: Scope): Term {
    if (t.type === "var") {
      if (t.name === "_") return mkVar(this.fresh("$"), t.loc);
      scope.declared.set(t.name, t.name);
      return t;
    }
    if (t.type === "array") return { ...t, items: t.items.map((x) => this.argTerm(x, scope)) };
    if (t.type === "object") return { ...t, items: t.items.map(([k, v]) => [this.term(k, scope), this.argTerm(v, scope)] as [Term, Term]) };
    return this.term(t, scope);
  }

  /** Rewrites a query body; returns it with a map from renamed locals back to the user's names. */
  query(body: Body): { body: Body; names: Map<string, string> } {
    const scope: Scope = { declared: new Map(), seen: new Set() };
    const out = this.body(body, scope);
    this.checkSomeUsed();
    const names = new Map<string, string>();
    for (const [orig, renamed] of scope.declared) names.set(renamed, orig);
    return { body: out, names };
  }
}

/** A rule's path as OPA's trace names it: the package, then the head's ground prefix. */
function rulePath(pkgPath: string[], rule: Rule): string {
  let out = "data" + pkgPath.map(pathSegment).join("");
  const [first, ...rest] = rule.head.ref.terms;
  if (first?.type === "var") out += pathSegment(first.name);
  for (const t of rest) {
    if (t.type !== "string") break;
    out += pathSegment(t.value);
  }
  return out;
}

function pathSegment(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
}

/** The constant `site` argument of a trace note: the call's position and the rule around it. */
function noteSite(e: Expr, rule: { path: string; file: string; row: number } | undefined): Term {
  const loc = e.loc;
  const entry = (k: string, v: Term): [Term, Term] => [mkStr(k, loc), v];
  const num = (n: number): Term => ({ type: "number", value: String(n), loc }) as Term;
  return {
    type: "object",
    items: [
      entry("file", mkStr(loc.file, loc)),
      entry("row", num(loc.row)),
      entry("rule", mkStr(rule?.path ?? "", loc)),
      entry("rule_file", mkStr(rule?.file ?? loc.file, loc)),
      entry("rule_row", num(rule?.row ?? loc.row)),
    ],
    loc,
  };
}

/** `print(a, b)` → `internal.print([{__p0 | __p0 := a}, {__p1 | __p1 := b}])`, as OPA rewrites it. */
function printCall(args: Term[], e: Expr, gen: NameGen): Expr {
  const loc = e.loc;
  const sets: Term[] = args.map((arg) => {
    const v = mkVar(`__print${gen.n++}__`, arg.loc);
    const assign: Expr = { type: "expr", negated: false, expr: { kind: "call", operator: mkRef([mkVar("assign", arg.loc)], arg.loc), args: [v, arg] }, with: [], loc: arg.loc };
    return { type: "setcomprehension", term: v, body: [assign], loc: arg.loc };
  });
  return { ...e, negated: false, expr: { kind: "call", operator: mkRef([mkVar("internal", loc), mkStr("print", loc)], loc), args: [{ type: "array", items: sets, loc }] } };
}
