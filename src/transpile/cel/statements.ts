/**
 * The `violation` body's statements → one CEL validation per `report(...)` call. A report's path is
 * a list of frames: the conditions of enclosing `if`s (negated in `else`), the negation of every
 * earlier early exit, and loops (`for...of`). A report outside loops becomes
 * `expression: !(path)` with its message; a report inside loops becomes a variable listing the
 * messages of every offending element (`xs.filter(x, path).map(x, message)`), checked with
 * `size(...) == 0` and reported joined with ", " (CEL has one message per validation).
 */
import ts from "../../frontend/typescript-api.cjs";
import { kinds } from "../types.js";
import type { CelContext, CelValue } from "./context.js";
import { cond, list, plain, unwrap, value, type CelEnv } from "./expressions.js";
import * as c from "./syntax.js";
import type { Cel } from "./syntax.js";

/** `label`: what the loop iterates, for names (`containers` → `variables.badContainers`). */
export type Frame = { kind: "cond"; cel: Cel } | { kind: "loop"; name: string; domain: Cel; label: string };

interface Path {
  frames: Frame[];
  env: CelEnv;
}

export interface CelReport {
  frames: Frame[];
  message: CelValue;
  node: ts.CallExpression;
}

interface Walked {
  exits: Path[];
  dead: boolean;
}

export function walkBody(cx: CelContext, stmts: readonly ts.Statement[], start: CelEnv): CelReport[] {
  const reports: CelReport[] = [];
  walkBlock(cx, stmts, { frames: [], env: start }, reports);
  return reports;
}

function extend(p: Path, frames: Frame[] = [], scope?: CelEnv["scope"]): Path {
  return { frames: [...p.frames, ...frames], env: { scope: scope ?? new Map(p.env.scope), loops: p.env.loops } };
}

function walkBlock(cx: CelContext, stmts: readonly ts.Statement[], start: Path, reports: CelReport[]): Walked {
  let p = start;
  const exits: Path[] = [];
  for (const s of stmts) {
    if (ts.isVariableStatement(s)) {
      p = declare(cx, s, p);
      continue;
    }
    const before = p;
    const w = walkStatement(cx, s, p, reports);
    exits.push(...w.exits);
    if (w.dead) return { exits, dead: true };
    for (const x of w.exits) {
      const suffix = x.frames.slice(before.frames.length);
      if (suffix.length === 0) return { exits, dead: true };
      if (suffix.some((f) => f.kind === "loop")) cx.block("`return` inside a loop", s);
      p = extend(p, [{ kind: "cond", cel: c.not(c.and(suffix.map((f) => (f as { cel: Cel }).cel))) }], p.env.scope);
    }
  }
  return { exits, dead: false };
}

function walkStatement(cx: CelContext, s: ts.Statement, p: Path, reports: CelReport[]): Walked {
  if (ts.isBlock(s)) return walkBlock(cx, s.statements, extend(p), reports);
  if (ts.isEmptyStatement(s)) return { exits: [], dead: false };
  if (ts.isReturnStatement(s) || ts.isContinueStatement(s)) {
    if ((ts.isReturnStatement(s) && s.expression) || (ts.isContinueStatement(s) && s.label)) cx.block(describeStatement(s), s);
    return { exits: [p], dead: true };
  }
  if (ts.isIfStatement(s)) {
    const test = cond(cx, s.expression, p.env);
    const thenW = walkStatement(cx, s.thenStatement, extend(p, [{ kind: "cond", cel: test }]), reports);
    const exits = [...thenW.exits];
    if (s.elseStatement) {
      const elseW = walkStatement(cx, s.elseStatement, extend(p, [{ kind: "cond", cel: c.not(test) }]), reports);
      exits.push(...elseW.exits);
      if (thenW.dead && elseW.dead) return { exits, dead: true };
    }
    return { exits, dead: false };
  }
  if (ts.isForOfStatement(s)) {
    forOf(cx, s, p, reports);
    return { exits: [], dead: false };
  }
  if (ts.isExpressionStatement(s)) {
    const e = unwrap(s.expression);
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && cx.symbols.report && cx.symbolOf(e.expression) === cx.symbols.report) {
      if (e.arguments.length !== 1) cx.block("report(...) with details (a CEL validation carries a message only)", e);
      const message = value(cx, e.arguments[0]!, p.env);
      reports.push({ frames: p.frames, message, node: e });
      return { exits: [], dead: false };
    }
  }
  return cx.block(describeStatement(s), s);
}

