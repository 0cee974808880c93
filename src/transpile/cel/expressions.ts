/**
 * TypeScript expressions → CEL, as a *value* (`CelValue`: the CEL expression plus the conditions
 * under which the TypeScript value is not `undefined`) or as a *condition* (a CEL bool that is true
 * exactly where the TypeScript value is truthy). Undefinedness follows the TypeScript types: a
 * property the Kubernetes types (or the Params type) require is read directly, an optional one
 * behind `has()`, as a Kubernetes author writes it. Anything without a faithful CEL form throws
 * `CelBlocked` naming the construct.
 */
import ts from "../../frontend/typescript-api.cjs";
import { toRe2 } from "../regex.js";
import { elementType, kinds, mayBeNull, mayBeUndefined, only } from "../types.js";
import { inlineFunction } from "./functions.js";
import { celLowerings } from "./lowerings.js";
import { CelContext, type CelScope, type CelValue } from "./context.js";
import * as c from "./syntax.js";
import type { Cel } from "./syntax.js";
import { COMPARISONS } from "../operators.js";

/** Where an expression is compiled: the bindings and the comprehension variables in scope. */
export interface CelEnv {
  scope: CelScope;
  loops: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

export function plain(cel: Cel, ...from: CelValue[]): CelValue {
  return { cel, defined: from.flatMap((f) => f.defined), loopVars: union(from) };
}

function union(vs: CelValue[]): ReadonlySet<string> {
  const out = new Set<string>();
  for (const v of vs) for (const x of v.loopVars) out.add(x);
  return out.size === 0 ? NONE : out;
}

export function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

/** `value` with its definedness folded in: a bool that is true where `value` is defined and `test` holds. */
export function guarded(value: CelValue, test: Cel): Cel {
  return c.and([...value.defined, test]);
}

export function value(cx: CelContext, node: ts.Expression, env: CelEnv): CelValue {
  const e = unwrap(node);
  if (e !== node && cx.isAny(node) && !cx.isAny(e)) cx.block("a cast to `any`", node);
  if (ts.isIdentifier(e)) return identifier(cx, e, env);
  if (ts.isPropertyAccessExpression(e)) return property(cx, e, env);
  if (ts.isElementAccessExpression(e)) return element(cx, e, env);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return plain(c.str(e.text));
  if (ts.isNumericLiteral(e)) return plain(c.num(Number(e.text)));
  if (e.kind === ts.SyntaxKind.TrueKeyword) return plain(c.TRUE);
  if (e.kind === ts.SyntaxKind.FalseKeyword) return plain(c.FALSE);
  if (e.kind === ts.SyntaxKind.NullKeyword) return plain(c.raw("null"));
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) {
    const inner = unwrap(e.operand);
    if (ts.isNumericLiteral(inner)) return plain(c.num(-Number(inner.text)));
    const x = value(cx, inner, env);
    return plain(c.raw(`-${c.at(x.cel, 8)}`, 7), x);
  }
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return plain(cond(cx, e, env));
  if (ts.isTemplateExpression(e)) return text(cx, e, env);
  if (ts.isArrayLiteralExpression(e)) return arrayLiteral(cx, e, env);
  if (ts.isObjectLiteralExpression(e) && e.properties.length === 0) return plain(c.raw("{}"));
  if (ts.isCallExpression(e)) return callValue(cx, e, env);
  if (ts.isConditionalExpression(e)) {
    const test = cond(cx, e.condition, env);
    const a = value(cx, e.whenTrue, env);
    const b = value(cx, e.whenFalse, env);
    const defined = a.defined.length + b.defined.length === 0 ? [] : [c.ternary(test, c.and(a.defined), c.and(b.defined))];
    return { cel: c.ternary(test, a.cel, b.cel), defined, loopVars: union([a, b, plain(test)]) };
  }
  if (ts.isBinaryExpression(e)) return binary(cx, e, env);
  return cx.block(describe(e), e);
}

function identifier(cx: CelContext, e: ts.Identifier, env: CelEnv): CelValue {
  if (e.text === "undefined") cx.block("`undefined` as a value", e);
  const sym = cx.symbolOf(e);
  const b = sym && env.scope.get(sym);
  let out: CelValue | undefined;
  if (b?.kind === "value") out = b.value;
  else if (b?.kind === "macro") out = value(cx, b.expr, { ...env, scope: b.scope });
  else {
    const decl = sym?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const && isLiteral(decl.initializer)) {
      return value(cx, decl.initializer, { ...env, scope: new Map() });
    }
    return cx.block(`the name \`${e.text}\``, e);
  }
  // TypeScript narrowed the name (e.g. after `if (x === undefined) continue;`): the path's own
  // conditions already say it is defined.
  if (out.defined.length > 0 && sym && cx.narrowedDefined(sym, e)) return { ...out, defined: [] };
  return out;
}

