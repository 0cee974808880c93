/**
 * TypeScript expressions → Rego, in two forms: a *value* (a term, possibly undefined exactly where
 * the TypeScript value is `undefined`) and a *condition* (body expressions that succeed exactly
 * where the TypeScript value is truthy). Negation, disjunction and booleans used as values become
 * named helper rules or functions, because Rego's `not` takes one expression and a body is a
 * conjunction.
 */
import ts from "../frontend/typescript-api.cjs";
import { build, type Body, type Expr, type Term } from "../engine/rego/index.js";
import { callValue, callCond } from "./calls.js";
import { extendPath, type Context, type Path } from "./context.js";
import { T } from "./diagnostics.js";
import { lowerings } from "./lowerings.js";
import { snakeCase } from "./names.js";
import { boundVarsOfBody, callExpr, extendRef, isDefined, varsOfBody, varsOfTerm } from "./terms.js";
import { isAny, kinds, mayBeNull, mayBeUndefined, only } from "./types.js";
import { COMPARISONS } from "./operators.js";

const { v, str, num, bool, nullT, arr, obj, call, expr } = build;

/** A compiled value and, when it reads the reviewed object or the parameters, the path it reads. */
export interface Value {
  term: Term;
  shape?: string[];
  /** For arrays built from something else (`Object.values(o)`): what each element reads. */
  elementShape?: string[];
}

const ERROR_TERM: Term = build.nullT();

export function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) {
    e = e.expression;
  }
  return e;
}

function hasCast(e: ts.Expression): boolean {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) {
    if (ts.isAsExpression(e) || ts.isTypeAssertionExpression(e)) return true;
    e = e.expression;
  }
  return false;
}

export function valueOf(cx: Context, e: ts.Expression, p: Path): Term {
  return value(cx, e, p).term;
}

export function value(cx: Context, node: ts.Expression, p: Path): Value {
  const e = unwrap(node);
  // Only a cast can make a typed value \`any\` (parentheses, \`!\` and \`satisfies\` keep its type).
  if (e !== node && hasCast(node) && isAny(cx.typeOf(node)) && !isAny(cx.typeOf(e))) {
    cx.error(T.anyType, [cx.text(node)], node);
    return { term: ERROR_TERM };
  }
  if (ts.isIdentifier(e)) return identifier(cx, e, p);
  if (ts.isPropertyAccessExpression(e)) return property(cx, e, p);
  if (ts.isElementAccessExpression(e)) {
    const base = value(cx, e.expression, p);
    const arg = unwrap(e.argumentExpression);
    const key = ts.isStringLiteral(arg) ? str(arg.text) : ts.isNumericLiteral(arg) ? num(Number(arg.text)) : valueOf(cx, arg, p);
    const seg = ts.isStringLiteral(arg) ? arg.text : cx.checker.isArrayType(cx.typeOf(e.expression)) ? "[]" : "{}";
    return withShape(cx, e, { term: extendRef(base.term, key) }, base.shape && [...base.shape, seg]);
  }
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { term: str(e.text) };
  if (ts.isNumericLiteral(e)) return { term: num(Number(e.text)) };
  if (e.kind === ts.SyntaxKind.TrueKeyword) return { term: bool(true) };
  if (e.kind === ts.SyntaxKind.FalseKeyword) return { term: bool(false) };
  if (e.kind === ts.SyntaxKind.NullKeyword) return { term: nullT() };
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) {
    const inner = unwrap(e.operand);
    if (ts.isNumericLiteral(inner)) return { term: num(-Number(inner.text)) };
    return { term: call("minus", [num(0), valueOf(cx, inner, p)]) };
  }
  if (ts.isTemplateExpression(e)) return { term: formatted(cx, e, p) };
  if (ts.isArrayLiteralExpression(e)) return arrayLiteral(cx, e, p);
  if (ts.isObjectLiteralExpression(e)) return { term: objectLiteral(cx, e, p) };
  if (ts.isCallExpression(e)) return callValue(cx, e, p);
  if (ts.isConditionalExpression(e)) {
    const name = cx.takeValueName("value");
    return { term: valueHelper(cx, name, [[cond(cx, e.condition, p), valueOf(cx, e.whenTrue, p)]], valueOf(cx, e.whenFalse, p), p, e) };
  }
  if (ts.isBinaryExpression(e)) return binaryValue(cx, e, p);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return { term: boolValue(cx, cond(cx, e, p), p, e) };
  if (isMutation(e)) {
    cx.error(T.mutation, [`\`${cx.text(e)}\``], e);
    return { term: ERROR_TERM };
  }
  if (ts.isNewExpression(e) || ts.isClassExpression(e)) {
    cx.error(T.unsupportedExpression, ["`new` (classes and constructors)", "use plain objects, arrays and functions"], e);
    return { term: ERROR_TERM };
  }
  cx.error(T.unsupportedExpression, [describe(e), "use property access, literals, template literals, comparisons and the supported methods"], e);
  return { term: ERROR_TERM };
}