function describeStatement(s: ts.Statement): string {
  return `the statement \`${s.getText().split("\n")[0]!.slice(0, 60)}\``;
}

/** `const x = e`: substituted where used, or a shared variable when it is computed once for the whole check. */
function declare(cx: CelContext, s: ts.VariableStatement, p: Path): Path {
  if (!(s.declarationList.flags & ts.NodeFlags.Const)) cx.block("`let`/`var`", s.declarationList);
  const scope = new Map(p.env.scope);
  const next: Path = { frames: p.frames, env: { scope, loops: p.env.loops } };
  for (const d of s.declarationList.declarations) {
    if (!d.initializer) continue;
    if (!ts.isIdentifier(d.name)) cx.block("destructuring", d.name);
    const sym = cx.symbolOf(d.name);
    if (!sym) continue;
    const init = unwrap(d.initializer);
    const reference = ts.isIdentifier(init) || ts.isPropertyAccessExpression(init) || ts.isElementAccessExpression(init) || ts.isStringLiteral(init) || ts.isNumericLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init);
    const k = kinds(cx.typeOf(d.name), cx.checker);
    if (!reference && !(k.size === 1 && k.has("boolean")) && !p.frames.some((f) => f.kind === "loop")) {
      const v = value(cx, d.initializer, next.env);
      if (v.defined.length === 0 && v.loopVars.size === 0) {
        const name = cx.hoist(d.name.text, v.cel, d);
        scope.set(sym, { kind: "value", value: plain(c.raw(`variables.${name}`, 8)) });
        continue;
      }
    }
    scope.set(sym, { kind: "macro", expr: d.initializer, scope });
  }
  return next;
}

function plural(name: string): string {
  return name.endsWith("s") ? `${name}List` : `${name}s`;
}

/** A name for what `e` holds: its last property (`spec.containers ?? []` → `containers`). */
function labelOf(e: ts.Expression): string | undefined {
  let u = unwrap(e);
  if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) u = unwrap(u.left);
  if (ts.isPropertyAccessExpression(u)) return u.name.text;
  if (ts.isIdentifier(u)) return u.text;
  if (ts.isCallExpression(u) && u.arguments.length === 1) return labelOf(u.arguments[0]!);
  if (ts.isArrayLiteralExpression(u) && u.elements.length > 0 && ts.isSpreadElement(u.elements[0]!)) return labelOf(u.elements[0].expression);
  return undefined;
}

