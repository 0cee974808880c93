/**
 * Runs policy files (and the config) that are pure declarations without a JavaScript round trip:
 * when every file consists only of imports from "policyc", types, and `const`s, `export default`s
 * and calls built from literals and policyc's `defineCheck`/`defineConstraint`/`rego`/`regoFile`/
 * `defineConfig`, the loader evaluates the already parsed TypeScript itself and calls the real API
 * functions with the values. That skips bundling (a second parse of every file, in esbuild's
 * process, which need not even start) and compiling the bundle, most of the cost of running a large
 * declarative project; and each definition's call is known exactly, so no search for it either.
 *
 * Only what has one obvious meaning is accepted: literals, arrays and object literals without
 * spreads, computed keys, shorthands or `__proto__`, `const` references to earlier declarations of
 * the same file, rego`...` without substitutions, and type-only syntax (`as`, `satisfies`, `!`,
 * type arguments), which JavaScript erases. Anything else, or an API call that throws, makes the
 * whole project run the ordinary way (`execute.ts`), whose semantics stay the reference and whose
 * failures are the ones reported. `POLICYC_STATIC_EVAL=off` always runs it the ordinary way.
 */
import { createRequire } from "node:module";
import path from "node:path";
import type * as TS from "typescript";
import ts from "./typescript.js";
import { closeRegistry, isDefinition, openRegistry, withCallSite, type Definition } from "../api/definition.js";
import * as api from "../api/index.js";
import { packageRoot } from "./paths.js";
import type { ExecutionResult } from "./execute.js";

/** The API functions a declarative file may call, and the tag it may use. */
const CALLS = new Set(["defineCheck", "defineConstraint", "regoFile", "defineConfig"]);
const TAGS = new Set(["rego"]);

/** Thrown (and caught below) when a file leaves the declarative subset. */
class NotStatic extends Error {}

/** Where each definition was made: the call the evaluator evaluated. */
export type DefinitionCalls = Map<Definition, { sf: TS.SourceFile; call: TS.CallExpression }>;

export interface DeclarativeResult extends ExecutionResult {
  calls: DefinitionCalls;
}

/**
 * Evaluates `files` in order, calling the API as running them would; undefined when a file is not
 * declarative or an API call throws (the caller then runs the files). It needs only the syntax, so
 * the loader calls it before the type-check and, when it fails, starts the bundle for the ordinary
 * run while the check goes on; its definitions are used only once the check has passed.
 */
export function evaluateDeclarative(files: readonly TS.SourceFile[]): DeclarativeResult | undefined {
  if (process.env.POLICYC_STATIC_EVAL === "off" || files.length === 0) return undefined;
  if (!resolvesToThisPolicyc(files[0]!.fileName)) return undefined;
  const registry = openRegistry();
  const modules = new Map<string, Record<string, unknown>>();
  const calls: DefinitionCalls = new Map();
  try {
    for (const sf of files) modules.set(path.resolve(sf.fileName), new FileEvaluator(sf, calls).run());
    return { modules, definitions: registry.entries as Definition[], failures: [], calls };
  } catch {
    return undefined;
  } finally {
    closeRegistry();
  }
}

/**
 * The user's "policyc" must be this package (its built or source API), because the evaluator calls
 * the running API directly instead of loading the module the import names.
 */
function resolvesToThisPolicyc(fromFile: string): boolean {
  try {
    const resolved = createRequire(fromFile).resolve("policyc");
    return resolved.startsWith(packageRoot + path.sep);
  } catch {
    return false;
  }
}

class FileEvaluator {
  private readonly env = new Map<string, unknown>();
  /** Local name → the API export it binds. */
  private readonly imports = new Map<string, string>();
  private readonly exports: Record<string, unknown> = {};
  private readonly file: string;

  constructor(
    private readonly sf: TS.SourceFile,
    private readonly calls: DefinitionCalls,
  ) {
    this.file = path.resolve(sf.fileName);
  }

  run(): Record<string, unknown> {
    for (const st of this.sf.statements) this.statement(st);
    return this.exports;
  }

