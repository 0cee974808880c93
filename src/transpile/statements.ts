/**
 * The `violation` body's statements → one `violation` rule per `report(...)` call. Each rule's body
 * is the path that reaches the call: loop memberships (`some c in ...`), const assignments, the
 * conditions of enclosing `if`s (negated in `else`), and the negation of every earlier early exit
 * (`if (...) return;` / `continue;`) that would have skipped it.
 */
import ts from "../frontend/typescript-api.cjs";
import { build, type Body, type Term } from "../engine/rego/index.js";
import { extendPath, skipParens, type Context, type Path } from "./context.js";
import { T } from "./diagnostics.js";
import { bindVar, cond, describe, formatted, isMutation, negate, unwrap, value, valueOf } from "./expressions.js";
import { snakeCase } from "./names.js";
import { isConstant, varsOfBody } from "./terms.js";
import { kinds, mayBeUndefined } from "./types.js";

const { v, obj, assign, someIn, rule } = build;

interface Exit {
  kind: "return" | "continue";
  /** The full path at the exit. */
  path: Path;
  node: ts.Node;
}

interface Walked {
  exits: Exit[];
  /** The statements after this one are unreachable. */
  dead: boolean;
}

export function walkBlock(cx: Context, stmts: readonly ts.Statement[], start: Path): Walked {
  let p = start;
  const exits: Exit[] = [];
  for (const [i, s] of stmts.entries()) {
    const before = p;
    const w = ts.isVariableStatement(s) ? { ...declare(cx, s, p, stmts[i + 1]), exits: [], dead: false } : walkStatement(cx, s, p);
    if (w.next) p = w.next;
    exits.push(...w.exits);
    if (w.dead) return { exits, dead: true };
    // Later statements run only where none of this statement's exits was taken.
    for (const x of w.exits) {
      const suffix = x.path.body.slice(before.body.length);
      if (suffix.length === 0) return { exits, dead: true };
      const guard = negate(cx, suffix, before, x.node);
      p = extendPath(p, guard);
    }
  }
  return { exits, dead: false };
}

function walkStatement(cx: Context, s: ts.Statement, p: Path): Walked & { next?: Path } {
  if (ts.isBlock(s)) return walkBlock(cx, s.statements, extendPath(p));
  if (ts.isEmptyStatement(s)) return { exits: [], dead: false };
  if (ts.isReturnStatement(s)) {
    if (s.expression) cx.error(T.unsupportedStatement, ["returning a value from violation()"], s.expression);
    return { exits: [{ kind: "return", path: p, node: s }], dead: true };
  }
  if (ts.isContinueStatement(s)) {
    if (s.label) cx.error(T.unsupportedStatement, ["a labelled continue"], s);
    return { exits: [{ kind: "continue", path: p, node: s }], dead: true };
  }
  if (ts.isIfStatement(s)) {
    const c = cond(cx, s.expression, p);
    const thenW = walkStatement(cx, s.thenStatement, extendPath(p, c));
    const exits = [...thenW.exits];
    if (s.elseStatement) {
      const elseW = walkStatement(cx, s.elseStatement, extendPath(p, negate(cx, c, p, s.expression)));
      exits.push(...elseW.exits);
      if (thenW.dead && elseW.dead) return { exits, dead: true };
    }
    return { exits, dead: false };
  }
  if (ts.isVariableStatement(s)) return { ...declare(cx, s, p), exits: [], dead: false };
  if (ts.isForOfStatement(s)) return forOf(cx, s, p);
  if (ts.isExpressionStatement(s)) {
    const e = unwrap(s.expression);
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && cx.symbols.report && cx.symbolOf(e.expression) === cx.symbols.report) {
      report(cx, e, p);
      return { exits: [], dead: false };
    }
    if (isMutation(e) || (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && /^(push|pop|shift|unshift|splice|sort|reverse|fill|set|add|delete|clear)$/.test(e.expression.name.text))) {
      cx.error(T.mutation, [`\`${cx.text(e)}\``], e);
    } else cx.error(T.unsupportedStatement, [`the expression statement \`${cx.text(e)}\``], s);
    return { exits: [], dead: false };
  }
  if (ts.isForStatement(s) || ts.isWhileStatement(s) || ts.isDoStatement(s) || ts.isForInStatement(s)) {
    cx.error(T.unsupportedStatement, [`${describe(s)} loop`.replace(/ loop loop$/, " loop")], s);
    return { exits: [], dead: false };
  }
  cx.error(T.unsupportedStatement, [describe(s)], s);
  return { exits: [], dead: false };
}

/** `const x = e`: a name for a term. References stay references (so `undefined` behaves as in TypeScript). */
/**
 * Whether `stmt` is `if (!name) return;` (or `=== undefined`, `== null`, or `continue`): then no
 * report follows where `name` is undefined, and `name := ...` may end those paths in Rego.
 */
