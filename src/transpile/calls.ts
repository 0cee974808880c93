/**
 * Calls in check bodies: string and array methods, `Object.keys/values/entries`, `Number()`,
 * RegExp `.test`, the DSL helpers (`podSpecOf`, `regoString`) and the user's own pure functions.
 * Each maps to the Rego built-in with the same meaning, a comprehension, or a named function.
 */
import path from "node:path";
import ts from "../frontend/typescript-api.cjs";
import { ownDirs } from "../frontend/paths.js";
import { build, type Body, type Term } from "../engine/rego/index.js";
import { extendPath, type Context, type Path } from "./context.js";
import { T } from "./diagnostics.js";
import { bindVar, boolValue, cond, unwrap, value, valueOf, type Value } from "./expressions.js";
import { compileFunction } from "./functions.js";
import { useLibrary } from "./library.js";
import { toRe2 } from "./regex.js";
import { callExpr, extendRef } from "./terms.js";
import { elementType, kinds, only } from "./types.js";

const { v, str, num, arr, call } = build;
const ERROR_TERM: Term = build.nullT();

const STRING_METHODS = "startsWith, endsWith, includes, split, toLowerCase, toUpperCase, trim, replace, replaceAll, slice, indexOf";
const ARRAY_METHODS = "some, every, includes, filter, map, find, concat, join";

type Receiver = { kind: "string" | "array" | "regex" | "Object" | "Array" | "JSON" | "other"; node: ts.Expression };

function receiverOf(cx: Context, recv: ts.Expression): Receiver {
  const r = unwrap(recv);
  if (ts.isIdentifier(r) && (r.text === "Object" || r.text === "Array" || r.text === "JSON") && isGlobal(cx, r)) return { kind: r.text, node: r };
  if (regexLiteral(cx, r)) return { kind: "regex", node: r };
  const k = kinds(cx.typeOf(recv), cx.checker);
  if (k.size === 1 && k.has("string")) return { kind: "string", node: recv };
  if (k.size === 1 && k.has("array")) return { kind: "array", node: recv };
  return { kind: "other", node: recv };
}

function isGlobal(cx: Context, id: ts.Identifier): boolean {
  const decl = cx.symbolOf(id)?.declarations?.[0];
  return !decl || decl.getSourceFile().isDeclarationFile;
}

/** The RegExp literal a receiver is (directly, or through a const). */
function regexLiteral(cx: Context, r: ts.Expression): ts.RegularExpressionLiteral | undefined {
  if (ts.isRegularExpressionLiteral(r)) return r;
  if (ts.isIdentifier(r)) {
    const decl = cx.symbolOf(r)?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isRegularExpressionLiteral(unwrap(decl.initializer))) {
      return unwrap(decl.initializer) as ts.RegularExpressionLiteral;
    }
  }
  return undefined;
}

/** A callback `x => expr` / `(x) => { return expr; }` / a function name. */
type Callback = { param: ts.ParameterDeclaration; body: ts.Expression } | { fn: ts.Identifier } | undefined;

function callbackOf(cx: Context, node: ts.Expression | undefined): Callback {
  if (!node) return undefined;
  const f = unwrap(node);
  if (ts.isIdentifier(f)) return { fn: f };
  if ((ts.isArrowFunction(f) || ts.isFunctionExpression(f)) && f.parameters.length === 1) {
    const param = f.parameters[0]!;
    if (ts.isBlock(f.body)) {
      const [stmt] = f.body.statements;
      if (f.body.statements.length === 1 && stmt && ts.isReturnStatement(stmt) && stmt.expression) return { param, body: stmt.expression };
      cx.error(T.unsupportedExpression, ["a callback with statements", "write `x => expression` (or a block with a single return)"], f.body);
      return undefined;
    }
    return { param, body: f.body };
  }
  cx.error(T.unsupportedExpression, ["this callback", "pass `x => expression` with one parameter, or the name of a function"], f);
  return undefined;
}