function withShape(cx: Context, node: ts.Node, val: Value, shape: string[] | undefined, required = false): Value {
  if (!shape) return val;
  if (cx.shapes.enabled) cx.shapes.record(shape, cx.typeOf(node), cx.checker, required);
  return { term: val.term, shape };
}

function identifier(cx: Context, e: ts.Identifier, p: Path, symbol?: ts.Symbol): Value {
  if (e.text === "undefined") {
    cx.error(T.unsupportedExpression, ["`undefined` as a value", "compare with `=== undefined` / `!== undefined`, or use `??`"], e);
    return { term: ERROR_TERM };
  }
  const sym = symbol ?? cx.symbolOf(e);
  const b = sym && p.scope.get(sym);
  if (b?.kind === "term") {
    const val = b.shape ? withShape(cx, e, { term: b.term }, b.shape) : { term: b.term };
    return b.elementShape ? { ...val, elementShape: b.elementShape } : val;
  }
  if (b?.kind === "macro") return value(cx, b.expr, { ...p, scope: b.scope });
  // A module-level const with a literal value (e.g. a list of allowed names).
  const decl = sym?.valueDeclaration;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const && isLiteral(decl.initializer)) {
    return value(cx, decl.initializer, { ...p, scope: new Map() });
  }
  if (sym && isAny(cx.typeOf(e))) cx.error(T.anyType, [e.text], e);
  else cx.error(T.unsupportedExpression, [`\`${e.text}\``, "only the body's parameters, its consts, loop variables and module-level literal consts can be used"], e);
  return { term: ERROR_TERM };
}

function isLiteral(e: ts.Expression): boolean {
  e = unwrap(e);
  if (ts.isStringLiteral(e) || ts.isNumericLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isArrayLiteralExpression(e)) return e.elements.every(isLiteral);
  if (ts.isObjectLiteralExpression(e)) return e.properties.every((x) => ts.isPropertyAssignment(x) && isLiteral(x.initializer));
  if (ts.isPrefixUnaryExpression(e)) return ts.isNumericLiteral(e.operand);
  return false;
}

function property(cx: Context, e: ts.PropertyAccessExpression, p: Path): Value {
  const name = e.name.text;
  if (name === "length") {
    const k = kinds(cx.typeOf(e.expression), cx.checker);
    if (k.size === 1 && (k.has("string") || k.has("array"))) {
      const base = value(cx, e.expression, p);
      return { term: call("count", [base.term]) };
    }
  }
  const base = value(cx, e.expression, p);
  // `any` enters through a name, a cast or a call; a property of a typed object is typed.
  const inner = unwrap(e.expression);
  if ((ts.isIdentifier(inner) || ts.isCallExpression(inner)) && cx.isAnyAt(e.expression)) cx.error(T.anyType, [cx.text(e.expression)], e.expression);
  const prop = cx.shapes.enabled && base.shape ? cx.checker.getSymbolAtLocation(e.name) : undefined;
  const required = prop !== undefined && !(prop.flags & ts.SymbolFlags.Optional);
  return withShape(cx, e, { term: extendRef(base.term, str(name)) }, base.shape && [...base.shape, name], required);
}

function arrayLiteral(cx: Context, e: ts.ArrayLiteralExpression, p: Path): Value {
  // `[a, ...xs, b]` is array.concat of the runs between spreads.
  const pieces: Term[] = [];
  const shapes: string[][] = [];
  let run: Term[] = [];
  for (const el of e.elements) {
    if (ts.isSpreadElement(el)) {
      if (run.length > 0) pieces.push(arr(run));
      run = [];
      const val = value(cx, el.expression, p);
      pieces.push(val.term);
      if (val.shape) shapes.push(val.shape);
    } else run.push(valueOf(cx, el, p));
  }
  if (run.length > 0 || pieces.length === 0) pieces.push(arr(run));
  const term = pieces.reduce((a, b) => call("array.concat", [a, b]));
  // Elements read through the spread array are read from every spread source.
  for (const s of shapes.slice(1)) cx.shapes.alias(shapes[0]!, s);
  return shapes[0] ? { term, shape: shapes[0] } : { term };
}

