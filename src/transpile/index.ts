/**
 * TypeScript check bodies → Rego (issue 5). `transpileViolation` takes the `violation(review,
 * params, report)` function from the user's source (with the program's checker), compiles its
 * statements to `violation` rules and its helpers to Rego functions, and prints the module in v0 or
 * v1 syntax with a comment above each rule naming the TypeScript line it came from.
 */
import ts from "../frontend/typescript-api.cjs";
import type { Diagnostic } from "../diagnostics/index.js";
import { build, formatModule, type Comment, type Module, type RegoVersion, type Rule } from "../engine/rego/index.js";
import type { Origin } from "../ir/ir.js";
import { Context, type EmittedRule, type Path } from "./context.js";
import { T } from "./diagnostics.js";
import { libraryRules } from "./library.js";
import type { CheckShapes } from "./shape.js";
import { walkBlock } from "./statements.js";
import { tidyRule } from "./tidy.js";

export { T as TranspileDiagnostics } from "./diagnostics.js";
export type { CheckShapes, Shape } from "./shape.js";

export interface TranspileInput {
  checker: ts.TypeChecker;
  fn: ts.FunctionLikeDeclaration;
  /** The Rego package (the check's lowercase kind). */
  packageName: string;
  regoVersion: RegoVersion;
  /** The policy file relative to the project root, for rule comments. */
  file: string;
  originOf(node: ts.Node): Origin | undefined;
  /** Record what the body reads, for the differential generators (default true). */
  recordShapes?: boolean;
}

export interface TranspileOutput {
  text: string;
  module: Module;
  shapes: CheckShapes;
  diagnostics: Diagnostic[];
}

/** The `violation` property of a defineCheck call's object literal, as a function node. */
export function findViolationFunction(call: ts.CallExpression): ts.FunctionLikeDeclaration | ts.Node | undefined {
  for (const arg of call.arguments) {
    if (!ts.isObjectLiteralExpression(arg)) continue;
    for (const p of arg.properties) {
      if (!p.name || !ts.isIdentifier(p.name) || p.name.text !== "violation") continue;
      if (ts.isMethodDeclaration(p)) return p;
      if (ts.isPropertyAssignment(p)) {
        let init = p.initializer;
        while (ts.isParenthesizedExpression(init)) init = init.expression;
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
        return p;
      }
      return p;
    }
  }
  return undefined;
}

export function isFunctionNode(n: ts.Node): n is ts.FunctionLikeDeclaration {
  return ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n);
}

export function transpileViolation(input: TranspileInput): TranspileOutput {
  const { fn, checker } = input;
  const sf = fn.getSourceFile();
  const param = (i: number) => {
    const d = fn.parameters[i];
    return d && ts.isIdentifier(d.name) ? checker.getSymbolAtLocation(d.name) : undefined;
  };
  const symbols = { review: param(0), params: param(1), report: param(2) };
  const cx = new Context(checker, sf, input.originOf, input.file, {
    ...(symbols.review ? { review: symbols.review } : {}),
    ...(symbols.params ? { params: symbols.params } : {}),
    ...(symbols.report ? { report: symbols.report } : {}),
  }, input.recordShapes ?? true);
  for (const d of fn.parameters) {
    if (!ts.isIdentifier(d.name)) cx.error(T.unsupportedExpression, ["destructuring the parameters of violation()", "name them: violation(review, params, report)"], d.name);
  }
  const start: Path = { body: [], locals: new Set(), scope: new Map() };
  if (symbols.review) start.scope.set(symbols.review, { kind: "term", term: build.ref("input.review"), shape: [] });
  if (symbols.params) start.scope.set(symbols.params, { kind: "term", term: build.ref("input.parameters"), shape: ["params"] });
  if (fn.body && ts.isBlock(fn.body)) walkBlock(cx, fn.body.statements, start);
  else if (fn.body) cx.error(T.notAFunction, [], fn.body);
  const module = assemble(input.packageName, cx.violations, cx.helpers, libraryRules(cx.library), input.regoVersion);
  const text = formatModule(module, { regoVersion: input.regoVersion });
  return { text, module, shapes: cx.shapes.roots, diagnostics: cx.diagnostics };
}

/**
 * The module: violation rules, then helpers, then library functions. Rules and comments get
 * synthetic, increasing offsets so the printer puts each comment right above its rule.
 */
function assemble(pkg: string, violations: EmittedRule[], helpers: EmittedRule[], library: Rule[], regoVersion: RegoVersion): Module {
  const rules: Rule[] = [];
  const comments: Comment[] = [];
  const file = "<transpiled>";
  const place = (r: Rule, comment: string | undefined) => {
    const i = rules.length + 1;
    if (comment !== undefined) comments.push({ text: ` ${comment}`, loc: { file, row: 2 * i, col: 1, offset: 100 * i - 50, end: 100 * i - 40 } });
    rules.push({ ...r, loc: { file, row: 2 * i + 1, col: 1, offset: 100 * i, end: 100 * i + 10 } });
  };
  for (const v of violations) place(tidyRule(v.rule), v.from);
  let last = "";
  for (const h of helpers) {
    const name = JSON.stringify(h.rule.head.ref);
    place(tidyRule(h.rule), name === last ? undefined : h.from);
    last = name;
  }
  library.forEach((r, i) => place(r, i === 0 || JSON.stringify(library[i - 1]!.head.ref) !== JSON.stringify(r.head.ref) ? "policyc library" : undefined));
  const m = build.module(pkg, rules, { regoVersion });
  return { ...m, comments };
}