export function isLiteral(e: ts.Expression): boolean {
  e = unwrap(e);
  if (ts.isStringLiteral(e) || ts.isNumericLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isArrayLiteralExpression(e)) return e.elements.every(isLiteral);
  if (ts.isPrefixUnaryExpression(e)) return ts.isNumericLiteral(e.operand);
  return false;
}

const REQUEST_FIELDS = new Set(["operation", "name", "namespace", "kind", "userInfo", "uid", "dryRun"]);

function property(cx: CelContext, e: ts.PropertyAccessExpression, env: CelEnv): CelValue {
  const name = e.name.text;
  const recv = unwrap(e.expression);
  if (name === "length") {
    const k = kinds(cx.typeOf(e.expression), cx.checker);
    if (k.size === 1 && (k.has("string") || k.has("array"))) {
      // `Object.keys(o).length` is the size of the map itself.
      const objectCall = ts.isCallExpression(recv) ? objectMethod(recv) : undefined;
      if (objectCall && ts.isCallExpression(recv)) {
        const o = value(cx, recv.arguments[0]!, env);
        return plain(c.fn("size", [o.cel]), o);
      }
      const base = value(cx, e.expression, env);
      return plain(c.fn("size", [base.cel]), base);
    }
  }
  const base = value(cx, e.expression, env);
  if (base.review) {
    if (name === "object") return { cel: c.raw("variables.anyObject"), defined: [], loopVars: NONE };
    if (name === "oldObject") return { cel: c.raw("oldObject"), defined: [c.compare("!=", c.raw("oldObject"), c.raw("null"))], loopVars: NONE };
    if (!REQUEST_FIELDS.has(name)) cx.block(`\`review.${name}\``, e);
    const field = c.select(c.raw("request"), name);
    return { cel: field, defined: mayBeUndefined(cx.typeOf(e)) ? [c.has(c.raw("request"), name)] : [], loopVars: NONE };
  }
  return member(cx, base, name, e, e.expression);
}

/** `base.name` for a property whose type says whether it may be missing. */
function member(cx: CelContext, base: CelValue, name: string, e: ts.Expression, recv: ts.Expression): CelValue {
  if (cx.isAny(recv)) cx.block(`\`${cx.text(recv)}\` of type \`any\``, recv);
  const defined = [...base.defined];
  if (mayBeNull(cx.typeOf(recv))) defined.push(c.compare("!=", base.cel, c.raw("null")));
  if (mayBeUndefined(cx.typeOf(e))) defined.push(c.has(base.cel, name));
  return { cel: c.select(base.cel, name), defined, loopVars: base.loopVars };
}

function element(cx: CelContext, e: ts.ElementAccessExpression, env: CelEnv): CelValue {
  const arg = unwrap(e.argumentExpression);
  const base = value(cx, e.expression, env);
  if (ts.isStringLiteral(arg)) return member(cx, base, arg.text, e, e.expression);
  if (cx.checker.isArrayType(cx.typeOf(e.expression)) || cx.checker.isTupleType(cx.typeOf(e.expression))) {
    if (ts.isNumericLiteral(arg) && Number.isInteger(Number(arg.text))) {
      const i = Number(arg.text);
      return { cel: c.index(base.cel, c.num(i)), defined: [...base.defined, c.compare(">", c.fn("size", [base.cel]), c.num(i))], loopVars: base.loopVars };
    }
    // `xs[xs.length - 1]`: an index CEL computes as an int exactly where JavaScript computes an
    // integer; out of range (negative too) JavaScript reads undefined, so the index is a condition.
    if (!integralIndex(cx, arg)) cx.block("indexing an array with a computed index that is not built from integer literals and `.length`", e);
    const i = value(cx, arg, env);
    const inRange = [c.compare(">=", i.cel, c.num(0)), c.compare(">", c.fn("size", [base.cel]), i.cel)];
    return { cel: c.index(base.cel, i.cel), defined: [...base.defined, ...i.defined, ...inRange], loopVars: union([base, i]) };
  }
  if (!only(cx.typeOf(arg), cx.checker, "string")) cx.block("indexing an object with a non-string key", e);
  const key = value(cx, arg, env);
  // A map's key may be absent whatever the value type says (TypeScript does not track it).
  return { cel: c.index(base.cel, key.cel), defined: [...base.defined, ...key.defined, c.inList(key.cel, base.cel)], loopVars: union([base, key]) };
}