function objectLiteral(cx: Context, e: ts.ObjectLiteralExpression, p: Path): Term {
  const items: [Term, Term][] = [];
  for (const prop of e.properties) {
    if (ts.isPropertyAssignment(prop) && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) {
      items.push([str(prop.name.text), valueOf(cx, prop.initializer, p)]);
    } else if (ts.isShorthandPropertyAssignment(prop)) {
      // `{ want }`: the name's symbol is the property; the value is the variable of that name.
      const sym = cx.checker.getShorthandAssignmentValueSymbol(prop);
      items.push([str(prop.name.text), identifier(cx, prop.name, p, sym).term]);
    } else {
      cx.error(T.unsupportedExpression, [describe(prop), "write `key: value` properties"], prop);
    }
  }
  return obj(items);
}

const ARITH: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.MinusToken]: "minus",
  [ts.SyntaxKind.AsteriskToken]: "mul",
  [ts.SyntaxKind.SlashToken]: "div",
  [ts.SyntaxKind.PercentToken]: "rem",
};

function binaryValue(cx: Context, e: ts.BinaryExpression, p: Path): Value {
  const op = e.operatorToken.kind;
  if (op === ts.SyntaxKind.PlusToken) {
    if (only(cx.typeOf(e), cx.checker, "string")) return { term: formatted(cx, e, p) };
    return { term: call("plus", [valueOf(cx, e.left, p), valueOf(cx, e.right, p)]) };
  }
  const arith = ARITH[op];
  if (arith) return { term: call(arith, [valueOf(cx, e.left, p), valueOf(cx, e.right, p)]) };
  // The const's name goes to the outermost helper, so it is taken before the operands compile.
  if (op === ts.SyntaxKind.QuestionQuestionToken) {
    const name = cx.takeValueName("value_or_default");
    const left = value(cx, e.left, p);
    const term = coalesce(cx, e, left.term, p, name);
    return left.shape ? { term, shape: left.shape } : { term };
  }
  if (op === ts.SyntaxKind.BarBarToken && !only(cx.typeOf(e), cx.checker, "boolean")) {
    // `a || b` as a value: a when truthy, else b.
    const name = cx.takeValueName("value");
    const left = value(cx, e.left, p);
    return { term: valueHelper(cx, name, [[truthy(cx, left.term, cx.typeOf(e.left), e.left), left.term]], valueOf(cx, e.right, p), p, e) };
  }
  if (isMutation(e)) {
    cx.error(T.mutation, [`\`${cx.text(e)}\``], e);
    return { term: ERROR_TERM };
  }
  if (COMPARISONS.has(op) || op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
    return { term: boolValue(cx, cond(cx, e, p), p, e) };
  }
  cx.error(T.unsupportedExpression, [`the operator \`${e.operatorToken.getText(cx.sourceFile)}\``, "use + - * / %, comparisons, && || ! and ??"], e.operatorToken);
  return { term: ERROR_TERM };
}

/**
 * `a ?? b`. On a reference with string keys below a defined head this is `object.get`, which is
 * what a Rego author writes; otherwise a helper function with `else`.
 */
function coalesce(cx: Context, e: ts.BinaryExpression, left: Term, p: Path, name: { name: string; fromConst: boolean }): Term {
  const right = valueOf(cx, e.right, p);
  // object.get is undefined when its default is; only a defined default keeps `??`'s meaning.
  if (left.type === "ref" && isDefined(right)) {
    const head = left.terms[0]!;
    // The longest head that always has a value: input.review.object, input.parameters, or a local.
    const second = left.terms[1];
    const third = left.terms[2];
    const isInput = head.type === "var" && head.name === "input";
    const rootLen = isInput && second?.type === "string" && second.value === "review" && third?.type === "string" && third.value === "object" ? 3 : isInput ? 2 : 1;
    const keys = left.terms.slice(rootLen);
    if ((head.type === "var") && keys.length > 0 && keys.every((k) => k.type === "string")) {
      const base: Term = rootLen === 1 ? head : { type: "ref", terms: left.terms.slice(0, rootLen), loc: left.loc };
      return call("object.get", [base, keys.length === 1 ? keys[0]! : arr(keys), right]);
    }
  }
  if (isDefined(left)) return left;
  const local = cx.localName("value", new Set(p.locals));
  const x = v(local);
  return valueHelper(cx, name, [[[build.assign(x, left)], x]], right, p, e, [local]);
}

const ORDER: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.LessThanToken]: "lt",
  [ts.SyntaxKind.LessThanEqualsToken]: "lte",
  [ts.SyntaxKind.GreaterThanToken]: "gt",
  [ts.SyntaxKind.GreaterThanEqualsToken]: "gte",
};