function exitsWhenMissing(stmt: ts.Statement | undefined, name: string): boolean {
  if (!stmt || !ts.isIfStatement(stmt) || stmt.elseStatement) return false;
  const then = ts.isBlock(stmt.thenStatement) && stmt.thenStatement.statements.length === 1 ? stmt.thenStatement.statements[0]! : stmt.thenStatement;
  if (!(ts.isReturnStatement(then) && !then.expression) && !ts.isContinueStatement(then)) return false;
  const c = unwrap(stmt.expression);
  const isName = (x: ts.Expression) => ts.isIdentifier(unwrap(x)) && (unwrap(x) as ts.Identifier).text === name;
  if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) return isName(c.operand);
  if (ts.isBinaryExpression(c)) {
    const op = c.operatorToken.kind;
    const nullish = (x: ts.Expression) => {
      const u = unwrap(x);
      return (ts.isIdentifier(u) && u.text === "undefined") || u.kind === ts.SyntaxKind.NullKeyword;
    };
    if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) {
      return (isName(c.left) && nullish(c.right)) || (isName(c.right) && nullish(c.left));
    }
  }
  return false;
}

function declare(cx: Context, s: ts.VariableStatement, p: Path, following?: ts.Statement): { next: Path } {
  const flags = s.declarationList.flags;
  if (!(flags & ts.NodeFlags.Const)) {
    cx.error(T.letBinding, [flags & ts.NodeFlags.Let ? "let" : "var"], s.declarationList);
    return { next: p };
  }
  const next = extendPath(p);
  for (const d of s.declarationList.declarations) {
    if (!d.initializer) continue;
    if (ts.isObjectBindingPattern(d.name)) {
      for (const el of d.name.elements) {
        const key = el.propertyName ?? el.name;
        if (el.dotDotDotToken || el.initializer || !ts.isIdentifier(el.name) || !(ts.isIdentifier(key) || ts.isStringLiteral(key))) {
          cx.error(T.unsupportedExpression, ["this destructuring", "destructure plain properties: `const { a, b } = x`"], el);
          continue;
        }
        const sym = cx.symbolOf(el.name);
        const access = ts.factory.createPropertyAccessExpression(d.initializer, key.text);
        // A synthesized node has no position; keep the macro over the original initializer instead.
        if (sym) next.scope.set(sym, { kind: "macro", expr: withParent(access, d), scope: next.scope });
      }
      continue;
    }
    if (!ts.isIdentifier(d.name)) {
      cx.error(T.unsupportedExpression, ["array destructuring", "index the array: `const a = xs[0]`"], d.name);
      continue;
    }
    const sym = cx.symbolOf(d.name);
    if (!sym) continue;
    const init = unwrap(d.initializer);
    const id = d.name;
    const simple = ts.isIdentifier(init) || ts.isPropertyAccessExpression(init) || ts.isElementAccessExpression(init) || isLiteralNode(init);
    // References and booleans are substituted where used, so a missing field stays undefined
    // exactly where TypeScript sees `undefined`; computed values get a name, as a Rego author would,
    // unless they may be undefined and the next statement does not leave on that.
    const substitute = () => {
      const t = cx.typeOf(id);
      const k = kinds(t, cx.checker);
      return (k.size === 1 && k.has("boolean")) || (mayBeUndefined(t) && !exitsWhenMissing(following, id.text));
    };
    if (simple || substitute()) {
      next.scope.set(sym, { kind: "macro", expr: d.initializer, scope: next.scope });
      continue;
    }
    cx.valueName = snakeCase(d.name.text);
    const val = value(cx, d.initializer, next);
    cx.valueName = undefined;
    const head = val.term.type === "ref" && val.term.terms.length === 1 ? val.term.terms[0] : undefined;
    if (head?.type === "var" && cx.ruleNames.has(head.name)) {
      // A helper rule named after the const already is its value.
      next.scope.set(sym, { kind: "term", term: val.term });
      continue;
    }
    const local = cx.localName(d.name.text, next.locals);
    next.body.push(assign(v(local), val.term));
    next.scope.set(sym, { kind: "term", term: v(local), ...(val.shape ? { shape: val.shape } : {}), ...(val.elementShape ? { elementShape: val.elementShape } : {}) });
  }
  return { next };
}

function withParent<T extends ts.Node>(node: T, parent: ts.Node): T {
  (node as { parent: ts.Node }).parent = parent;
  return node;
}

function isLiteralNode(e: ts.Expression): boolean {
  return ts.isStringLiteral(e) || ts.isNumericLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword;
}