/** Integer literals, `.length` of arrays and strings, and `+`/`-` of those: always an integer in JavaScript. */
function integralIndex(cx: CelContext, node: ts.Expression): boolean {
  const e = unwrap(node);
  if (ts.isNumericLiteral(e)) return Number.isInteger(Number(e.text));
  if (ts.isPropertyAccessExpression(e) && e.name.text === "length") {
    const k = kinds(cx.typeOf(e.expression), cx.checker);
    return k.size === 1 && (k.has("array") || k.has("string"));
  }
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.PlusToken || e.operatorToken.kind === ts.SyntaxKind.MinusToken)) return integralIndex(cx, e.left) && integralIndex(cx, e.right);
  return false;
}

function objectMethod(e: ts.CallExpression): string | undefined {
  const callee = unwrap(e.expression);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "Object" && e.arguments.length === 1) return callee.name.text;
  return undefined;
}

/** A template literal or string `+`: CEL's `+` on strings, numbers and booleans through `string()`. */
function text(cx: CelContext, e: ts.TemplateExpression, env: CelEnv): CelValue {
  const parts: CelValue[] = [];
  if (e.head.text) parts.push(plain(c.str(e.head.text)));
  for (const span of e.templateSpans) {
    parts.push(asText(cx, span.expression, env));
    if (span.literal.text) parts.push(plain(c.str(span.literal.text)));
  }
  return concat(parts);
}

function concat(parts: CelValue[]): CelValue {
  if (parts.length === 0) return plain(c.str(""));
  return plain(parts.map((p) => p.cel).reduce((a, b) => c.binary("+", a, b)), ...parts);
}

function asText(cx: CelContext, node: ts.Expression, env: CelEnv): CelValue {
  const t = cx.typeOf(node);
  const v = value(cx, node, env);
  if (mayBeUndefined(t) || mayBeNull(t)) cx.block(`printing \`${cx.text(node)}\`, which may be undefined or null`, node);
  const k = kinds(t, cx.checker);
  if (k.size === 1 && k.has("string")) return v;
  if ((k.size === 1 && k.has("boolean")) || cx.isNumber(t)) {
    if (cx.isNumber(t) && !isIntegral(cx, node)) cx.block(`printing the number \`${cx.text(node)}\` (CEL prints doubles differently)`, node);
    return plain(c.fn("string", [v.cel]), v);
  }
  return cx.block(`printing \`${cx.text(node)}\` of type \`${cx.checker.typeToString(t)}\``, node);
}

/** Numbers read from the object or the parameters are JSON integers in the checks we accept; literals say so themselves. */
function isIntegral(cx: CelContext, node: ts.Expression): boolean {
  const e = unwrap(node);
  if (ts.isNumericLiteral(e)) return Number.isInteger(Number(e.text));
  // `Integer` (the DSL's branded int) and Kubernetes' int32 fields are integers; plain `number`
  // from the object is too (ports, replicas, counts): the API server stores them as int64.
  return true;
}

function arrayLiteral(cx: CelContext, e: ts.ArrayLiteralExpression, env: CelEnv): CelValue {
  const pieces: CelValue[] = [];
  let run: CelValue[] = [];
  const flush = () => {
    if (run.length > 0) pieces.push(plain(c.list(run.map((r) => r.cel)), ...run));
    run = [];
  };
  for (const el of e.elements) {
    if (ts.isSpreadElement(el)) {
      flush();
      pieces.push(list(cx, el.expression, env));
    } else run.push(value(cx, el, env));
  }
  flush();
  if (pieces.length === 0) return plain(c.list([]));
  return plain(pieces.map((p) => p.cel).reduce((a, b) => c.binary("+", a, b)), ...pieces);
}

/** An array that is iterated: `xs ?? []` (and a missing optional array) become `has(...) ? xs : []`. */
export function list(cx: CelContext, node: ts.Expression, env: CelEnv): CelValue {
  const e = unwrap(node);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken && ts.isArrayLiteralExpression(unwrap(e.right)) && (unwrap(e.right) as ts.ArrayLiteralExpression).elements.length === 0) {
    const xs = value(cx, e.left, env);
    return { cel: xs.defined.length === 0 ? xs.cel : c.ternary(c.and(xs.defined), xs.cel, c.list([])), defined: [], loopVars: xs.loopVars };
  }
  return value(cx, node, env);
}