/** Body expressions that succeed exactly when `node` is truthy in TypeScript. */
export function cond(cx: Context, node: ts.Expression, p: Path): Body {
  const e = unwrap(node);
  if (ts.isIdentifier(e)) {
    // A const standing for a condition is that condition (no boolean value needed).
    const sym = cx.symbolOf(e);
    const b = sym && p.scope.get(sym);
    if (b?.kind === "macro") return cond(cx, b.expr, { ...p, scope: b.scope });
  }
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
    return negate(cx, cond(cx, e.operand, p), p, e.operand);
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
      const left = cond(cx, e.left, p);
      return [...left, ...cond(cx, e.right, p)];
    }
    if (op === ts.SyntaxKind.BarBarToken) {
      return [disjunction(cx, [cond(cx, e.left, p), cond(cx, e.right, p)], p, e)];
    }
    if (COMPARISONS.has(op)) return comparison(cx, e, p);
  }
  if (ts.isCallExpression(e)) {
    const c = callCond(cx, e, p);
    if (c) return c;
  }
  const val = value(cx, e, p);
  return truthy(cx, val.term, cx.typeOf(e), e);
}

function isUndefinedLiteral(e: ts.Expression): boolean {
  const u = unwrap(e);
  return (ts.isIdentifier(u) && u.text === "undefined") || ts.isVoidExpression(u);
}

function comparison(cx: Context, e: ts.BinaryExpression, p: Path): Body {
  const op = e.operatorToken.kind;
  const order = ORDER[op];
  if (order) return [callExpr(order, [valueOf(cx, e.left, p), valueOf(cx, e.right, p)])];
  const negated = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  const loose = op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  // `x === undefined` (and `x == null`): x has no value.
  const nullish = (x: ts.Expression) => isUndefinedLiteral(x) || (loose && unwrap(x).kind === ts.SyntaxKind.NullKeyword);
  if (nullish(e.left) || nullish(e.right)) {
    const other = nullish(e.left) ? e.right : e.left;
    const t = valueOf(cx, other, p);
    const defined: Body = loose ? [callExpr("neq", [t, nullT()])] : presence(cx, t, other);
    return negated ? defined : negate(cx, defined, p, other);
  }
  // A comparison with a literal is never between objects (and asks the checker nothing).
  const literal = (x: ts.Expression) => {
    const u = unwrap(x);
    return ts.isStringLiteral(u) || ts.isNumericLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u) || u.kind === ts.SyntaxKind.TrueKeyword || u.kind === ts.SyntaxKind.FalseKeyword;
  };
  for (const side of literal(e.left) || literal(e.right) ? [] : [e.left, e.right]) {
    const k = kinds(cx.typeOf(side), cx.checker);
    if (k.has("object") || k.has("array")) {
      cx.error(T.objectEquality, [`\`${cx.text(side)}\``, e.operatorToken.getText(cx.sourceFile)], e);
      return [];
    }
  }
  const left = value(cx, e.left, p);
  const right = value(cx, e.right, p);
  recordSample(cx, left, e.right);
  recordSample(cx, right, e.left);
  let eq = callExpr("equal", [left.term, right.term]);
  if (!isDefined(left.term) && !isDefined(right.term) && mayBeUndefined(cx.typeOf(e.left)) && mayBeUndefined(cx.typeOf(e.right))) {
    // `undefined === undefined` is true in TypeScript; in Rego `==` on two missing values is undefined.
    const absent = (t: Term, node: ts.Expression): Body => negate(cx, presence(cx, t, node), p, node);
    eq = boolHelper(cx, `${noun(e.left)}_equals_${noun(e.right)}`, [[eq], [...absent(left.term, e.left), ...absent(right.term, e.right)]], p, e);
    return negated ? negate(cx, [eq], p, e) : [eq];
  }
  if (!negated) return [eq];
  // `not f(x) == y` would evaluate f(x) outside the negation (see negationSafe): use a helper.
  if (!negationSafe(eq)) return negate(cx, [eq], p, e);
  return lowerings.notEqual(left.term, right.term);
}

/**
 * Succeeds when `t` has a value: a bare reference idiomatically, unless the value may be `false`;
 * then the key's presence (`"k" in object.keys(parent)`), or for a computed boolean `is_boolean(t)`.
 */
function presence(cx: Context, t: Term, node: ts.Expression): Body {
  const k = kinds(cx.typeOf(node), cx.checker);
  if (!k.has("boolean") && t.type === "ref") return [expr(t)];
  const last = t.type === "ref" ? t.terms[t.terms.length - 1] : undefined;
  if (t.type === "ref" && t.terms.length > 1 && last?.type === "string") {
    const parent: Term = t.terms.length === 2 && t.terms[0]!.type === "var" ? t.terms[0]! : { ...t, terms: t.terms.slice(0, -1) };
    return [callExpr("internal.member_2", [last, call("object.keys", [parent])])];
  }
  if (k.size === 1) return [callExpr("is_boolean", [t])];
  return [build.eq(v("_"), t)];
}

