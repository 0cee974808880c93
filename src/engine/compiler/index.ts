/**
 * The Rego compiler: checks and rewrites that change meaning or reject programs, between the
 * parser and the planner. `compileModules` returns a `CompiledPolicy`: rewritten modules (full
 * refs, renamed locals, desugared `some`/`in`/`:=`, bodies reordered for safety) and the rule tree
 * of `data`. `compileQuery` does the same for an ad-hoc query against a compiled policy.
 */
import type { Body, Module, Rule, Term } from "../rego/ast.js";
import type { Diagnostic } from "../../diagnostics/index.js";
import { DiagnosticError, diag, hasErrors } from "../../diagnostics/index.js";
import { CompilerMessages as M, spanOf } from "./diagnostics.js";
import { Rewriter, resolveImports, type ModuleContext, type NameGen } from "./rewrite.js";
import { checkHeadSafe, reorderBody, type SafetyContext } from "./safety.js";
import { indexComprehensions } from "./comprehension-index.js";
import { buildRuleTree, nodeAt, type RuleGroup, type RuleNode } from "./ruletree.js";
import { checkDataConflicts } from "./data-conflicts.js";
import { checkCalls, checkRecursion, walkRule } from "./checks.js";
import { isGround, mkEqExpr, refName, requiresEval, termString } from "./ast-util.js";
import { lookupBuiltin, type BuiltinInfo } from "./builtins-table.js";
import { hoistNegatedOperands } from "./dynamics.js";
import { liftWithValues, liftWithValuesInRule } from "./with-values.js";
import { collectAnnotations, rewriteMetadataCalls, type AnnotationIndex } from "./metadata.js";

export type { RuleGroup, RuleNode } from "./ruletree.js";
export { isGeneratedVar } from "./rewrite.js";

export interface CompileOptions {
  /** Overrides each module's own `regoVersion` when set. */
  regoVersion?: "v0" | "v1";
  /** Extra built-ins the host provides (name and arity), beyond OPA's. */
  extraBuiltins?: { name: string; arity: number }[];
  /** Keep `print` calls (as `opa eval`); by default they are erased (as `opa build`). */
  enablePrint?: boolean;
  /** Record `trace(msg)` notes with their position and rule (`opa test --explain notes`). */
  traceNotes?: boolean;
  /**
   * The base documents the policy will run with, when known at compile time (`opa test`, `eval -d`):
   * a rule whose path holds base data is refused, as OPA's path-conflicts check refuses it.
   */
  baseData?: unknown;
}

export interface CompiledPolicy {
  modules: Module[];
  root: RuleNode;
  groups: RuleGroup[];
  /** Shared name generator so later query compilation never clashes with rule locals. */
  gen: NameGen;
  /** Whether `print` calls were kept; queries compiled against this policy follow it. */
  enablePrint?: boolean;
  /** Caller-registered built-ins (from `CompileOptions.extraBuiltins`). */
  extraBuiltins: ReadonlyMap<string, BuiltinInfo>;
}

export interface CompiledQuery {
  body: Body;
  /** Renamed locals → the names the user wrote (`x := 1` in a query binds `x`). */
  names: Map<string, string>;
}

function pkgPath(mod: Module): string[] {
  return mod.package.path.terms.slice(1).map((t) => (t.type === "string" ? t.value : t.type === "var" ? t.name : termString(t)));
}

function ruleName(r: Rule): string {
  const t = r.head.ref.terms[0]!;
  return t.type === "var" ? t.name : "";
}

function safetyContext(root: RuleNode | undefined, diags: Diagnostic[], gen: NameGen, version: "v0" | "v1", extra?: ReadonlyMap<string, BuiltinInfo>): SafetyContext {
  return {
    diags,
    orig: gen.orig,
    arity(name) {
      if (name.startsWith("data.")) {
        if (!root) return undefined;
        const g = nodeAt(root, name.split("."))?.static;
        return g?.kind === "function" ? g.arity : undefined;
      }
      const b = lookupBuiltin(name, version, extra);
      return b && b.arity >= 0 ? b.arity : undefined;
    },
  };
}

