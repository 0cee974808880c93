/**
 * The state of one transpilation: the checker, the rules produced so far (violation rules, then
 * helper rules and functions in the order they were needed), diagnostics, and the bindings from
 * TypeScript symbols to Rego terms. Statement and expression compilation live in their own modules
 * and share this object.
 */
import ts from "../frontend/typescript-api.cjs";
import type { Diagnostic, MessageDef } from "../diagnostics/index.js";
import { diag } from "../diagnostics/index.js";
import type { Body, Rule, Term } from "../engine/rego/index.js";
import type { Origin } from "../ir/ir.js";
import { freshName } from "./names.js";
import { ShapeRecorder } from "./shape.js";
import { isAny, only } from "./types.js";

/** What a TypeScript name stands for in Rego. */
export type Binding =
  /** A term substituted where the name is used (`review` → `input.review`, a loop variable). */
  | { kind: "term"; term: Term; shape?: string[]; elementShape?: string[] }
  /** A pure const whose initializer is compiled again where it is used (keeps `undefined` exact). */
  | { kind: "macro"; expr: ts.Expression; scope: Scope };

export type Scope = Map<ts.Symbol, Binding>;

/** Where compilation stands inside one rule body. Paths only grow; a branch copies its parent. */
export interface Path {
  body: Body;
  /** Rego variables bound in `body` (helper functions receive the ones they use). */
  locals: Set<string>;
  scope: Scope;
}

export function extendPath(p: Path, exprs: Body = []): Path {
  return { body: [...p.body, ...exprs], locals: new Set(p.locals), scope: new Map(p.scope) };
}

export interface EmittedRule {
  rule: Rule;
  /** `file:line` of the TypeScript it came from, printed as a comment above the rule. */
  from: string;
}

/** `e` without the parentheses around it (they never change a value's type). */
export function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

export class Context {
  readonly diagnostics: Diagnostic[] = [];
  readonly violations: EmittedRule[] = [];
  readonly helpers: EmittedRule[] = [];
  /** Names of helper rules and functions (and the library's), unique per module. */
  /** Taken from the start: the library's functions may be needed after a local got its name. */
  readonly ruleNames = new Set<string>(["violation", "pod_spec", "replace_first", "number"]);
  /** Compiled user functions by declaration: their Rego name and whether they return a boolean. */
  readonly functions = new Map<ts.Node, { name: string; bool: boolean; singleCond: boolean }>();
  /** Functions being compiled (to catch recursion). */
  readonly compiling = new Set<ts.Node>();
  /** Library functions the module needs (`pod_spec`, `replace_first`). */
  readonly library = new Set<string>();
  readonly shapes: ShapeRecorder;

  constructor(
    readonly checker: ts.TypeChecker,
    readonly sourceFile: ts.SourceFile,
    readonly originOf: (node: ts.Node) => Origin | undefined,
    /** The policy file as comments show it (relative to the project root). */
    readonly file: string,
    readonly symbols: { review?: ts.Symbol; params?: ts.Symbol; report?: ts.Symbol },
    recordShapes = true,
  ) {
    this.shapes = new ShapeRecorder(recordShapes);
  }

  private readonly reported = new Set<string>();

  /** Reports once per code and position (an expression can be compiled in two forms). */
  error(def: MessageDef, args: unknown[], node: ts.Node): void {
    const span = this.originOf(node);
    const key = `${def.code}@${span?.line}:${span?.col}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(diag(def, args, span));
  }

  /** `file:line` for a node, for rule comments. */
  lineOf(node: ts.Node): string {
    const sf = node.getSourceFile();
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    return `${this.file}:${line}`;
  }

  /** Every local variable name used in any body; rules never take one (Rego would confuse them). */
  readonly localNames = new Set<string>();
  /** The const being initialized: a helper that computes its value is named after it. */
  valueName: string | undefined;

  ruleName(wanted: string): string {
    const taken = new Set([...this.ruleNames, ...this.localNames]);
    const name = freshName(wanted, taken);
    this.ruleNames.add(name);
    return name;
  }

  /** A local of a body binding `locals`, distinct from every rule name. */
  localName(wanted: string, locals: Set<string>): string {
    const taken = new Set([...locals, ...this.ruleNames]);
    const name = freshName(wanted, taken);
    locals.add(name);
    this.localNames.add(name);
    return name;
  }

  /** The name for a helper computing a value: the const's name when one is being initialized. */
  takeValueName(fallback: string): { name: string; fromConst: boolean } {
    const out = this.valueName !== undefined ? { name: this.valueName, fromConst: true } : { name: fallback, fromConst: false };
    this.valueName = undefined;
    return out;
  }

  // Macros compile the same nodes at every use; the checker does not cache every query.
  private readonly types = new Map<ts.Node, ts.Type>();
  private readonly symbolCache = new Map<ts.Node, ts.Symbol | undefined>();

  symbolOf(node: ts.Node): ts.Symbol | undefined {
    if (this.symbolCache.has(node)) return this.symbolCache.get(node);
    let s = this.checker.getSymbolAtLocation(node);
    if (s && s.flags & ts.SymbolFlags.Alias) s = this.checker.getAliasedSymbol(s);
    this.symbolCache.set(node, s);
    return s;
  }

  typeOf(node: ts.Node): ts.Type {
    let t = this.types.get(node);
    if (!t) {
      t = this.checker.getTypeAtLocation(node);
      this.types.set(node, t);
    }
    return t;
  }

  /**
   * Whether `node` has type \`any\` (or \`unknown\`). A name declared with another type answers
   * this without a flow query (narrowing never makes a typed name \`any\`); the flow query re-checks
   * the reference at every use and was the transpiler's largest cost.
   */
  isAnyAt(node: ts.Expression): boolean {
    const e = skipParens(node);
    if (ts.isIdentifier(e)) {
      const sym = this.symbolOf(e);
      if (sym && !isAny(this.checker.getTypeOfSymbol(sym))) return false;
    }
    return isAny(this.typeOf(node));
  }

  /** Whether `node` is a string (a string literal or template says so without asking the checker). */
  isString(node: ts.Expression): boolean {
    const e = skipParens(node);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e)) return true;
    return only(this.typeOf(node), this.checker, "string");
  }

  text(node: ts.Node): string {
    return node.getText(this.sourceFile);
  }
}