function recordSample(cx: Context, val: Value, other: ts.Expression): void {
  const o = unwrap(other);
  if (!val.shape) return;
  if (ts.isStringLiteral(o)) cx.shapes.sample(val.shape, o.text);
  else if (ts.isNumericLiteral(o)) cx.shapes.sample(val.shape, Number(o.text));
}

/** Truthiness of a value of TypeScript type `t`, written the way a Rego author would test it. */
export function truthy(cx: Context, term: Term, t: ts.Type, node: ts.Node): Body {
  if (isAny(t)) {
    cx.error(T.anyType, [cx.text(node)], node);
    return [];
  }
  const k = kinds(t, cx.checker);
  const out: Body = [];
  if (k.size === 1 && k.has("boolean")) return mayBeNull(t) ? [callExpr("equal", [term, bool(true)])] : [expr(term)];
  if (k.size === 1 && k.has("string")) return [callExpr("neq", [term, str("")])];
  if (k.size === 1 && k.has("number")) return [callExpr("neq", [term, num(0)])];
  if (k.size > 0 && [...k].every((x) => x === "object" || x === "array")) {
    if (mayBeNull(t)) out.push(callExpr("neq", [term, nullT()]));
    // A bound variable always has a value, and objects and arrays are true: nothing to test.
    else if (term.type !== "var") out.push(expr(term));
    return out;
  }
  cx.error(T.unsupportedExpression, [`the truthiness of \`${cx.text(node)}\` (type \`${cx.checker.typeToString(t)}\`)`, "compare it explicitly (=== / !== / > 0)"], node);
  return [];
}

/** `not` of a condition: one negated expression, or `not helper(...)` for anything longer. */
export function negate(cx: Context, body: Body, p: Path, node: ts.Node): Body {
  if (body.length === 1) {
    const only1 = body[0]!;
    if ((only1.expr.kind === "call" || only1.expr.kind === "term") && (only1.negated || negationSafe(only1))) {
      if (only1.negated) return [{ ...only1, negated: false }];
      if (only1.expr.kind === "call") {
        const name = only1.expr.operator.terms.map((t) => (t.type === "var" ? t.name : t.type === "string" ? t.value : "")).join(".");
        // `not x != y` reads badly and means the same as `x == y` only when both sides are defined.
        if (name === "neq" && only1.expr.args.every(isDefined)) return [callExpr("equal", only1.expr.args)];
      }
      return [{ ...only1, negated: true }];
    }
  }
  if (body.length === 0) return [expr(bool(false))];
  // `not false` holds: nothing to test.
  if (body.length === 1 && isFalse(body[0]!)) return [];
  const helper = boolHelper(cx, helperName(cx, node), [body], p, node);
  return [{ ...helper, negated: true }];
}

function isFalse(e: Expr): boolean {
  return !e.negated && e.expr.kind === "term" && e.expr.term.type === "boolean" && !e.expr.term.value;
}

/**
 * Whether `not <e>` keeps TypeScript's meaning. OPA evaluates the arguments of a negated call
 * (other than `==`) and nested calls outside the negation, so `not startswith(c.image, "x")` fails
 * when `image` is missing, where TypeScript's `!c.image?.startsWith("x")` is true. Such expressions
 * go into a helper (`not helper(c)`), whose undefinedness the negation does absorb.
 */
function negationSafe(e: Expr): boolean {
  const b = e.expr;
  if (b.kind === "term") return b.term.type !== "call" || callSafe(b.term.operator, b.term.args);
  if (b.kind === "call") return callSafe(b.operator, b.args);
  return false;
}

function callSafe(op: { terms: Term[] }, args: Term[]): boolean {
  const head = op.terms[0];
  const name = head?.type === "var" ? head.name : "";
  const noCalls = (t: Term): boolean => t.type !== "call" && !(t.type === "ref" && t.terms.some((x, i) => (i === 0 ? x.type === "call" : !noCalls(x))));
  // A nested call over values that always exist cannot be undefined, wherever OPA evaluates it.
  const hoistable = (t: Term): boolean => noCalls(t) || (t.type === "call" && t.args.every(isDefined));
  if (name === "equal") return args.every(hoistable);
  return args.every(isDefined);
}