function checkRuleShape(mod: Module, rule: Rule, diags: Diagnostic[]): void {
  const name = ruleName(rule);
  if ((name === "input" || name === "data") && mod.regoVersion === "v1") diags.push(diag(M.reservedRuleName, [name], spanOf(rule.loc)));
  if (rule.default) {
    const full = [...pkgPath(mod), name].join(".");
    if (rule.body.length > 0) diags.push(diag(M.defaultWithBody, [full], spanOf(rule.loc)));
    const v = rule.head.value;
    if (v && !isGround(v)) {
      let first = "";
      const walk = (t: Term): void => {
        if (first) return;
        if (t.type === "var") first = t.name;
        else if (t.type === "array" || t.type === "set") t.items.forEach(walk);
        else if (t.type === "object") t.items.forEach(([k, x]) => { walk(k); walk(x); });
        else if (t.type === "ref") walk(t.terms[0]!);
      };
      walk(v);
      if (first) diags.push(diag(M.defaultWithVars, [full, first], spanOf(v.loc)));
    }
    for (const a of rule.head.args ?? []) if (a.type !== "var") diags.push(diag(M.defaultFunctionVars, [full], spanOf(a.loc)));
  }
}

/**
 * Like OPA, head terms that must be evaluated (refs, calls, comprehensions) move into the body as
 * `__localN__ = term`, so that iteration in a head (`q := xs[_]`) and safety work as in bodies.
 */
function liftHeadTerms(rule: Rule, gen: NameGen): Rule {
  if (rule.default) return rule;
  const extra: Body = [];
  const lift = (t: Term): Term => {
    if (!requiresEval(t)) return t;
    const v: Term = { type: "var", name: `$h${gen.n++}`, loc: t.loc };
    extra.push(mkEqExpr(v, t));
    return v;
  };
  const head = { ...rule.head };
  head.ref = { ...head.ref, terms: head.ref.terms.map((t, i) => (i === 0 || t.type === "string" ? t : lift(t))) };
  if (head.args) head.args = head.args.map(lift);
  if (head.key) head.key = lift(head.key);
  if (head.value) head.value = lift(head.value);
  const out: Rule = { ...rule, head, body: [...rule.body, ...extra] };
  if (rule.else) out.else = liftHeadTerms(rule.else, gen);
  return out;
}

/** Reorders a rule's bodies (and else chain) for safety and checks its head is bound. */
function safeRule(rule: Rule, ctx: SafetyContext, gen: NameGen): Rule {
  const args = rule.head.args ?? [];
  const safe = new Set<string>();
  for (const a of args) for (const v of varsIn(a)) safe.add(v);
  const headTerms: Term[] = [...rule.head.ref.terms.slice(1)];
  if (rule.head.key) headTerms.push(rule.head.key);
  if (rule.head.value) headTerms.push(rule.head.value);
  const r = reorderBody(rule.body, safe, new Set(), ctx, [...headTerms, ...args]);
  checkHeadSafe(headTerms, r.safe, ctx);
  const body = hoistNegatedOperands(r.body, gen, { rewriteEquals: true });
  const out: Rule = { ...rule, body: indexComprehensions(body, args, ctx) };
  if (rule.else) out.else = safeRule(rule.else, ctx, gen);
  return out;
}

function varsIn(t: Term): string[] {
  const out: string[] = [];
  const walk = (x: Term): void => {
    if (x.type === "var") out.push(x.name);
    else if (x.type === "array" || x.type === "set") x.items.forEach(walk);
    else if (x.type === "object") x.items.forEach(([k, v]) => { walk(k); walk(v); });
    else if (x.type === "ref") x.terms.forEach(walk);
  };
  walk(t);
  return out;
}