/**
 * Binds the callback's element variable in a fresh path over `domain` and returns the membership
 * expression plus what the callback computes (`cond` or `value`).
 */
function overElements(cx: Context, domain: ts.Expression, cb: Callback, p: Path): { p2: Path; x: Term; member: Body; body: ts.Expression | undefined; fnCall?: (x: Term) => Term; shape?: string[] } | undefined {
  if (!cb) return undefined;
  const d = value(cx, domainOf(domain), p);
  const p2 = extendPath(p);
  const shape = d.elementShape ?? (d.shape && [...d.shape, "[]"]);
  if ("fn" in cb) {
    const x = v(cx.localName("x", p2.locals));
    const fn = userFunction(cx, cb.fn);
    if (!fn) return undefined;
    return { p2, x, member: [build.someIn([x as never], d.term)], body: undefined, fnCall: (t) => call(fn.name, [t]), ...(shape ? { shape } : {}) };
  }
  const x = bindVar(cx, p2, cb.param.name, shape);
  return { p2, x, member: [build.someIn([x as never], d.term)], body: cb.body, ...(shape ? { shape } : {}) };
}

/** `xs ?? []` iterates like `xs`: a missing array has no elements in either language. */
function domainOf(e: ts.Expression): ts.Expression {
  const u = unwrap(e);
  if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
    const r = unwrap(u.right);
    if (ts.isArrayLiteralExpression(r) && r.elements.length === 0) return u.left;
  }
  return e;
}

function elementCond(cx: Context, o: NonNullable<ReturnType<typeof overElements>>): Body {
  if (o.fnCall) return [build.expr(o.fnCall(o.x))];
  return cond(cx, o.body!, o.p2);
}

/** Conditions for calls that test something (`startsWith`, `some`, `includes`, RegExp `test`, boolean helpers). */
export function callCond(cx: Context, e: ts.CallExpression, p: Path): Body | undefined {
  const callee = unwrap(e.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const r = receiverOf(cx, callee.expression);
    if (r.kind === "array" && method === "some") {
      const o = overElements(cx, callee.expression, callbackOf(cx, e.arguments[0]), p);
      if (!o) return [];
      for (const n of o.p2.locals) p.locals.add(n);
      return [...o.member, ...elementCond(cx, o)];
    }
    if (r.kind === "array" && method === "every") {
      const o = overElements(cx, callee.expression, callbackOf(cx, e.arguments[0]), p);
      if (!o) return [];
      const domain = valueOf(cx, callee.expression, p);
      return [build.every(o.x as never, domain, elementCond(cx, o))];
    }
    if (r.kind === "array" && method === "includes" && e.arguments.length === 1) {
      const domain = value(cx, domainOf(callee.expression), p);
      if (domain.shape && cx.shapes.enabled) cx.shapes.record([...domain.shape, "[]"], elementType(cx.typeOf(callee.expression), cx.checker), cx.checker);
      return [callExpr("internal.member_2", [valueOf(cx, e.arguments[0]!, p), domain.term])];
    }
  }
  if (ts.isIdentifier(callee)) {
    const argVals = e.arguments.map((a) => value(cx, a, p));
    const fn = userFunction(cx, callee, true, argVals);
    if (fn?.bool) return [build.expr(call(fn.name, argVals.map((a) => a.term)))];
  }
  const val = callValue(cx, e, p);
  if (val.term.type === "call" && isBooleanBuiltin(val.term)) return [build.expr(val.term)];
  return undefined;
}

const BOOLEAN_BUILTINS = new Set(["startswith", "endswith", "contains", "regex.match", "is_array"]);

function isBooleanBuiltin(t: Term): boolean {
  if (t.type !== "call") return false;
  const name = t.operator.terms.map((x) => (x.type === "var" ? x.name : x.type === "string" ? x.value : "")).join(".");
  return BOOLEAN_BUILTINS.has(name);
}