/** `for (const x of xs)`, `for (const [k, v] of Object.entries(o))`, `Object.keys`, `Object.values`. */
function forOf(cx: CelContext, s: ts.ForOfStatement, p: Path, reports: CelReport[]): void {
  const init = s.initializer;
  if (!ts.isVariableDeclarationList(init) || !(init.flags & ts.NodeFlags.Const) || init.declarations.length !== 1) cx.block("this for...of declaration", init);
  const binding = (init as ts.VariableDeclarationList).declarations[0]!.name;
  const domainNode = unwrap(s.expression);
  const scope = new Map(p.env.scope);
  const bind = (id: ts.BindingName | undefined, cel: Cel, loopVar: string) => {
    if (!id) return;
    if (!ts.isIdentifier(id)) cx.block("this destructuring", id);
    const sym = cx.symbolOf(id);
    if (sym) scope.set(sym, { kind: "value", value: { cel, defined: [], loopVars: new Set([loopVar]) } });
  };
  let domain: CelValue;
  let name: string;
  const binder = ts.isIdentifier(binding) ? binding.text : "";
  // `for (const c of [...spec.containers, ...spec.initContainers])`: the loop's label is `containers`.
  let label = labelOf(s.expression) ?? (binder ? plural(binder) : "items");
  const objectCall = ts.isCallExpression(domainNode) && ts.isPropertyAccessExpression(domainNode.expression) && ts.isIdentifier(domainNode.expression.expression) && domainNode.expression.expression.text === "Object" ? domainNode.expression.name.text : undefined;
  if (objectCall && ts.isCallExpression(domainNode) && domainNode.arguments.length === 1) {
    const o = value(cx, domainNode.arguments[0]!, p.env);
    domain = { cel: o.defined.length === 0 ? o.cel : c.ternary(c.and(o.defined), o.cel, c.raw("{}")), defined: [], loopVars: o.loopVars };
    label = labelOf(domainNode.arguments[0]!) ?? "entries";
    if (domain.loopVars.size === 0 && domain.cel.prec < 8) domain = { ...domain, cel: c.raw(`variables.${cx.hoist(label, domain.cel, s.expression)}`, 8) };
    const at = (n: string) => c.index(domain.cel, c.raw(n));
    if (objectCall === "entries" && ts.isArrayBindingPattern(binding) && binding.elements.length === 2) {
      const [ke, ve] = binding.elements.map((el) => (ts.isBindingElement(el) ? el.name : undefined));
      name = cx.loopName(ke && ts.isIdentifier(ke) ? ke.text : "key", p.env.loops);
      bind(ke, c.raw(name), name);
      bind(ve, at(name), name);
    } else if (objectCall === "keys" && ts.isIdentifier(binding)) {
      name = cx.loopName(binding.text, p.env.loops);
      bind(binding, c.raw(name), name);
    } else if (objectCall === "values" && ts.isIdentifier(binding)) {
      name = cx.loopName("key", p.env.loops);
      bind(binding, at(name), name);
    } else return cx.block(`this for...of over Object.${objectCall}`, s.initializer);
  } else {
    if (!ts.isIdentifier(binding)) return cx.block("destructuring a loop variable", binding);
    const literal = ts.isArrayLiteralExpression(domainNode);
    const k = literal ? new Set(["array"]) : kinds(cx.typeOf(s.expression), cx.checker);
    if (!(k.size === 1 && k.has("array"))) return cx.block("for...of over a value that is not an array", s.expression);
    domain = list(cx, s.expression, p.env);
    if (domain.defined.length > 0) domain = { ...domain, cel: c.ternary(c.and(domain.defined), domain.cel, c.list([])), defined: [] };
    name = cx.loopName(binding.text, p.env.loops);
    if (domain.loopVars.size === 0 && domain.cel.prec < 8) domain = { ...domain, cel: c.raw(`variables.${cx.hoist(label, domain.cel, s.expression)}`, 8) };
    bind(binding, c.raw(name), name);
  }
  const loop: Path = { frames: [...p.frames, { kind: "loop", name, domain: domain.cel, label }], env: { scope, loops: new Set([...p.env.loops, name]) } };
  walkBlock(cx, ts.isBlock(s.statement) ? s.statement.statements : [s.statement], loop, reports);
}

/** Whether the path's frames hold: conditions joined with `&&`, loops as `xs.exists(x, ...)`. */
export function hit(frames: readonly Frame[]): Cel {
  const i = frames.findIndex((f) => f.kind === "loop");
  if (i < 0) return c.and(frames.map((f) => (f as { cel: Cel }).cel));
  const loop = frames[i] as Extract<Frame, { kind: "loop" }>;
  const before = frames.slice(0, i).map((f) => (f as { cel: Cel }).cel);
  return c.and([...before, c.macro(loop.domain, "exists", loop.name, hit(frames.slice(i + 1)))]);
}

/** The messages of every element the path reports, one string per element of the outermost loop. */
export function messages(frames: readonly Frame[], message: Cel): Cel {
  const i = frames.findIndex((f) => f.kind === "loop");
  const before = frames.slice(0, i).map((f) => (f as { cel: Cel }).cel);
  const loop = frames[i] as Extract<Frame, { kind: "loop" }>;
  const rest = frames.slice(i + 1);
  const inner = rest.some((f) => f.kind === "loop") ? c.method(messages(rest.slice(rest.findIndex((f) => f.kind === "loop")), message), "join", [c.str(", ")]) : message;
  const test = hit(rest);
  const selected = test.constant === true ? loop.domain : c.macro(loop.domain, "filter", loop.name, test);
  const out = c.macro(selected, "map", loop.name, inner);
  return before.length === 0 ? out : c.ternary(c.and(before), out, c.list([]));
}