export function compileModules(modules: Module[], opts: CompileOptions = {}): CompiledPolicy {
  const diags: Diagnostic[] = [];
  const gen: NameGen = { n: 0, orig: new Map() };
  const extra = new Map<string, BuiltinInfo>((opts.extraBuiltins ?? []).map((b) => [b.name, { name: b.name, arity: b.arity }]));
  const rewritten: Module[] = [];
  const annotations: AnnotationIndex = { byModule: new Map() };
  for (const m of modules) annotations.byModule.set(m, collectAnnotations(m));
  // A package may be spread over several modules: every rule of the package is visible, by its
  // name, in each of them (imports stay per module).
  const packageRules = new Map<string, Set<string>>();
  for (const m of modules) {
    const key = pkgPath(m).join("\u0000");
    const names = packageRules.get(key) ?? new Set<string>();
    for (const r of m.rules) names.add(ruleName(r));
    packageRules.set(key, names);
  }
  for (const mod0 of modules) {
    const mod = opts.regoVersion ? { ...mod0, regoVersion: opts.regoVersion } : mod0;
    const imports = resolveImports(mod, diags);
    const ctx: ModuleContext = {
      pkgPath: pkgPath(mod),
      imports,
      ruleNames: packageRules.get(pkgPath(mod).join("\u0000"))!,
      regoVersion: mod.regoVersion,
      enablePrint: opts.enablePrint === true,
      traceNotes: opts.traceNotes === true,
    };
    const rw = new Rewriter(ctx, gen, diags);
    const rules: Rule[] = [];
    for (const rule of mod.rules) {
      checkRuleShape(mod, rule, diags);
      rules.push(liftHeadTerms(rewriteMetadataCalls(rw.rule(rule), rule, mod0, annotations), gen));
    }
    rewritten.push({ ...mod, rules });
  }
  const { root } = buildRuleTree(rewritten, diags);
  if (opts.baseData !== undefined) checkDataConflicts(root, opts.baseData, diags);
  const version = (m: Module) => m.regoVersion;
  for (const mod of rewritten) {
    const wctx = { root, gen, regoVersion: version(mod), extra };
    mod.rules = mod.rules.map((r) => liftWithValuesInRule(r, wctx));
  }
  for (const mod of rewritten) {
    const sctx = safetyContext(root, diags, gen, version(mod), extra);
    mod.rules = mod.rules.map((r) => safeRule(r, sctx, gen));
  }
  for (const mod of rewritten) {
    for (const r of mod.rules) checkCalls(r, root, version(mod), diags, extra);
  }
  // The tree was built before safety reordering; rebuild it from the final rules.
  const final = buildRuleTree(rewritten, []);
  checkRecursion(final.groups, final.root, diags);
  if (hasErrors(diags)) throw new DiagnosticError(dedupe(diags));
  return { modules: rewritten, root: final.root, groups: final.groups, gen, extraBuiltins: extra, enablePrint: opts.enablePrint === true };
}

/**
 * Compiles a query (`data.test.p = x`) against a compiled policy. `pkg` gives the package whose
 * rules and imports unqualified names resolve against (none by default).
 */
export function compileQuery(policy: CompiledPolicy, body: Body, opts: { regoVersion?: "v0" | "v1"; file?: string } = {}): CompiledQuery {
  const diags: Diagnostic[] = [];
  const version = opts.regoVersion ?? "v1";
  const rw = new Rewriter({ pkgPath: [], imports: new Map(), ruleNames: new Set(), regoVersion: version, enablePrint: policy.enablePrint === true }, policy.gen, diags);
  const q = rw.query(body);
  const lifted = liftWithValues(q.body, { root: policy.root, gen: policy.gen, regoVersion: version, extra: policy.extraBuiltins });
  const sctx = safetyContext(policy.root, diags, policy.gen, version, policy.extraBuiltins);
  const r = reorderBody(lifted, new Set(), new Set(), sctx);
  const fake: Rule = {
    type: "rule",
    default: false,
    head: { ref: { type: "ref", terms: [{ type: "var", name: "eval", loc: body[0]?.loc ?? { file: opts.file ?? "", row: 1, col: 1, offset: 0, end: 0 } }], loc: body[0]!.loc }, assign: false, kind: "single", loc: body[0]!.loc },
    body: hoistNegatedOperands(r.body, policy.gen, { rewriteEquals: false }),
    loc: body[0]!.loc,
  };
  checkCalls(fake, policy.root, version, diags, policy.extraBuiltins);
  if (hasErrors(diags)) throw new DiagnosticError(dedupe(diags));
  return { body: fake.body, names: q.names };
}

function dedupe(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const k = `${d.code}|${d.message}|${d.span?.file}:${d.span?.line}:${d.span?.col}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export { walkRule, refName };
export { dumpCompiled } from "./dump.js";