export function callValue(cx: Context, e: ts.CallExpression, p: Path): Value {
  const callee = unwrap(e.expression);
  const args = e.arguments;
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const r = receiverOf(cx, callee.expression);
    switch (r.kind) {
      case "string":
        return { term: stringMethod(cx, method, callee.expression, args, p, e) };
      case "array":
        return arrayMethod(cx, method, callee.expression, args, p, e);
      case "regex": {
        if (method !== "test" || args.length !== 1) break;
        const lit = regexLiteral(cx, unwrap(callee.expression))!;
        const text = lit.text;
        const slash = text.lastIndexOf("/");
        const checked = toRe2(text.slice(1, slash), text.slice(slash + 1));
        if ("error" in checked) {
          if (checked.error === "flags") cx.error(T.regexFlags, [checked.flags], lit);
          else cx.error(T.notRe2, [checked.reason], lit);
          return { term: ERROR_TERM };
        }
        // JavaScript converts a non-string to text before testing; Rego's regex.match fails on it.
        if (!cx.isString(args[0]!)) {
          cx.error(T.unsupportedExpression, [`testing \`${cx.text(args[0]!)}\` of type \`${cx.checker.typeToString(cx.typeOf(args[0]!))}\``, "RegExp.test needs a string here (Rego does not convert values to text)"], args[0]!);
          return { term: ERROR_TERM };
        }
        // A raw string, as a Rego author writes patterns (no doubled backslashes).
        const pattern: Term = { ...str(checked.pattern), ...(checked.pattern.includes("`") ? {} : { raw: true }) };
        return { term: call("regex.match", [pattern, valueOf(cx, args[0]!, p)]) };
      }
      case "Object": {
        if (args.length !== 1) break;
        const o = value(cx, args[0]!, p);
        const k = v("k");
        const x = v("v");
        if (method === "keys") return { term: { type: "arraycomprehension", term: k, body: [build.someIn([k, v("_")], o.term)], loc: o.term.loc } };
        if (method === "values") {
          const term: Term = { type: "arraycomprehension", term: x, body: [build.someIn([x], o.term)], loc: o.term.loc };
          return o.shape ? { term, elementShape: [...o.shape, "{}"] } : { term };
        }
        if (method === "entries") return { term: { type: "arraycomprehension", term: arr([k, x]), body: [build.someIn([k, x], o.term)], loc: o.term.loc } };
        break;
      }
      case "Array":
        if (method === "isArray" && args.length === 1) return { term: call("is_array", [valueOf(cx, args[0]!, p)]) };
        break;
      default:
        break;
    }
    if (r.kind === "JSON") {
      cx.error(T.unsupportedExpression, [`JSON.${method}(...)`, "to print a value in a message, wrap it in regoString(x), which prints it as Rego's sprintf %v does (Rego has no JSON text with JavaScript's key order and spacing)"], callee);
      return { term: ERROR_TERM };
    }
    const what = r.kind === "other" ? `a value of type \`${cx.checker.typeToString(cx.typeOf(callee.expression))}\`` : r.kind === "regex" ? "a RegExp" : `${r.kind}`;
    const supported = r.kind === "regex" ? "test" : r.kind === "Object" ? "keys, values, entries" : r.kind === "Array" ? "isArray" : "(none)";
    cx.error(T.unknownMethod, [method, what, supported], callee.name);
    return { term: ERROR_TERM };
  }
  if (ts.isIdentifier(callee)) {
    const sym = cx.symbolOf(callee);
    if (sym && sym === cx.symbols.report) {
      cx.error(T.unsupportedExpression, ["report(...) inside an expression", "call report(...) as a statement"], e);
      return { term: ERROR_TERM };
    }
    if (callee.text === "Number" && isGlobal(cx, callee) && args.length === 1) {
      if (!cx.isString(args[0]!)) return { term: call("to_number", [valueOf(cx, args[0]!, p)]) };
      useLibrary(cx, "number");
      return { term: call("number", [valueOf(cx, args[0]!, p)]) };
    }
    if (isApi(cx, callee, "podSpecOf") && args.length === 1) {
      useLibrary(cx, "pod_spec");
      cx.shapes.usesPodSpec();
      const o = value(cx, args[0]!, p);
      // The generators place a pod spec where each workload kind keeps it.
      return { term: call("pod_spec", [o.term]), ...(o.shape ? { shape: [...o.shape, "spec"] } : {}) };
    }
    if (isApi(cx, callee, "regexMatch") && args.length === 2) return { term: call("regex.match", [valueOf(cx, args[0]!, p), valueOf(cx, args[1]!, p)]) };
    if (isApi(cx, callee, "regoString") && args.length === 1) return { term: call("sprintf", [str("%v"), arr([valueOf(cx, args[0]!, p)])]) };
    const argVals = args.map((a) => value(cx, a, p));
    const fn = userFunction(cx, callee, false, argVals);
    if (fn) {
      const call1 = call(fn.name, argVals.map((a) => a.term));
      return { term: fn.singleCond ? boolValue(cx, [build.expr(call1)], p, e) : call1 };
    }
    return { term: ERROR_TERM };
  }
  cx.error(T.unknownCall, [cx.text(callee)], callee);
  return { term: ERROR_TERM };
}