function binary(cx: CelContext, e: ts.BinaryExpression, env: CelEnv): CelValue {
  const op = e.operatorToken.kind;
  if (op === ts.SyntaxKind.PlusToken) {
    if (only(cx.typeOf(e), cx.checker, "string")) return concat([asText(cx, e.left, env), asText(cx, e.right, env)]);
    const a = value(cx, e.left, env);
    const b = value(cx, e.right, env);
    if (!(cx.isNumber(cx.typeOf(e.left)) && cx.isNumber(cx.typeOf(e.right)))) cx.block("`+` on values that are not both numbers or strings", e);
    return plain(c.binary("+", a.cel, b.cel), a, b);
  }
  if (op === ts.SyntaxKind.MinusToken || op === ts.SyntaxKind.AsteriskToken || op === ts.SyntaxKind.PercentToken) {
    const a = value(cx, e.left, env);
    const b = value(cx, e.right, env);
    const sym = op === ts.SyntaxKind.MinusToken ? "-" : op === ts.SyntaxKind.AsteriskToken ? "*" : "%";
    return plain(c.binary(sym, a.cel, b.cel), a, b);
  }
  if (op === ts.SyntaxKind.SlashToken) cx.block("division `/` (CEL divides integers without a fraction)", e.operatorToken);
  if (op === ts.SyntaxKind.QuestionQuestionToken) {
    const a = value(cx, e.left, env);
    const b = value(cx, e.right, env);
    if (a.defined.length === 0) return a;
    return { cel: c.ternary(c.and(a.defined), a.cel, b.cel), defined: b.defined.length === 0 ? [] : [c.or([c.and(a.defined), c.and(b.defined)])], loopVars: union([a, b]) };
  }
  if (op === ts.SyntaxKind.BarBarToken && !only(cx.typeOf(e), cx.checker, "boolean")) {
    const a = value(cx, e.left, env);
    const b = value(cx, e.right, env);
    if (b.defined.length > 0) cx.block("`||` as a value whose fallback may be undefined", e);
    return plain(c.ternary(truthy(cx, a, cx.typeOf(e.left), e.left), a.cel, b.cel), a, b);
  }
  if (COMPARISONS.has(op) || op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) return plain(cond(cx, e, env));
  return cx.block(`the operator \`${e.operatorToken.getText(cx.sourceFile)}\``, e.operatorToken);
}

/** A CEL bool that is true exactly where `node` is truthy in TypeScript. */
export function cond(cx: CelContext, node: ts.Expression, env: CelEnv): Cel {
  const e = unwrap(node);
  if (ts.isIdentifier(e)) {
    const sym = cx.symbolOf(e);
    const b = sym && env.scope.get(sym);
    if (b?.kind === "macro") return cond(cx, b.expr, { ...env, scope: b.scope });
  }
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return celLowerings.not(cond(cx, e.operand, env));
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return c.and([cond(cx, e.left, env), cond(cx, e.right, env)]);
    if (op === ts.SyntaxKind.BarBarToken) return c.or([cond(cx, e.left, env), cond(cx, e.right, env)]);
    if (COMPARISONS.has(op)) return comparison(cx, e, env);
  }
  if (ts.isCallExpression(e)) {
    const t = callCond(cx, e, env);
    if (t) return t;
  }
  return truthy(cx, value(cx, e, env), cx.typeOf(e), e);
}

/** Truthiness of a value of TypeScript type `t`, as CEL spells it. */
export function truthy(cx: CelContext, v: CelValue, t: ts.Type, node: ts.Node): Cel {
  if (cx.isAny(node)) cx.block(`the truthiness of \`${cx.text(node)}\` of type \`any\``, node);
  const k = kinds(t, cx.checker);
  const defined = [...v.defined];
  if (mayBeNull(t)) defined.push(c.compare("!=", v.cel, c.raw("null")));
  if (k.size === 1 && k.has("boolean")) return c.and([...defined, v.cel]);
  if (k.size === 1 && k.has("string")) return c.and([...defined, c.compare("!=", v.cel, c.str(""))]);
  if (cx.isNumber(t)) return c.and([...defined, c.compare("!=", v.cel, c.num(0))]);
  if (k.size > 0 && [...k].every((x) => x === "object" || x === "array")) return c.and(defined);
  return cx.block(`the truthiness of \`${cx.text(node)}\` (type \`${cx.checker.typeToString(t)}\`)`, node);
}

function isUndefinedLiteral(e: ts.Expression): boolean {
  const u = unwrap(e);
  return (ts.isIdentifier(u) && u.text === "undefined") || ts.isVoidExpression(u);
}

const ORDER: Partial<Record<ts.SyntaxKind, "<" | "<=" | ">" | ">=">> = {
  [ts.SyntaxKind.LessThanToken]: "<",
  [ts.SyntaxKind.LessThanEqualsToken]: "<=",
  [ts.SyntaxKind.GreaterThanToken]: ">",
  [ts.SyntaxKind.GreaterThanEqualsToken]: ">=",
};