/** A readable name for a helper that tests `node`: `any_repos`, `all_containers`, `is_<x>`. */
function helperName(cx: Context, node: ts.Node): string {
  const e = ts.isExpression(node) ? unwrap(node) : node;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) return callName(e);
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) return snakeCase(e.expression.text);
  if (ts.isIdentifier(e)) return snakeCase(e.text);
  if (ts.isPropertyAccessExpression(e)) return `has_${snakeCase(e.name.text)}`;
  return conditionName(e) ?? "condition_holds";
}

/** Longest helper name built from a condition's parts; past it, the first part and `_and_more`. */
const MAX_NAME = 56;

/**
 * A name for what a condition tests, from its parts: `mode === "lax"` → `mode_is_lax`,
 * `names.length > max` → `names_count_above_max`, `Object.keys(labels).length === 0` →
 * `labels_empty`, `a && b` → `<a>_and_<b>`; for an early `return`/`continue`, the conditions of the
 * `if`s that lead to it (`else` branches negated).
 */
function conditionName(node: ts.Node, negated = false): string | undefined {
  if (ts.isReturnStatement(node) || ts.isContinueStatement(node)) {
    const parts: string[] = [];
    let child: ts.Node = node;
    for (let n = node.parent; n && !ts.isFunctionLike(n) && !ts.isIterationStatement(n, false); child = n, n = n.parent) {
      if (!ts.isIfStatement(n)) continue;
      parts.unshift(conditionName(n.expression, child === n.elseStatement) ?? "condition_holds");
    }
    return parts.length > 0 ? shorten(parts, "_and_") : undefined;
  }
  if (!ts.isExpression(node)) return undefined;
  const e = unwrap(node);
  const not = (name: string | undefined) => name && (negated ? `not_${name}` : name);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return conditionName(e.operand, !negated);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
      const l = conditionName(e.left);
      const r = conditionName(e.right);
      return not(l && r ? shorten([l, r], op === ts.SyntaxKind.BarBarToken ? "_or_" : "_and_") : (l ?? r));
    }
    const left = noun(e.left);
    const right = unwrap(e.right);
    const lit = literalName(right);
    let eq = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const ne = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (eq || ne) {
      if (negated) eq = !eq;
      if (lit === "undefined" || lit === "null") return eq ? `${left}_missing` : `has_${left}`;
      if (lit === "0" && left.endsWith("_count")) return eq ? `${left.slice(0, -"_count".length)}_empty` : `has_${left.slice(0, -"_count".length)}`;
      if (lit !== undefined) return `${left}_is_${eq ? "" : "not_"}${lit}`;
      return `${left}_${eq ? "equals" : "differs_from"}_${noun(right)}`;
    }
    // A negated comparison is its complement.
    const cmp: Partial<Record<ts.SyntaxKind, [string, string]>> = {
      [ts.SyntaxKind.GreaterThanToken]: ["above", "at_most"],
      [ts.SyntaxKind.GreaterThanEqualsToken]: ["at_least", "below"],
      [ts.SyntaxKind.LessThanToken]: ["below", "at_least"],
      [ts.SyntaxKind.LessThanEqualsToken]: ["at_most", "above"],
    };
    const word = cmp[op];
    if (word) return `${left}_${word[negated ? 1 : 0]}_${lit ?? noun(right)}`;
  }
  if (ts.isCallExpression(e)) return not(callName(e));
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) return not(noun(e));
  return undefined;
}

/** What a call tests: `xs.some(…)` → `any_xs`, `xs.every` → `all_xs`, `xs.includes` → `in_xs`, `s.startsWith("a")` → `s_starts_with_a`. */
function callName(e: ts.CallExpression): string {
  const callee = e.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    const recv = unwrap(callee.expression);
    if (ts.isIdentifier(recv) && recv.text === "Object" && e.arguments[0]) return noun(e.arguments[0]);
    const what = noun(recv);
    const thing = what === "value" ? "item" : what;
    const method = callee.name.text;
    if (method === "some") return `any_${thing}`;
    if (method === "every") return `all_${thing}`;
    if (method === "includes") return `in_${thing}`;
    const arg = e.arguments[0] && literalName(unwrap(e.arguments[0]));
    return `${thing}_${snakeCase(method)}${arg ? `_${arg}` : ""}`;
  }
  return ts.isIdentifier(callee) ? snakeCase(callee.text) : "call";
}

/** `a_and_b` while short enough, else `a_and_more` (never a name that hides a part). */
function shorten(parts: string[], sep: string): string {
  const joined = parts.join(sep);
  return joined.length <= MAX_NAME ? joined : `${parts[0]!}${sep}more`;
}