function isApi(cx: Context, id: ts.Identifier, name: string): boolean {
  const decl = cx.symbolOf(id)?.declarations?.[0];
  if (!decl || !ts.isFunctionDeclaration(decl) || decl.name?.text !== name) return false;
  return /[\\/](src|dist)[\\/]api[\\/]violation\.(d\.)?ts$/.test(decl.getSourceFile().fileName);
}

/** The user's function `id` names, compiled on first use; reports why it cannot be. */
function userFunction(cx: Context, id: ts.Identifier, quiet = false, args: Value[] = []): { name: string; bool: boolean; singleCond: boolean } | undefined {
  const decl = cx.symbolOf(id)?.valueDeclaration;
  const file = decl ? path.resolve(decl.getSourceFile().fileName) : "";
  const isUsers = !/[\\/]node_modules[\\/]/.test(file) && !ownDirs.some((d) => file.startsWith(d));
  if (decl && ts.isFunctionDeclaration(decl) && decl.body && !decl.getSourceFile().isDeclarationFile && isUsers) {
    if (cx.compiling.has(decl)) {
      cx.error(T.recursion, [id.text], id);
      return undefined;
    }
    return compileFunction(cx, decl, args.map((a) => a.shape));
  }
  if (!quiet) cx.error(T.unknownCall, [id.text], id);
  return undefined;
}

function stringMethod(cx: Context, method: string, recv: ts.Expression, args: ts.NodeArray<ts.Expression>, p: Path, e: ts.CallExpression): Term {
  const s = valueOf(cx, recv, p);
  const a = (i: number) => valueOf(cx, args[i]!, p);
  const n = args.length;
  switch (method) {
    case "startsWith":
      if (n === 1) return call("startswith", [s, a(0)]);
      break;
    case "endsWith":
      if (n === 1) return call("endswith", [s, a(0)]);
      break;
    case "includes":
      if (n === 1) return call("contains", [s, a(0)]);
      break;
    case "split":
      if (n === 1 && cx.isString(args[0]!)) return call("split", [s, a(0)]);
      break;
    case "toLowerCase":
      if (n === 0) return call("lower", [s]);
      break;
    case "toUpperCase":
      if (n === 0) return call("upper", [s]);
      break;
    case "trim":
      if (n === 0) return call("trim_space", [s]);
      break;
    case "indexOf":
      if (n === 1) return call("indexof", [s, a(0)]);
      break;
    case "replaceAll":
      if (n === 2 && cx.isString(args[0]!)) return call("replace", [s, a(0), a(1)]);
      break;
    case "replace":
      // JavaScript replaces the first occurrence only; Rego's replace() replaces all.
      if (n === 2 && cx.isString(args[0]!)) {
        useLibrary(cx, "replace_first");
        return call("replace_first", [s, a(0), a(1)]);
      }
      break;
    case "slice": {
      const lits = args.map((x) => unwrap(x));
      if (n >= 1 && n <= 2 && lits.every((x) => ts.isNumericLiteral(x) && Number.isInteger(Number(x.text)))) {
        const [from, to] = lits.map((x) => Number((x as ts.NumericLiteral).text));
        if (to === undefined) return call("substring", [s, num(from!), num(-1)]);
        return call("substring", [s, num(from!), num(Math.max(0, to - from!))]);
      }
      cx.error(T.sliceArgs, [], e);
      return ERROR_TERM;
    }
    default:
      break;
  }
  cx.error(T.unknownMethod, [method, "a string", STRING_METHODS], (e.expression as ts.PropertyAccessExpression).name);
  return ERROR_TERM;
}