function comparison(cx: CelContext, e: ts.BinaryExpression, env: CelEnv): Cel {
  const op = e.operatorToken.kind;
  const order = ORDER[op];
  if (order) {
    for (const side of [e.left, e.right]) {
      if (!cx.isNumber(cx.typeOf(side)) && !ts.isNumericLiteral(unwrap(side))) cx.block(`ordering \`${cx.text(side)}\`, which is not a number (CEL orders strings by code point, JavaScript by UTF-16 unit)`, side);
    }
    const a = value(cx, e.left, env);
    const b = value(cx, e.right, env);
    return c.and([...a.defined, ...b.defined, celLowerings.order(order, a.cel, b.cel)]);
  }
  const negated = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  const loose = op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  const nullish = (x: ts.Expression) => isUndefinedLiteral(x) || (loose && unwrap(x).kind === ts.SyntaxKind.NullKeyword);
  if (nullish(e.left) || nullish(e.right)) {
    const other = nullish(e.left) ? e.right : e.left;
    const v = value(cx, other, env);
    const defined = [...v.defined];
    if (loose && mayBeNull(cx.typeOf(other))) defined.push(c.compare("!=", v.cel, c.raw("null")));
    const present = c.and(defined);
    return negated ? present : c.not(present);
  }
  const literal = (x: ts.Expression) => {
    const u = unwrap(x);
    return ts.isStringLiteral(u) || ts.isNumericLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u) || u.kind === ts.SyntaxKind.TrueKeyword || u.kind === ts.SyntaxKind.FalseKeyword || u.kind === ts.SyntaxKind.NullKeyword;
  };
  for (const side of literal(e.left) || literal(e.right) ? [] : [e.left, e.right]) {
    const k = kinds(cx.typeOf(side), cx.checker);
    if (k.has("object") || k.has("array") || k.has("other")) cx.block(`comparing \`${cx.text(side)}\` (not a string, number or boolean) with \`${e.operatorToken.getText(cx.sourceFile)}\``, e);
  }
  const a = value(cx, e.left, env);
  const b = value(cx, e.right, env);
  const eq = c.and([...a.defined, ...b.defined, c.compare("==", a.cel, b.cel)]);
  // `undefined === undefined` is true in TypeScript.
  const both = a.defined.length > 0 && b.defined.length > 0 ? c.or([eq, c.and([c.not(c.and(a.defined)), c.not(c.and(b.defined))])]) : eq;
  return negated ? celLowerings.notEqual(both, a, b) : both;
}

/** Conditions for calls that test something (`some`, `every`, `includes`, `startsWith`, RegExp `test`, ...). */
function callCond(cx: CelContext, e: ts.CallExpression, env: CelEnv): Cel | undefined {
  const callee = unwrap(e.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const recvType = cx.typeOf(callee.expression);
  if (kinds(recvType, cx.checker).has("array") && only(recvType, cx.checker, "array")) {
    if (method === "some" || method === "every") {
      const o = overElements(cx, callee.expression, e.arguments[0], env);
      return c.and([...o.domain.defined, c.macro(o.domain.cel, method === "some" ? "exists" : "all", o.name, o.test())]);
    }
    if (method === "includes" && e.arguments.length === 1) {
      const xs = list(cx, callee.expression, env);
      const x = value(cx, e.arguments[0]!, env);
      const el = elementType(recvType, cx.checker);
      if (el && [...kinds(el, cx.checker)].some((k) => k === "object" || k === "array")) cx.block("`.includes()` of an object (JavaScript compares references)", e);
      return c.and([...xs.defined, ...x.defined, c.inList(x.cel, xs.cel)]);
    }
  }
  return undefined;
}

/** A callback bound over the elements of `domain`: its element variable, and what it computes as a condition or a value. */
interface Elements {
  domain: CelValue;
  name: string;
  env: CelEnv;
  /** Where the callback's result is written (for diagnostics). */
  node: ts.Node;
  test(): Cel;
  result(): CelValue;
}

/**
 * The callback of an array method: `x => expression`, `(x) => { return expression; }`, or a
 * function given by name (`xs.some(isPrivileged)`: a helper function of the policy files, inlined
 * with the element as its argument). A named callback must take one parameter: JavaScript also
 * passes the index and the array, which CEL's macros do not.
 */
function overElements(cx: CelContext, domainNode: ts.Expression, cb: ts.Expression | undefined, env: CelEnv): Elements {
  const f = cb && unwrap(cb);
  let named: ts.FunctionDeclaration | undefined;
  if (f && ts.isIdentifier(f)) {
    const decl = cx.symbolOf(f)?.valueDeclaration;
    if (decl && ts.isFunctionDeclaration(decl) && decl.body && !decl.getSourceFile().isDeclarationFile) named = decl;
    else return cx.block(`the callback \`${f.text}\` (only a helper function of the policy files is inlined)`, f);
  }
  const fn = named ?? f;
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn))) return cx.block("this callback (CEL's macros take `x => expression`)", cb ?? domainNode);
  if (fn.parameters.length !== 1 || !ts.isIdentifier(fn.parameters[0]!.name) || fn.parameters[0]!.dotDotDotToken) {
    return cx.block(named ? `the callback \`${cx.text(cb!)}\`, which does not take exactly one parameter (JavaScript passes the index and the array too)` : "this callback (CEL's macros take `x => expression`)", cb ?? domainNode);
  }
  const domain = list(cx, domainNode, env);
  const param = fn.parameters[0]!.name as ts.Identifier;
  const name = cx.loopName(param.text, env.loops);
  const element: CelValue = { cel: c.raw(name), defined: [], loopVars: new Set([name]) };
  const inner: CelEnv = { scope: env.scope, loops: new Set([...env.loops, name]) };
  if (named) {
    const decl = named;
    const call = cb!;
    const returns = cx.checker.getReturnTypeOfSignature(cx.checker.getSignatureFromDeclaration(decl)!);
    const result = () => inlineFunction(cx, decl, [element], inner, call);
    return { domain, name, env: inner, node: call, result, test: () => truthy(cx, result(), returns, call) };
  }
  let body: ts.Expression;
  if (ts.isBlock(fn.body!)) {
    const [stmt] = fn.body.statements;
    if (fn.body.statements.length !== 1 || !stmt || !ts.isReturnStatement(stmt) || !stmt.expression) return cx.block("a callback with statements", fn.body);
    body = stmt.expression;
  } else body = fn.body as ts.Expression;
  const sym = cx.symbolOf(param);
  const scope = new Map(env.scope);
  if (sym) scope.set(sym, { kind: "value", value: element });
  const bodyEnv: CelEnv = { scope, loops: inner.loops };
  return { domain, name, env: bodyEnv, node: body, test: () => cond(cx, body, bodyEnv), result: () => value(cx, body, bodyEnv) };
}