/** The thing an expression names: `c.image` → `image`, `xs.length` → `xs_count`, `Object.keys(o)` → `o`. */
function noun(node: ts.Expression): string {
  const e = unwrap(node);
  if (ts.isIdentifier(e)) return snakeCase(e.text);
  if (ts.isPropertyAccessExpression(e)) return e.name.text === "length" ? `${noun(e.expression)}_count` : snakeCase(e.name.text);
  if (ts.isElementAccessExpression(e)) {
    const arg = unwrap(e.argumentExpression);
    return ts.isStringLiteral(arg) ? safeName(arg.text) : noun(e.expression);
  }
  if (ts.isCallExpression(e)) {
    const callee = e.expression;
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "Object" && e.arguments[0]) return noun(e.arguments[0]);
    if (ts.isPropertyAccessExpression(callee)) return snakeCase(callee.name.text);
    if (ts.isIdentifier(callee)) return snakeCase(callee.text);
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) return noun(e.left);
  return literalName(e) ?? "value";
}

function literalName(e: ts.Expression): string | undefined {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return safeName(e.text) || "empty";
  if (ts.isNumericLiteral(e)) return e.text.replace(/\./g, "_");
  if (e.kind === ts.SyntaxKind.TrueKeyword) return "true";
  if (e.kind === ts.SyntaxKind.FalseKeyword) return "false";
  if (e.kind === ts.SyntaxKind.NullKeyword) return "null";
  if (ts.isIdentifier(e) && e.text === "undefined") return "undefined";
  return undefined;
}

function safeName(text: string): string {
  return snakeCase(text).replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 24);
}

/** Rego variables of the enclosing body that `parts` use: the helper's parameters. */
function freeVars(parts: (Body | Term)[], p: Path): string[] {
  const used = new Set<string>();
  const bound = new Set<string>();
  for (const x of parts) {
    if (Array.isArray(x)) (varsOfBody(x, used), boundVarsOfBody(x, bound));
    else varsOfTerm(x, used);
  }
  return [...p.locals].filter((n) => used.has(n) && !bound.has(n));
}

/** A boolean helper: a rule (no free variables) or function with one definition per body; returns the call. */
export function boolHelper(cx: Context, wanted: string, bodies: Body[], p: Path, node: ts.Node): Expr {
  const args = freeVars(bodies, p);
  const name = cx.ruleName(wanted);
  for (const body of bodies) {
    const rule = build.rule({ name, ...(args.length > 0 ? { args: args.map((a) => v(a)) } : {}), body });
    cx.helpers.push({ rule, from: cx.lineOf(node) });
  }
  return args.length > 0 ? callExpr(name, args.map((a) => v(a))) : expr(build.ref(name));
}

/** `a || b`: a body is a conjunction, so a disjunction is a helper with one definition per side. */
function disjunction(cx: Context, bodies: Body[], p: Path, node: ts.Node): Expr {
  return boolHelper(cx, conditionName(node) ?? "either", bodies, p, node);
}

/** A boolean as a value: `name(args) := true { cond } else := false`. */
export function boolValue(cx: Context, body: Body, p: Path, node: ts.Node): Term {
  if (body.length === 1 && !body[0]!.negated && body[0]!.expr.kind === "call") {
    const c = body[0]!.expr;
    const op = c.operator.terms[0];
    const builtinBool = op?.type === "var" && ["startswith", "endswith", "contains", "regex.match", "equal", "neq", "lt", "lte", "gt", "gte", "is_array"].includes(op.name);
    if (builtinBool && c.args.every(isDefined)) return { type: "call", operator: c.operator, args: c.args, loc: c.operator.loc };
  }
  return valueHelper(cx, { name: "is_true", fromConst: false }, [[body, bool(true)]], bool(false), p, node);
}

/**
 * A value chosen by conditions: `name(args) := v1 { c1 } else := v2 { c2 } ... else := otherwise`.
 * `bound` lists variables the bodies bind themselves (not parameters).
 */
export function valueHelper(cx: Context, wanted: { name: string; fromConst: boolean }, cases: [Body, Term][], otherwise: Term, p: Path, node: ts.Node, bound: string[] = []): Term {
  const args = freeVars([...cases.flatMap(([b, t]) => [b, t]), otherwise], p).filter((a) => !bound.includes(a));
  // A rule without arguments is the const's value itself (`hint`); a function computes it (`hint_of(c)`),
  // which leaves the const's own name to the local that holds the result.
  const name = cx.ruleName(wanted.fromConst && args.length > 0 ? `${wanted.name}_of` : wanted.name);
  const elses = [...cases.slice(1).map(([body, t]) => ({ value: t, body })), { value: otherwise }];
  const [firstBody, firstValue] = cases[0]!;
  const rule = build.rule({ name, ...(args.length > 0 ? { args: args.map((a) => v(a)) } : {}), value: firstValue, body: firstBody, else: elses });
  cx.helpers.push({ rule, from: cx.lineOf(node) });
  return args.length > 0 ? call(name, args.map((a) => v(a))) : build.ref(name);
}