function arrayMethod(cx: Context, method: string, recv: ts.Expression, args: ts.NodeArray<ts.Expression>, p: Path, e: ts.CallExpression): Value {
  const n = args.length;
  switch (method) {
    case "some":
    case "every":
    case "includes": {
      const body = callCond(cx, e, extendPath(p));
      if (body) return { term: boolValue(cx, body, p, e) };
      break;
    }
    case "filter":
    case "find": {
      const o = overElements(cx, recv, callbackOf(cx, args[0]), p);
      if (!o) return { term: ERROR_TERM };
      const comp: Term = { type: "arraycomprehension", term: o.x, body: [...o.member, ...elementCond(cx, o)], loc: o.x.loc };
      // The result's elements are the domain's: reads of them count for the generators.
      if (method === "find") return { term: extendRef(comp, num(0)), ...(o.shape ? { shape: o.shape } : {}) };
      return { term: comp, ...(o.shape ? { elementShape: o.shape } : {}) };
    }
    case "map": {
      const o = overElements(cx, recv, callbackOf(cx, args[0]), p);
      if (!o) return { term: ERROR_TERM };
      const out = o.fnCall ? o.fnCall(o.x) : valueOf(cx, o.body!, o.p2);
      return { term: { type: "arraycomprehension", term: out, body: o.member, loc: o.x.loc } };
    }
    case "concat": {
      let acc = valueOf(cx, recv, p);
      for (const a of args) {
        const t = valueOf(cx, a, p);
        acc = call("array.concat", [acc, kinds(cx.typeOf(a), cx.checker).has("array") ? t : arr([t])]);
      }
      return { term: acc };
    }
    case "join": {
      if (n !== 1) break;
      const el = elementType(cx.typeOf(recv), cx.checker);
      const elKinds = el ? kinds(el, cx.checker) : new Set<string>();
      const xs = valueOf(cx, recv, p);
      if (el && only(el, cx.checker, "string")) return { term: call("concat", [valueOf(cx, args[0]!, p), xs]) };
      if (el && elKinds.size > 0 && [...elKinds].every((k) => k === "number" || k === "boolean")) {
        // concat() takes strings only; numbers and booleans print as JavaScript prints them with %v.
        const x = v(cx.localName("x", new Set(p.locals)));
        const texts: Term = { type: "arraycomprehension", term: call("sprintf", [str("%v"), arr([x])]), body: [build.someIn([x as never], xs)], loc: xs.loc };
        return { term: call("concat", [valueOf(cx, args[0]!, p), texts]) };
      }
      cx.error(T.unsupportedExpression, [`\`.join()\` on \`${cx.checker.typeToString(cx.typeOf(recv))}\``, "join arrays of strings, numbers or booleans"], e);
      return { term: ERROR_TERM };
    }
    default:
      break;
  }
  cx.error(T.unknownMethod, [method, "an array", ARRAY_METHODS], (e.expression as ts.PropertyAccessExpression).name);
  return { term: ERROR_TERM };
}