function callValue(cx: CelContext, e: ts.CallExpression, env: CelEnv): CelValue {
  const callee = unwrap(e.expression);
  const args = e.arguments;
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const recv = callee.expression;
    const recvType = cx.typeOf(recv);
    const regex = regexLiteral(cx, unwrap(recv));
    if (regex && method === "test" && args.length === 1) {
      const slash = regex.text.lastIndexOf("/");
      const checked = toRe2(regex.text.slice(1, slash), regex.text.slice(slash + 1));
      if ("error" in checked) return cx.block("this regular expression", regex);
      if (!only(cx.typeOf(args[0]!), cx.checker, "string")) cx.block("RegExp.test of a value that is not a string", args[0]!);
      const s = value(cx, args[0]!, env);
      return plain(guarded(s, c.method(s.cel, "matches", [c.str(checked.pattern)])));
    }
    const objectCall = objectMethod(e);
    if (objectCall === "keys" || objectCall === "values") {
      const o = value(cx, args[0]!, env);
      const k = cx.loopName("k", env.loops);
      return { cel: c.macro(o.cel, "map", k, objectCall === "keys" ? c.raw(k) : c.index(o.cel, c.raw(k))), defined: o.defined, loopVars: o.loopVars };
    }
    if (only(recvType, cx.checker, "string")) return stringMethod(cx, method, recv, args, env, e);
    if (only(recvType, cx.checker, "array")) return arrayMethod(cx, method, recv, args, env, e);
    if (ts.isIdentifier(recv) && recv.text === "Array" && method === "isArray" && args.length === 1) {
      const x = value(cx, args[0]!, env);
      return plain(c.compare("==", c.fn("type", [x.cel]), c.raw("list")), x);
    }
    return cx.block(`\`.${method}()\` on \`${cx.checker.typeToString(recvType)}\``, callee.name);
  }
  if (ts.isIdentifier(callee)) {
    if (isApi(cx, callee, "regexMatch") && args.length === 2) {
      const p = value(cx, args[0]!, env);
      const s = value(cx, args[1]!, env);
      return plain(c.and([...p.defined, ...s.defined, c.method(s.cel, "matches", [p.cel])]));
    }
    if (isApi(cx, callee, "regoString") && args.length === 1) return regoString(cx, args[0]!, env);
    if (isApi(cx, callee, "podSpecOf") && args.length === 1) return podSpec(cx, value(cx, args[0]!, env), e);
    const decl = cx.symbolOf(callee)?.valueDeclaration;
    if (decl && ts.isFunctionDeclaration(decl) && decl.body && !decl.getSourceFile().isDeclarationFile) {
      return inlineFunction(cx, decl, args.map((a) => value(cx, a, env)), env, e);
    }
    return cx.block(`calling \`${callee.text}\``, callee);
  }
  return cx.block(`calling \`${cx.text(callee)}\``, callee);
}

