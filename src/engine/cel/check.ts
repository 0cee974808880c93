/**
 * A static checker for CEL expressions in Gatekeeper's `K8sNativeValidation` environment: parses,
 * then infers a type for every node and reports what the API server's checker rejects before any
 * object is seen: undeclared identifiers (only `object`, `oldObject`, `params`, `request`,
 * `namespaceObject`, `variables` and comprehension variables exist), `variables.<name>` that no
 * earlier variable defines, functions and methods the environment lacks, calls with no overload
 * for their argument types, field selection on strings, numbers and lists, and comparing values of
 * different kinds. @bufbuild/cel 0.6.1 ships a checker that handles only constants and names, so
 * this one is ours. Its limit: the object, the parameters and the request are `dyn` (their schemas
 * are not declared), so a misspelled field of the object is not caught; variables get the types of
 * their expressions.
 */
import { celEnv, CelScalar, type CelFunc, type CelType } from "@bufbuild/cel";
import { kubernetesLibrary } from "./library.js";
import { parseCel as parse } from "./parse.js";

type T =
  | { k: "dyn" | "bool" | "int" | "uint" | "double" | "string" | "bytes" | "null" | "type" | "timestamp" | "duration" | "none" | "variables" }
  | { k: "list"; e: T }
  | { k: "map"; key: T; val: T };

const DYN: T = { k: "dyn" };
const BOOL: T = { k: "bool" };
const NONE: T = { k: "none" };

export interface CelCheckError {
  message: string;
  /** Offset of the offending node in the expression text. */
  offset: number;
}

const env = celEnv({ funcs: [...kubernetesLibrary] });
const byName = new Map<string, CelFunc[]>();
for (const f of env.funcs) {
  const list = byName.get(f.name) ?? [];
  list.push(f);
  byName.set(f.name, list);
}

function fromCel(t: CelType): T {
  if (t.kind === "list") return { k: "list", e: fromCel(t.element) };
  if (t.kind === "map") return { k: "map", key: fromCel(t.key), val: fromCel(t.value) };
  if (t.kind === "scalar") {
    const s = t.scalar as string;
    if (["bool", "int", "uint", "double", "string", "bytes", "null_type", "type", "dyn"].includes(s)) return { k: s === "null_type" ? "null" : s } as T;
  }
  const name = String(t);
  if (name.endsWith("Timestamp")) return { k: "timestamp" };
  if (name.endsWith("Duration")) return { k: "duration" };
  return DYN;
}

export function typeName(t: T): string {
  if (t.k === "list") return `list(${typeName(t.e)})`;
  if (t.k === "map") return `map(${typeName(t.key)}, ${typeName(t.val)})`;
  if (t.k === "none") return "dyn";
  return t.k;
}

const NUMERIC = new Set(["int", "uint", "double"]);

/** Whether a value of type `a` may be passed where `b` is declared. */
function assignable(a: T, b: T): boolean {
  if (a.k === "dyn" || b.k === "dyn" || a.k === "none" || b.k === "none") return true;
  if (a.k === "list" && b.k === "list") return assignable(a.e, b.e);
  if (a.k === "map" && b.k === "map") return assignable(a.key, b.key) && assignable(a.val, b.val);
  return a.k === b.k;
}

/** The type of a value that is either `a` or `b`. */
function join(a: T, b: T): T {
  if (a.k === "none") return b;
  if (b.k === "none") return a;
  if (a.k === "list" && b.k === "list") return { k: "list", e: join(a.e, b.e) };
  if (a.k === "map" && b.k === "map") return { k: "map", key: join(a.key, b.key), val: join(a.val, b.val) };
  return a.k === b.k ? a : DYN;
}

/** Whether `==` between the two types can ever be true (CEL's checker rejects the rest). */
function comparable(a: T, b: T): boolean {
  if (assignable(a, b) || a.k === "null" || b.k === "null") return true;
  return NUMERIC.has(a.k) && NUMERIC.has(b.k);
}

type Node = ReturnType<typeof parse>["expr"] | undefined;
const ROOTS = ["object", "oldObject", "params", "request", "namespaceObject", "authorizer"];

/**
 * Checks `source`; `variables` are the names (and types, once checked) of the variables it may read.
 * Returns the inferred type and the errors (empty when the expression checks).
 */