/**
 * A message: template literals and string `+` become `sprintf` with `%v`, formatting each value as
 * TypeScript prints it (arrays of strings are joined with `,`; `regoString(x)` prints Rego's `%v`).
 */
export function formatted(cx: Context, e: ts.Expression, p: Path): Term {
  const pieces: (string | ts.Expression)[] = [];
  const collect = (x: ts.Expression): void => {
    x = unwrap(x);
    if (ts.isTemplateExpression(x)) {
      pieces.push(x.head.text);
      for (const span of x.templateSpans) {
        pieces.push(span.expression, span.literal.text);
      }
    } else if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken && only(cx.typeOf(x), cx.checker, "string")) {
      collect(x.left);
      collect(x.right);
    } else if (ts.isStringLiteral(x) || ts.isNoSubstitutionTemplateLiteral(x)) pieces.push(x.text);
    else pieces.push(x);
  };
  collect(e);
  let format = "";
  const args: Term[] = [];
  for (const piece of pieces) {
    if (typeof piece === "string") format += piece.replace(/%/g, "%%");
    else {
      format += "%v";
      args.push(formatArg(cx, piece, p));
    }
  }
  if (args.length === 0) return str(format);
  if (format === "%v" && args[0]!.type !== "call") {
    const only0 = pieces.find((x) => typeof x !== "string") as ts.Expression;
    if (cx.isString(only0)) return args[0]!;
  }
  return call("sprintf", [str(format), arr(args)]);
}

function formatArg(cx: Context, e: ts.Expression, p: Path): Term {
  const u = unwrap(e);
  if (ts.isCallExpression(u) && ts.isIdentifier(u.expression) && u.expression.text === "regoString" && u.arguments.length === 1) {
    return valueOf(cx, u.arguments[0]!, p);
  }
  const t = cx.typeOf(e);
  const text = cx.text(e);
  if (mayBeUndefined(t) || mayBeNull(t)) {
    cx.error(T.messageUndefined, [text], e);
    return ERROR_TERM;
  }
  const k = kinds(t, cx.checker);
  if ([...k].every((x) => x === "string" || x === "number" || x === "boolean")) return valueOf(cx, e, p);
  if (k.size === 1 && k.has("array")) {
    const el = cx.checker.getTypeArguments(t as ts.TypeReference)[0];
    if (el && only(el, cx.checker, "string") && !mayBeUndefined(el)) return call("concat", [str(","), valueOf(cx, e, p)]);
    const elKinds = el ? kinds(el, cx.checker) : new Set<string>();
    if (el && !mayBeUndefined(el) && elKinds.size > 0 && [...elKinds].every((k) => k === "number" || k === "boolean")) {
      const x = v(cx.localName("x", new Set(p.locals)));
      const texts: Term = { type: "arraycomprehension", term: call("sprintf", [str("%v"), arr([x])]), body: [build.someIn([x as never], valueOf(cx, e, p))], loc: x.loc };
      return call("concat", [str(","), texts]);
    }
  }
  cx.error(T.messageType, [text, cx.checker.typeToString(t), "interpolate its fields, `.join(\",\")` an array of strings, or wrap it in regoString(...) to print it as Rego does"], e);
  return ERROR_TERM;
}

export function isMutation(e: ts.Expression): boolean {
  if (ts.isBinaryExpression(e)) {
    const k = e.operatorToken.kind;
    return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
  }
  if (ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) {
    return e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken;
  }
  if (ts.isDeleteExpression(e)) return true;
  return false;
}

export function describe(node: ts.Node): string {
  const name = ts.SyntaxKind[node.kind]
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/ expression$| statement$| declaration$/, "");
  const article = /^[aeiou]/.test(name) ? "an" : "a";
  return `${article} ${name}`;
}

/** Binds a callback's parameter (or a loop variable) to a fresh Rego variable in `p`. */
export function bindVar(cx: Context, p: Path, id: ts.BindingName | ts.Identifier, shape?: string[]): Term {
  if (!ts.isIdentifier(id)) {
    cx.error(T.unsupportedExpression, ["destructuring here", "bind a plain name and read its fields"], id);
    return v("_");
  }
  const name = cx.localName(id.text, p.locals);
  const sym = cx.symbolOf(id);
  const term = v(name);
  if (sym) p.scope.set(sym, shape ? { kind: "term", term, shape } : { kind: "term", term });
  return term;
}

export { extendPath };