  private statement(st: TS.Statement): void {
    if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) return;
    if (ts.isImportDeclaration(st)) return this.importDeclaration(st);
    if (ts.isVariableStatement(st)) return this.variableStatement(st);
    if (ts.isExpressionStatement(st)) {
      this.expression(st.expression);
      return;
    }
    if (ts.isExportAssignment(st) && !st.isExportEquals) {
      // `export default x` (a config's `export default defineConfig({...})`).
      if (Object.hasOwn(this.exports, "default")) throw new NotStatic();
      this.exports.default = this.expression(st.expression);
      return;
    }
    throw new NotStatic();
  }

  private importDeclaration(st: TS.ImportDeclaration): void {
    if (!ts.isStringLiteral(st.moduleSpecifier) || st.moduleSpecifier.text !== "policyc" || st.attributes) throw new NotStatic();
    const clause = st.importClause;
    if (!clause) throw new NotStatic(); // a side-effect import
    if (clause.isTypeOnly) return;
    if (clause.name) throw new NotStatic(); // no default export to bind
    const bindings = clause.namedBindings;
    if (!bindings) return;
    if (!ts.isNamedImports(bindings)) throw new NotStatic();
    for (const el of bindings.elements) {
      if (el.isTypeOnly) continue;
      const imported = (el.propertyName ?? el.name).text;
      this.imports.set(el.name.text, imported);
    }
  }

  private variableStatement(st: TS.VariableStatement): void {
    // Only `const` (not `let`, `var`, `using`), and nothing `declare`d.
    if (hasModifier(st, ts.SyntaxKind.DeclareKeyword) || (st.declarationList.flags & ts.NodeFlags.BlockScoped) !== ts.NodeFlags.Const) {
      throw new NotStatic();
    }
    const exported = hasModifier(st, ts.SyntaxKind.ExportKeyword);
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer || d.exclamationToken) throw new NotStatic();
      const name = d.name.text;
      if (this.env.has(name) || this.imports.has(name)) throw new NotStatic();
      const value = this.expression(d.initializer);
      this.env.set(name, value);
      if (exported) this.exports[name] = value;
    }
  }

  private expression(node: TS.Expression): unknown {
    // A switch on the kind: this runs over every node of a large project.
    switch (node.kind) {
      // Type-only wrappers, which JavaScript erases.
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
        return this.expression((node as TS.ParenthesizedExpression).expression);
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
        return (node as TS.StringLiteral).text;
      case ts.SyntaxKind.NumericLiteral:
        return numberOf(node as TS.NumericLiteral, this.sf);
      case ts.SyntaxKind.PrefixUnaryExpression: {
        const u = node as TS.PrefixUnaryExpression;
        if (u.operator !== ts.SyntaxKind.MinusToken || !ts.isNumericLiteral(u.operand)) throw new NotStatic();
        return -numberOf(u.operand, this.sf);
      }
      case ts.SyntaxKind.TrueKeyword:
        return true;
      case ts.SyntaxKind.FalseKeyword:
        return false;
      case ts.SyntaxKind.NullKeyword:
        return null;
      case ts.SyntaxKind.ArrayLiteralExpression:
        return (node as TS.ArrayLiteralExpression).elements.map((el) => {
          if (ts.isSpreadElement(el) || ts.isOmittedExpression(el)) throw new NotStatic();
          return this.expression(el);
        });
      case ts.SyntaxKind.ObjectLiteralExpression:
        return this.objectLiteral(node as TS.ObjectLiteralExpression);
      case ts.SyntaxKind.Identifier: {
        // An import used as a value, a global, or a const declared later: not ours to evaluate.
        const name = (node as TS.Identifier).text;
        if (!this.env.has(name)) throw new NotStatic();
        return this.env.get(name);
      }
      case ts.SyntaxKind.CallExpression:
        return this.call(node as TS.CallExpression);
      case ts.SyntaxKind.TaggedTemplateExpression:
        return this.taggedTemplate(node as TS.TaggedTemplateExpression);
      default:
        throw new NotStatic();
    }
  }

  private objectLiteral(node: TS.ObjectLiteralExpression): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p)) throw new NotStatic();
      const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined;
      // `__proto__: x` sets the prototype instead of a property.
      if (key === undefined || key === "__proto__") throw new NotStatic();
      out[key] = this.expression(p.initializer);
    }
    return out;
  }

  private apiOf(callee: TS.Expression, allowed: Set<string>): ((...args: unknown[]) => unknown) | undefined {
    if (!ts.isIdentifier(callee)) return undefined;
    const imported = this.imports.get(callee.text);
    if (!imported || !allowed.has(imported)) return undefined;
    return (api as unknown as Record<string, (...args: unknown[]) => unknown>)[imported];
  }

  private call(node: TS.CallExpression): unknown {
    if (node.questionDotToken) throw new NotStatic();
    const fn = this.apiOf(node.expression, CALLS);
    if (!fn) throw new NotStatic();
    const args = node.arguments.map((a) => {
      if (ts.isSpreadElement(a)) throw new NotStatic();
      return this.expression(a);
    });
    const value = withCallSite(() => this.siteOf(node.expression), () => fn(...args));
    if (isDefinition(value)) this.calls.set(value, { sf: this.sf, call: node });
    return value;
  }

  private taggedTemplate(node: TS.TaggedTemplateExpression): unknown {
    const fn = this.apiOf(node.tag, TAGS);
    if (!fn || !ts.isNoSubstitutionTemplateLiteral(node.template)) throw new NotStatic();
    // The raw text is what the `rego` tag reads; JavaScript normalizes its line ends to LF.
    const cooked = node.template.text;
    const raw = (node.template.rawText ?? node.template.getText(this.sf).slice(1, -1)).replace(/\r\n?/g, "\n");
    const strings = Object.freeze(Object.assign([cooked], { raw: Object.freeze([raw]) })) as unknown as TemplateStringsArray;
    return withCallSite(() => this.siteOf(node.tag), () => fn(strings));
  }

  /** Where V8 would report the call: the start of the callee (1-based), as `locate.findCall` expects. */
  private siteOf(anchor: TS.Node): { file: string; line: number; col: number } {
    const pos = this.sf.getLineAndCharacterOfPosition(anchor.getStart(this.sf));
    return { file: this.file, line: pos.line + 1, col: pos.character + 1 };
  }
}

function hasModifier(node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** Plain decimal literals only: other forms (hex, separators, bigint) run the ordinary way. */
function numberOf(node: TS.NumericLiteral, sf: TS.SourceFile): number {
  const text = node.getText(sf);
  if (!/^(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text)) throw new NotStatic();
  return Number(text);
}