export function checkCel(source: string, variables: ReadonlyMap<string, T>): { type: T; errors: CelCheckError[] } {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    const m = /<input>:(\d+):(\d+): (.*)/.exec(msg);
    return { type: DYN, errors: [{ message: m ? m[3]! : msg.split("\n")[0]!, offset: m ? offsetOf(source, Number(m[1]), Number(m[2])) : 0 }] };
  }
  const positions = parsed.sourceInfo?.positions ?? {};
  const errors: CelCheckError[] = [];
  const fail = (node: NonNullable<Node>, message: string): T => {
    errors.push({ message, offset: Number((positions as Record<string, number>)[String(node.id)] ?? 0) });
    return DYN;
  };
  const scopes: Map<string, T>[] = [];
  const lookup = (name: string): T | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const t = scopes[i]!.get(name);
      if (t) return t;
    }
    return undefined;
  };

  const walk = (node: Node): T => {
    if (!node) return DYN;
    const kind = node.exprKind;
    switch (kind.case) {
      case "constExpr": {
        const c = kind.value.constantKind.case;
        return c === "boolValue" ? BOOL : c === "int64Value" ? { k: "int" } : c === "uint64Value" ? { k: "uint" } : c === "doubleValue" ? { k: "double" } : c === "stringValue" ? { k: "string" } : c === "bytesValue" ? { k: "bytes" } : c === "nullValue" ? { k: "null" } : DYN;
      }
      case "identExpr": {
        const name = kind.value.name;
        const local = lookup(name);
        if (local) return local;
        if (name === "variables") return { k: "variables" };
        if (ROOTS.includes(name)) return DYN;
        if (["int", "uint", "double", "string", "bool", "bytes", "list", "map", "null_type", "type", "dyn"].includes(name)) return { k: "type" };
        return fail(node, `undeclared reference to '${name}'`);
      }
      case "selectExpr": {
        const operand = kind.value.operand;
        const field = kind.value.field;
        const base = walk(operand);
        if (base.k === "variables") {
          const t = variables.get(field);
          if (!t) return fail(node, `undeclared reference to 'variables.${field}' (variables defined before it: ${[...variables.keys()].join(", ") || "none"})`);
          return kind.value.testOnly ? BOOL : t;
        }
        if (base.k !== "dyn" && base.k !== "map" && base.k !== "none") return fail(node, `type '${typeName(base)}' does not support field selection ('.${field}')`);
        if (kind.value.testOnly) return BOOL;
        return base.k === "map" ? base.val : DYN;
      }
      case "listExpr": {
        let e: T = NONE;
        for (const x of kind.value.elements) e = join(e, walk(x));
        return { k: "list", e };
      }
      case "structExpr": {
        if (kind.value.messageName) return fail(node, `message types are not available here ('${kind.value.messageName}')`);
        let key: T = NONE;
        let val: T = NONE;
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === "mapKey") key = join(key, walk(entry.keyKind.value));
          val = join(val, walk(entry.value));
        }
        return { k: "map", key, val };
      }
      case "comprehensionExpr": {
        const c = kind.value;
        const range = walk(c.iterRange);
        let iter: T = DYN;
        let iter2: T = DYN;
        if (range.k === "list") (iter = c.iterVar2 ? { k: "int" } : range.e), (iter2 = range.e);
        else if (range.k === "map") (iter = range.key), (iter2 = range.val);
        else if (range.k !== "dyn" && range.k !== "none") fail(c.iterRange ?? node, `expression of type '${typeName(range)}' cannot be the range of a comprehension (must be a list or a map)`);
        const accu = walk(c.accuInit);
        const scope = new Map<string, T>([[c.accuVar, accu]]);
        scopes.push(scope);
        scopes.push(new Map([[c.iterVar, iter], ...(c.iterVar2 ? [[c.iterVar2, iter2] as [string, T]] : [])]));
        walk(c.loopCondition);
        const step = walk(c.loopStep);
        scopes.pop();
        scope.set(c.accuVar, join(accu, step));
        const out = walk(c.result);
        scopes.pop();
        return out;
      }
      case "callExpr": {
        const { function: fn, args } = kind.value;
        const target = kind.value.target;
        const argTypes = args.map(walk);
        const targetType = target ? walk(target) : undefined;
        return call(node, fn, targetType, argTypes);
      }
      default:
        return DYN;
    }
  };

  const call = (node: NonNullable<Node>, fn: string, target: T | undefined, args: T[]): T => {
    if (fn === "_&&_" || fn === "_||_" || fn === "!_") {
      for (const a of args) if (!assignable(a, BOOL)) return fail(node, `'${fn.replace(/_/g, "")}' needs bool operands, got '${typeName(a)}'`);
      return BOOL;
    }
    // The macros' expansion: `exists`/`all`/`filter` test each element through it.
    if (fn === "@not_strictly_false") return BOOL;
    if (fn === "_?_:_") {
      if (!assignable(args[0]!, BOOL)) return fail(node, `a condition must be a bool, got '${typeName(args[0]!)}'`);
      return join(args[1]!, args[2]!);
    }
    if (fn === "_==_" || fn === "_!=_") {
      if (!comparable(args[0]!, args[1]!)) return fail(node, `found no matching overload for '${fn}' applied to '(${args.map(typeName).join(", ")})'`);
      return BOOL;
    }
    if (fn === "_[_]") {
      const [base, key] = args as [T, T];
      if (base.k === "list") return assignable(key, { k: "int" }) ? base.e : fail(node, `a list is indexed by int, not '${typeName(key)}'`);
      if (base.k === "map") return base.val;
      if (base.k === "dyn" || base.k === "none") return DYN;
      return fail(node, `type '${typeName(base)}' cannot be indexed`);
    }
    const overloads = (byName.get(fn) ?? []).filter((f) => (f.target !== undefined) === (target !== undefined) && f.arguments.length === args.length);
    if (overloads.length === 0) {
      const any = byName.get(fn);
      const shown = fn.replace(/^_(.*)_$/, "$1").replace(/^@/, "");
      if (!any) return fail(node, `undeclared reference to '${shown}'${target ? " (method)" : ""}`);
      return fail(node, `'${shown}' takes ${describeArity(any)}, got ${target ? "a method call with " : ""}${args.length} argument(s)`);
    }
    const matching = overloads.filter((f) => (!target || assignable(target, fromCel(f.target!))) && f.arguments.every((p, i) => assignable(args[i]!, fromCel(p))));
    if (matching.length === 0) {
      const shown = fn.replace(/^_(.*)_$/, "$1").replace(/^@/, "");
      return fail(node, `found no matching overload for '${shown}' applied to '${target ? `${typeName(target)}.` : ""}(${args.map(typeName).join(", ")})'`);
    }
    if (fn === "_+_" && args[0]!.k === "list" && args[1]!.k === "list") return join(args[0]!, args[1]!);
    const results = matching.map((f) => fromCel(f.result));
    return results.reduce((a, b) => (JSON.stringify(a) === JSON.stringify(b) ? a : DYN));
  };

  const type = walk(parsed.expr);
  return { type, errors };
}