/** `for (const x of xs)`, `for (const [k, v] of Object.entries(o))`, `Object.keys/values`. */
function forOf(cx: Context, s: ts.ForOfStatement, p: Path): Walked {
  const init = s.initializer;
  if (!ts.isVariableDeclarationList(init) || !(init.flags & ts.NodeFlags.Const) || init.declarations.length !== 1) {
    cx.error(T.letBinding, [ts.isVariableDeclarationList(init) && init.flags & ts.NodeFlags.Let ? "let" : "var"], init);
    return { exits: [], dead: false };
  }
  const name = init.declarations[0]!.name;
  const loop = extendPath(p);
  const domainNode = unwrap(s.expression);
  let member: Body = [];
  const objectCall = ts.isCallExpression(domainNode) && ts.isPropertyAccessExpression(domainNode.expression) && ts.isIdentifier(domainNode.expression.expression) && domainNode.expression.expression.text === "Object" ? domainNode.expression.name.text : undefined;
  if (objectCall && ts.isCallExpression(domainNode) && domainNode.arguments.length === 1) {
    const o = value(cx, domainNode.arguments[0]!, p);
    const valueShape = o.shape && [...o.shape, "{}"];
    if (objectCall === "entries" && ts.isArrayBindingPattern(name) && name.elements.length === 2) {
      const [ke, ve] = name.elements.map((el) => (ts.isBindingElement(el) ? el.name : undefined));
      const k = ke ? bindVar(cx, loop, ke) : v("_");
      const val = ve ? bindVar(cx, loop, ve, valueShape) : v("_");
      member = [someIn([k as never, val as never], o.term)];
    } else if (objectCall === "keys" && ts.isIdentifier(name)) {
      member = [someIn([bindVar(cx, loop, name) as never, v("_")], o.term)];
    } else if (objectCall === "values" && ts.isIdentifier(name)) {
      member = [someIn([bindVar(cx, loop, name, valueShape) as never], o.term)];
    } else {
      cx.error(T.unsupportedStatement, ["this for...of over Object." + objectCall], s.initializer);
      return { exits: [], dead: false };
    }
  } else {
    // An array literal is an array (or tuple) whatever its elements: no need to ask the checker.
    const literal = ts.isArrayLiteralExpression(skipParens(s.expression));
    const k = literal ? new Set(["array"]) : kinds(cx.typeOf(s.expression), cx.checker);
    if (!(k.size === 1 && k.has("array"))) {
      cx.error(T.unsupportedStatement, [`for...of over \`${cx.checker.typeToString(cx.typeOf(s.expression))}\` (iterate an array or Object.entries/keys/values)`], s.expression);
      return { exits: [], dead: false };
    }
    const domain = value(cx, stripEmptyDefault(s.expression), p);
    const x = bindVar(cx, loop, name, domain.elementShape ?? (domain.shape && [...domain.shape, "[]"]));
    member = [someIn([x as never], domain.term)];
  }
  loop.body.push(...member);
  const w = walkBlock(cx, ts.isBlock(s.statement) ? s.statement.statements : [s.statement], loop);
  for (const x of w.exits) if (x.kind === "return") cx.error(T.returnInLoop, [], x.node);
  return { exits: [], dead: false };
}

function stripEmptyDefault(e: ts.Expression): ts.Expression {
  const u = unwrap(e);
  if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
    const r = unwrap(u.right);
    if (ts.isArrayLiteralExpression(r) && r.elements.length === 0) return u.left;
  }
  return e;
}

/** `report(message, details?)` → `violation[{"msg": msg, "details": details}] { path; msg := ... }`. */
function report(cx: Context, e: ts.CallExpression, p: Path): void {
  if (e.arguments.length < 1 || e.arguments.length > 2) {
    cx.error(T.reportArgs, [], e);
    return;
  }
  const body: Body = [...p.body];
  const message = formatted(cx, e.arguments[0]!, p);
  const msg = v("msg");
  body.push(assign(msg, message));
  const items: [string, Term][] = [["msg", msg]];
  if (e.arguments[1]) {
    checkDetails(cx, e.arguments[1]);
    const value = valueOf(cx, e.arguments[1], p);
    // A constant (`{}`) goes in the rule's head, as one writes it by hand.
    if (isConstant(value)) items.push(["details", value]);
    else {
      const details = v("details");
      body.push(assign(details, value));
      items.push(["details", details]);
    }
  }
  cx.violations.push({ rule: rule({ name: "violation", contains: obj(items), body: pruneUnused(body) }), from: cx.lineOf(e) });
}

/**
 * Drops `x := ...` of consts the rule never reads: in TypeScript an unused const cannot stop a
 * report, while in Rego an undefined assignment would end the rule.
 */
function pruneUnused(body: Body): Body {
  let out = body;
  for (;;) {
    const next = out.filter((e, i) => {
      const b = e.expr;
      if (e.negated || b.kind !== "call" || b.args[0]?.type !== "var") return true;
      const op = b.operator.terms[0];
      if (op?.type !== "var" || op.name !== "assign") return true;
      const name = b.args[0].name;
      if (name === "msg" || name === "details") return true;
      return out.some((other, j) => j !== i && varsOfBody([other]).has(name));
    });
    if (next.length === out.length) return out;
    out = next;
  }
}

/** Fields of a details object literal must have values (Rego drops the whole violation otherwise). */
function checkDetails(cx: Context, node: ts.Expression): void {
  const e = unwrap(node);
  if (!ts.isObjectLiteralExpression(e)) return;
  for (const prop of e.properties) {
    const valueNode = ts.isPropertyAssignment(prop) ? prop.initializer : ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
    if (!valueNode) continue;
    if (mayBeUndefined(cx.typeOf(valueNode))) cx.error(T.detailsUndefined, [cx.text(valueNode)], valueNode);
    else checkDetails(cx, valueNode as ts.Expression);
  }
}