/** The RegExp literal a receiver is, directly or through a `const` (toRe2 refuses the stateful `g` and `y` flags). */
function regexLiteral(cx: CelContext, r: ts.Expression): ts.RegularExpressionLiteral | undefined {
  if (ts.isRegularExpressionLiteral(r)) return r;
  if (!ts.isIdentifier(r)) return undefined;
  const decl = cx.symbolOf(r)?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return undefined;
  const init = unwrap(decl.initializer);
  return ts.isRegularExpressionLiteral(init) ? init : undefined;
}

function isApi(cx: CelContext, id: ts.Identifier, name: string): boolean {
  const decl = cx.symbolOf(id)?.declarations?.[0];
  if (!decl || !ts.isFunctionDeclaration(decl) || decl.name?.text !== name) return false;
  return /[\\/](src|dist)[\\/]api[\\/]violation\.(d\.)?ts$/.test(decl.getSourceFile().fileName);
}

function stringMethod(cx: CelContext, method: string, recv: ts.Expression, args: ts.NodeArray<ts.Expression>, env: CelEnv, e: ts.CallExpression): CelValue {
  const s = value(cx, recv, env);
  const a = args.map((x) => value(cx, x, env));
  const strArg = (i: number) => args[i] !== undefined && only(cx.typeOf(args[i]!), cx.checker, "string");
  const call = (name: string, extra: Cel[] = []) => plain(c.method(s.cel, name, [...a.map((x) => x.cel), ...extra]), s, ...a);
  switch (method) {
    case "startsWith":
    case "endsWith":
      if (args.length === 1 && strArg(0)) return call(method);
      break;
    case "includes":
      if (args.length === 1 && strArg(0)) return call("contains");
      break;
    case "split":
      if (args.length === 1 && strArg(0)) return call("split");
      break;
    case "replaceAll":
      if (args.length === 2 && strArg(0) && strArg(1)) return call("replace");
      break;
    case "replace":
      if (args.length === 2 && strArg(0) && strArg(1)) return call("replace", [c.num(1)]);
      break;
    default:
      break;
  }
  return cx.block(`\`.${method}()\` on a string`, (e.expression as ts.PropertyAccessExpression).name);
}

function arrayMethod(cx: CelContext, method: string, recv: ts.Expression, args: ts.NodeArray<ts.Expression>, env: CelEnv, e: ts.CallExpression): CelValue {
  switch (method) {
    case "some":
    case "every":
    case "includes":
      return plain(callCond(cx, e, env) ?? cx.block(`\`.${method}()\``, e));
    case "filter":
    case "map": {
      const o = overElements(cx, recv, args[0], env);
      let body: Cel;
      if (method === "filter") body = o.test();
      else {
        const out = o.result();
        if (out.defined.length > 0) cx.block("a `.map()` callback whose value may be undefined", o.node);
        body = out.cel;
      }
      return { cel: c.macro(o.domain.cel, method, o.name, body), defined: o.domain.defined, loopVars: o.domain.loopVars };
    }
    case "find": {
      // The first element the callback accepts; undefined where none does.
      const o = overElements(cx, recv, args[0], env);
      const test = o.test();
      const matches = c.macro(o.domain.cel, "filter", o.name, test);
      // Outside every loop the filtered list is computed once, as a variable; inside, the callback may read the loop's variables.
      if (o.domain.defined.length === 0 && env.loops.size === 0) {
        const found = cx.hoist("found", matches, e);
        const list = c.raw(`variables.${found}`, 8);
        return { cel: c.index(list, c.num(0)), defined: [c.compare(">", c.fn("size", [list]), c.num(0))], loopVars: o.domain.loopVars };
      }
      return { cel: c.index(matches, c.num(0)), defined: [...o.domain.defined, c.macro(o.domain.cel, "exists", o.name, test)], loopVars: o.domain.loopVars };
    }
    case "join": {
      const el = elementType(cx.typeOf(recv), cx.checker);
      // JavaScript prints a missing element as nothing; CEL has no missing elements to print.
      if (args.length !== 1 || !el || !only(cx.typeOf(args[0]!), cx.checker, "string") || mayBeUndefined(el) || mayBeNull(el)) break;
      const xs = value(cx, recv, env);
      const sep = value(cx, args[0]!, env);
      if (only(el, cx.checker, "string")) return plain(c.method(xs.cel, "join", [sep.cel]), xs, sep);
      // Integers and booleans print alike in both languages (numbers from objects are integers, as for `${n}`).
      if (cx.isNumber(el) || only(el, cx.checker, "boolean")) {
        const x = cx.loopName("x", env.loops);
        return plain(c.method(c.macro(xs.cel, "map", x, c.fn("string", [c.raw(x)])), "join", [sep.cel]), xs, sep);
      }
      break;
    }
    case "concat": {
      let acc = value(cx, recv, env);
      for (const a of args) {
        const t = cx.typeOf(a);
        const k = kinds(t, cx.checker);
        const v = value(cx, a, env);
        if (only(t, cx.checker, "array")) {
          acc = plain(c.binary("+", acc.cel, v.cel), acc, v);
          continue;
        }
        // JavaScript spreads an array argument and appends anything else: an element is `+ [x]`,
        // unless its type may be an array at run time (`T | T[]`, unknown) or undefined.
        if (k.size === 0 || k.has("array") || k.has("other") || cx.isAny(a)) cx.block(`\`.concat()\` of \`${cx.text(a)}\`, which may or may not be an array`, a);
        if (v.defined.length > 0 || mayBeUndefined(t) || mayBeNull(t)) cx.block(`\`.concat()\` of \`${cx.text(a)}\`, which may be undefined or null`, a);
        acc = plain(c.binary("+", acc.cel, c.list([v.cel])), acc, v);
      }
      return acc;
    }
    default:
      break;
  }
  return cx.block(`\`.${method}()\` on an array`, (e.expression as ts.PropertyAccessExpression).name);
}