function describeArity(fs: CelFunc[]): string {
  const forms = [...new Set(fs.map((f) => `${f.target ? "a method with " : ""}${f.arguments.length} argument(s)`))];
  return forms.join(" or ");
}

function offsetOf(source: string, line: number, col: number): number {
  const lines = source.split("\n");
  let off = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) off += lines[i]!.length + 1;
  return off + Math.max(0, col - 1);
}

export type CelCheckType = T;
export const CEL_DYN: T = DYN;

/**
 * Checks a whole `K8sNativeValidation` source: variables in order (Gatekeeper's `anyObject` and
 * `params` first), then matchConditions and validations; bool where a bool is needed, string
 * messages. Errors carry the path of the field (`validations.0.expression`).
 */
export function checkK8sNativeValidation(source: {
  variables?: readonly { name: string; expression: string }[];
  validations?: readonly { expression: string; messageExpression?: string }[];
  matchConditions?: readonly { name?: string; expression: string }[];
}): { path: string; message: string; offset: number }[] {
  const out: { path: string; message: string; offset: number }[] = [];
  const vars = new Map<string, T>([
    ["anyObject", DYN],
    ["params", DYN],
  ]);
  const run = (path: string, expr: unknown, want?: T) => {
    if (typeof expr !== "string") {
      out.push({ path, message: "expected a CEL expression (a string)", offset: 0 });
      return DYN;
    }
    const r = checkCel(expr, vars);
    for (const e of r.errors) out.push({ path, ...e });
    if (r.errors.length === 0 && want && !assignable(r.type, want)) out.push({ path, message: `must be a ${typeName(want)}, is a '${typeName(r.type)}'`, offset: 0 });
    return r.type;
  };
  (source.variables ?? []).forEach((v, i) => vars.set(v.name, run(`variables.${i}.expression`, v.expression)));
  (source.matchConditions ?? []).forEach((m, i) => run(`matchConditions.${i}.expression`, m.expression, BOOL));
  (source.validations ?? []).forEach((v, i) => {
    run(`validations.${i}.expression`, v.expression, BOOL);
    if (v.messageExpression !== undefined) run(`validations.${i}.messageExpression`, v.messageExpression, { k: "string" });
  });
  return out;
}
void CelScalar;