/** `regoString(x)`: Rego's `%v` for strings and arrays of strings or integers. */
function regoString(cx: CelContext, node: ts.Expression, env: CelEnv): CelValue {
  const t = cx.typeOf(node);
  const v = value(cx, node, env);
  if (only(t, cx.checker, "string")) return v;
  if (cx.isNumber(t) || only(t, cx.checker, "boolean")) return plain(c.fn("string", [v.cel]), v);
  const el = elementType(t, cx.checker);
  if (el && only(t, cx.checker, "array") && (only(el, cx.checker, "string") || only(el, cx.checker, "number"))) {
    const x = cx.loopName("x", env.loops);
    // Rego quotes strings as JSON does; parameters hold plain names, where that is `"` around them.
    const item = only(el, cx.checker, "string") ? c.binary("+", c.binary("+", c.str('"'), c.raw(x)), c.str('"')) : c.fn("string", [c.raw(x)]);
    const inner = c.method(c.macro(v.cel, "map", x, item), "join", [c.str(", ")]);
    return plain(c.binary("+", c.binary("+", c.str("["), inner), c.str("]")), v);
  }
  return cx.block(`regoString of \`${cx.checker.typeToString(t)}\``, node);
}

const TEMPLATE_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"];

/** `podSpecOf(obj)`: the pod spec wherever the workload keeps it; undefined for other kinds. */
function podSpec(cx: CelContext, obj: CelValue, node: ts.Node): CelValue {
  const o = obj.cel;
  const kind = c.select(o, "kind");
  const chain = (path: string[]) => {
    const conds: Cel[] = [];
    let at = o;
    for (const p of path) {
      conds.push(c.has(at, p));
      at = c.select(at, p);
    }
    return { conds, at };
  };
  const pod = chain(["spec"]);
  const tmpl = chain(["spec", "template", "spec"]);
  const cron = chain(["spec", "jobTemplate", "spec", "template", "spec"]);
  const isPod = c.compare("==", kind, c.str("Pod"));
  const isCron = c.compare("==", kind, c.str("CronJob"));
  const expression = c.ternary(isPod, pod.at, c.ternary(isCron, cron.at, tmpl.at));
  const defined = c.and([
    c.has(o, "kind"),
    c.ternary(isPod, c.and(pod.conds), c.ternary(isCron, c.and(cron.conds), c.and([c.inList(kind, c.list(TEMPLATE_KINDS.map(c.str))), ...tmpl.conds]))),
  ]);
  if (obj.loopVars.size === 0 && obj.defined.length === 0) {
    const name = cx.hoist("podSpec", expression, node);
    const hasName = cx.hoist("hasPodSpec", defined, node);
    return { cel: c.raw(`variables.${name}`, 8), defined: [c.raw(`variables.${hasName}`, 8)], loopVars: obj.loopVars };
  }
  return { cel: expression, defined: [...obj.defined, defined], loopVars: obj.loopVars };
}

export function describe(n: ts.Node): string {
  const kind = ts.SyntaxKind[n.kind] ?? "this construct";
  return kind.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase().replace(/ (expression|statement)$/, " $1");
}
