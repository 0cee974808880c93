/**
 * A static checker for CEL expressions in Gatekeeper's `K8sNativeValidation` environment: parses,
 * then infers a type for every node and reports what the API server's checker rejects before any
 * object is seen: undeclared identifiers (only `object`, `oldObject`, `params`, `request`,
 * `namespaceObject`, `variables` and comprehension variables exist), `variables.<name>` that no
 * earlier variable defines, functions and methods the environment lacks, calls with no overload
 * for their argument types, field selection on strings, numbers and lists, and comparing values of
 * different kinds, fields that no schema of the object, the parameters or the request declares.
 * @bufbuild/cel 0.6.1 ships a checker that handles only constants and names, so this one is ours.
 *
 * The roots are typed as the API server types a ValidatingAdmissionPolicy's (schema-types.ts):
 * objects of a schema are `obj` types, each a set of alternative shapes (several matched kinds); a
 * field is valid when one alternative declares it. Conditions narrow the alternatives where the
 * API server's per-kind check would not know better: `x.kind == "Pod"` (and `!=`, `in [...]`) keeps
 * the Pod's shape in the branch it guards, `has(x.f)` the shapes that declare `f`; a branch no
 * alternative reaches is not checked. An object of a kind without a schema is open: `metadata` is
 * checked, its other fields are `dyn`.
 */
import { celEnv, type CelFunc, type CelType } from "@bufbuild/cel";
import { kubernetesLibrary } from "./library.js";
import { kubernetesShapes, type ObjectShape, type Shape } from "./kubernetes-shapes.js";
import { parseCel as parse } from "./parse.js";
import { compileRegex } from "../builtins/regex.js";
import { admissionRequestShape, constraintShape, namespaceShape, type CelSchemaEnv } from "./schema-types.js";

type T =
  | { k: "dyn" | "bool" | "int" | "uint" | "double" | "string" | "bytes" | "null" | "type" | "timestamp" | "duration" | "none" | "variables" }
  | { k: "list"; e: T }
  | { k: "map"; key: T; val: T }
  | { k: "obj"; alts: ObjectShape[] }
  | { k: "opt"; v: T };

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
  if (t.k === "obj") return t.alts.map((a) => a.name).join(" | ");
  if (t.k === "opt") return `optional_type(${typeName(t.v)})`;
  if (t.k === "list") return `list(${typeName(t.e)})`;
  if (t.k === "map") return `map(${typeName(t.key)}, ${typeName(t.val)})`;
  if (t.k === "none") return "dyn";
  return t.k;
}

const NUMERIC = new Set(["int", "uint", "double"]);

/** Whether a value of type `a` may be passed where `b` is declared. */
function assignable(a: T, b: T): boolean {
  if (a.k === "dyn" || b.k === "dyn" || a.k === "none" || b.k === "none" || a.k === "opt" || b.k === "opt") return true;
  if (a.k === "list" && b.k === "list") return assignable(a.e, b.e);
  if (a.k === "map" && b.k === "map") return assignable(a.key, b.key) && assignable(a.val, b.val);
  // An object of a schema passes where a map with string keys is expected (`k in obj`, `size(obj)`),
  // and a map literal where such an object is: lenient where the API server is strict, never wrong.
  if (a.k === "obj" && b.k === "map") return assignable({ k: "string" }, b.key);
  if (a.k === "map" && b.k === "obj") return assignable(a.key, { k: "string" });
  if (a.k === "null" && b.k === "obj") return true;
  return a.k === b.k;
}

/** The type of a value that is either `a` or `b`. */
function join(a: T, b: T): T {
  if (a.k === "none") return b;
  if (b.k === "none") return a;
  if (a.k === "list" && b.k === "list") return { k: "list", e: join(a.e, b.e) };
  if (a.k === "map" && b.k === "map") return { k: "map", key: join(a.key, b.key), val: join(a.val, b.val) };
  if (a.k === "obj" && b.k === "obj") return { k: "obj", alts: [...new Set([...a.alts, ...b.alts])] };
  if (a.k === "opt" && b.k === "opt") return { k: "opt", v: join(a.v, b.v) };
  // A nullable value keeps its type (`cond ? null : x`): comparing it with null stays valid.
  if (a.k === "null" && b.k !== "dyn") return b;
  if (b.k === "null" && a.k !== "dyn") return a;
  return a.k === b.k ? a : DYN;
}

/** Whether `==` between the two types can ever be true (CEL's checker rejects the rest). */
function comparable(a: T, b: T): boolean {
  if (assignable(a, b) || assignable(b, a) || a.k === "null" || b.k === "null") return true;
  return NUMERIC.has(a.k) && NUMERIC.has(b.k);
}

type Node = ReturnType<typeof parse>["expr"] | undefined;
const SCALARS = new Set(["bool", "int", "uint", "double", "string", "bytes"]);
const ROOTS = ["object", "oldObject", "params", "request", "namespaceObject", "authorizer"];

/**
 * The parser is most of a check's cost (~1 ms per expression), and a build checks each expression
 * twice (at lowering, then typed): parsed trees are kept by source text. Trees are never mutated.
 */
const parsedTrees = new Map<string, ReturnType<typeof parse>>();
function parseOnce(source: string): ReturnType<typeof parse> {
  let tree = parsedTrees.get(source);
  if (!tree) {
    tree = parse(source);
    if (parsedTrees.size >= 5000) parsedTrees.clear();
    parsedTrees.set(source, tree);
  }
  return tree;
}

/** The type of a value of `shape`; references resolve against the Kubernetes table when read. */
export function typeOfShape(shape: Shape): T {
  if (typeof shape === "string") return shape === "dyn" ? DYN : { k: shape };
  if ("list" in shape) return { k: "list", e: typeOfShape(shape.list) };
  if ("map" in shape) return { k: "map", key: { k: "string" }, val: typeOfShape(shape.map) };
  if ("ref" in shape) {
    const target = kubernetesShapes().shapes[shape.ref];
    return target ? { k: "obj", alts: [target] } : DYN;
  }
  return { k: "obj", alts: [shape] };
}

/** The roots' types for `env`: what is not known is `dyn`. */
export function rootTypes(env: CelSchemaEnv | undefined): Map<string, T> {
  const object: T = env?.object && env.object.length > 0 ? { k: "obj", alts: env.object } : DYN;
  return new Map<string, T>([
    ["object", object],
    ["oldObject", object],
    ["params", env && "parameters" in env ? typeOfShape(constraintShape(env.parameters)) : DYN],
    ["request", env ? typeOfShape(admissionRequestShape) : DYN],
    ["namespaceObject", env ? typeOfShape(namespaceShape()) : DYN],
  ]);
}

/** What a condition tells of the shapes at a path (`variables.anyObject`): those that pass. */
type Fact = { path: string; keep: (s: ObjectShape) => boolean };

/** The dotted text of an identifier or a chain of field selections, else undefined. */
function pathOf(node: Node): string | undefined {
  if (!node) return undefined;
  if (node.exprKind.case === "identExpr") return node.exprKind.value.name;
  if (node.exprKind.case === "selectExpr" && !node.exprKind.value.testOnly) {
    const base = pathOf(node.exprKind.value.operand);
    return base === undefined ? undefined : `${base}.${node.exprKind.value.field}`;
  }
  return undefined;
}

function stringConst(node: Node): string | undefined {
  if (node?.exprKind.case === "constExpr" && node.exprKind.value.constantKind.case === "stringValue") return node.exprKind.value.constantKind.value;
  return undefined;
}

/** `P.kind`: P's path. */
function kindOf(node: Node): string | undefined {
  if (node?.exprKind.case === "selectExpr" && !node.exprKind.value.testOnly && node.exprKind.value.field === "kind") return pathOf(node.exprKind.value.operand);
  return undefined;
}

/** What holds of the object shapes where `cond` is `positive` (true or false). */
function factsOf(cond: Node, positive: boolean): Fact[] {
  if (!cond) return [];
  const k = cond.exprKind;
  if (k.case === "selectExpr" && k.value.testOnly) {
    const path = pathOf(k.value.operand);
    const field = k.value.field;
    // Where the field is present its shape declares it; where it is absent nothing is known.
    return positive && path !== undefined ? [{ path, keep: (s) => Object.hasOwn(s.obj, field) || s.open === true }] : [];
  }
  if (k.case !== "callExpr" || k.value.target) return [];
  const { function: fn, args } = k.value;
  if (fn === "!_") return factsOf(args[0], !positive);
  if (fn === "_&&_") return positive ? [...factsOf(args[0], true), ...factsOf(args[1], true)] : [];
  if (fn === "_||_") return positive ? [] : [...factsOf(args[0], false), ...factsOf(args[1], false)];
  if (fn === "_==_" || fn === "_!=_") {
    const eq = (fn === "_==_") === positive;
    for (const [a, b] of [[args[0], args[1]], [args[1], args[0]]] as const) {
      const path = kindOf(a);
      const lit = stringConst(b);
      if (path !== undefined && lit !== undefined) return [{ path, keep: (s) => s.kind === undefined || (s.kind === lit) === eq }];
    }
    return [];
  }
  if (fn === "@in") {
    const path = kindOf(args[0]);
    const list = args[1]?.exprKind.case === "listExpr" ? args[1].exprKind.value.elements.map(stringConst) : undefined;
    if (path !== undefined && list && list.every((x) => x !== undefined)) return [{ path, keep: (s) => s.kind === undefined || list.includes(s.kind) === positive }];
  }
  return [];
}

/** `did you mean 'x'?` for a misspelt field: the closest declared name within two edits. */
function closest(name: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const n of names) {
    const d = editDistance(name.toLowerCase(), n.toLowerCase());
    if (d < bestD) (best = n), (bestD = d);
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/**
 * Checks `source`; `variables` are the names (and types, once checked) of the variables it may read,
 * `roots` the types of `object`, `params`, ... (`rootTypes`; absent roots are `dyn`).
 * Returns the inferred type and the errors (empty when the expression checks).
 */
export function checkCel(source: string, variables: ReadonlyMap<string, T>, roots?: ReadonlyMap<string, T>, assume: readonly string[] = []): { type: T; errors: CelCheckError[] } {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parseOnce(source);
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
  // The API server's CEL (1.29+) validates homogeneous aggregate literals: `[1, 'a']` and
  // `[1, 2.0]` do not compile there. Scalars of two kinds are the sure case; dyn and objects pass.
  const homogeneous = () => {
    let first: T | undefined;
    return (node: Node, t: T): T => {
      if (!node || !SCALARS.has(t.k)) return t;
      if (!first) first = t;
      else if (first.k !== t.k) fail(node, `expected type '${typeName(first)}' but found '${typeName(t)}'`);
      return t;
    };
  };
  const scopes: Map<string, T>[] = [];
  const lookup = (name: string): T | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const t = scopes[i]!.get(name);
      if (t) return t;
    }
    return undefined;
  };
  // The facts of the conditions guarding the node being checked.
  // `assume`: conditions that hold wherever this expression runs (the source's matchConditions).
  let facts: Fact[] = assume.flatMap((a) => {
    try {
      return factsOf(parseOnce(a).expr, true);
    } catch {
      return [];
    }
  });
  const under = <R>(more: Fact[], f: () => R): R => {
    if (more.length === 0) return f();
    const saved = facts;
    facts = [...facts, ...more];
    try {
      return f();
    } finally {
      facts = saved;
    }
  };
  /** The shapes of `t` that the guarding conditions leave at `path`; NONE when none is left. */
  const narrow = (t: T, path: string | undefined): T => {
    if (t.k !== "obj" || path === undefined) return t;
    const here = facts.filter((f) => f.path === path);
    if (here.length === 0) return t;
    const alts = t.alts.filter((s) => here.every((f) => f.keep(s)));
    return alts.length === 0 ? NONE : alts.length === t.alts.length ? t : { k: "obj", alts };
  };
  /** The type of `field` in an object type: the join over the shapes that declare it. */
  const field = (node: NonNullable<Node>, base: T & { k: "obj" }, name: string): T => {
    let out: T | undefined;
    for (const s of base.alts) {
      const f = Object.hasOwn(s.obj, name) ? s.obj[name] : undefined;
      const t = f !== undefined ? typeOfShape(f) : s.open ? DYN : undefined;
      if (t) out = out ? join(out, t) : t;
    }
    if (out) return out;
    const names = new Set(base.alts.flatMap((s) => Object.keys(s.obj)));
    const hint = closest(name, names);
    return fail(node, `undefined field '${name}' in ${typeName(base)}${hint ? ` (did you mean '${hint}'?)` : ""}`);
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
        if (local) return narrow(local, name);
        if (name === "variables") return { k: "variables" };
        if (ROOTS.includes(name)) return narrow(roots?.get(name) ?? DYN, name);
        if (["int", "uint", "double", "string", "bool", "bytes", "list", "map", "null_type", "type", "dyn"].includes(name)) return { k: "type" };
        return fail(node, `undeclared reference to '${name}'`);
      }
      case "selectExpr": {
        const operand = kind.value.operand;
        const name = kind.value.field;
        const base = walk(operand);
        if (base.k === "variables") {
          const t = variables.get(name);
          if (!t) return fail(node, `undeclared reference to 'variables.${name}' (variables defined before it: ${[...variables.keys()].join(", ") || "none"})`);
          return kind.value.testOnly ? BOOL : narrow(t, `variables.${name}`);
        }
        if (base.k === "none") return kind.value.testOnly ? BOOL : NONE;
        if (base.k === "obj") {
          const t = field(node, base, name);
          if (kind.value.testOnly) return BOOL;
          const path = pathOf(operand);
          return narrow(t, path === undefined ? undefined : `${path}.${name}`);
        }
        if (base.k !== "dyn" && base.k !== "map") return fail(node, `type '${typeName(base)}' does not support field selection ('.${name}')`);
        if (kind.value.testOnly) return BOOL;
        return base.k === "map" ? base.val : DYN;
      }
      case "listExpr": {
        let e: T = NONE;
        const same = homogeneous();
        for (const x of kind.value.elements) e = join(e, same(x, walk(x)));
        return { k: "list", e };
      }
      case "structExpr": {
        if (kind.value.messageName) return fail(node, `message types are not available here ('${kind.value.messageName}')`);
        let key: T = NONE;
        let val: T = NONE;
        const sameKey = homogeneous();
        const sameValue = homogeneous();
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === "mapKey") key = join(key, sameKey(entry.keyKind.value, walk(entry.keyKind.value)));
          val = join(val, sameValue(entry.value, walk(entry.value)));
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
        else if (range.k === "obj") iter = { k: "string" };
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
        let argTypes: T[];
        // The guarded operand is checked where the guard holds (`a && b`: b where a is true).
        if (!target && (fn === "_&&_" || fn === "_||_") && args.length === 2) {
          const left = walk(args[0]);
          argTypes = [left, under(factsOf(args[0], fn === "_&&_"), () => walk(args[1]))];
        } else if (!target && fn === "_?_:_" && args.length === 3) {
          argTypes = [walk(args[0]), under(factsOf(args[0], true), () => walk(args[1])), under(factsOf(args[0], false), () => walk(args[2]))];
        } else argTypes = args.map(walk);
        const targetType = target ? walk(target) : undefined;
        const literalProblem = invalidLiteral(fn, target, args);
        if (literalProblem) fail(literalProblem.node, literalProblem.message);
        // Optional syntax (parse.ts): `x.?f` and `has()` through it check the field as `x.f` does.
        if (!target && (fn === "@optSelect" || fn === "@optHas") && argTypes[0]) {
          const base = argTypes[0].k === "opt" ? argTypes[0].v : argTypes[0];
          const name = stringConst(args[1]);
          if (base.k === "obj" && name !== undefined) {
            const t = field(node, base, name);
            return fn === "@optHas" ? BOOL : { k: "opt", v: t };
          }
          if (base.k === "none") return fn === "@optHas" ? BOOL : { k: "opt", v: NONE };
        }
        if (!target && fn === "@optIndex" && argTypes[0]) {
          const base = argTypes[0].k === "opt" ? argTypes[0].v : argTypes[0];
          if (base.k === "map") return { k: "opt", v: base.val };
          if (base.k === "list") return { k: "opt", v: base.e };
        }
        if (!target && fn === "optional.of" && argTypes.length === 1) return { k: "opt", v: argTypes[0]! };
        if (targetType?.k === "opt") {
          if (fn === "value" && args.length === 0) return targetType.v;
          if (fn === "hasValue" && args.length === 0) return BOOL;
          if (fn === "orValue" && args.length === 1) return join(targetType.v, argTypes[0]!);
          if (fn === "or" && args.length === 1) return join(targetType, argTypes[0]!);
        }
        if (fn === "_[_]" && argTypes[0]?.k === "obj") {
          const key = stringConst(args[1]);
          return key !== undefined ? field(node, argTypes[0], key) : DYN;
        }
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
      if (base.k === "none") return NONE;
      if (base.k === "dyn") return DYN;
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
 * messages. Errors carry the path of the field (`validations.0.expression`). `env` types the roots
 * (schema-types.ts); without it they are `dyn`.
 */
export function checkK8sNativeValidation(
  source: {
    variables?: readonly { name: string; expression: string }[];
    validations?: readonly { expression: string; messageExpression?: string }[];
    matchConditions?: readonly { name?: string; expression: string }[];
  },
  env?: CelSchemaEnv,
): { path: string; message: string; offset: number }[] {
  const out: { path: string; message: string; offset: number }[] = [];
  const roots = rootTypes(env);
  const vars = new Map<string, T>([
    ["anyObject", roots.get("object")!],
    ["params", env && "parameters" in env && env.parameters !== undefined ? typeOfShape(env.parameters) : DYN],
  ]);
  // Variables and validations run only where every matchCondition holds: their kind tests narrow.
  const assume = (source.matchConditions ?? []).map((m) => m.expression).filter((e): e is string => typeof e === "string");
  const run = (path: string, expr: unknown, want?: T) => {
    if (typeof expr !== "string") {
      out.push({ path, message: "expected a CEL expression (a string)", offset: 0 });
      return DYN;
    }
    const r = checkCel(expr, vars, roots, path.startsWith("matchConditions.") ? [] : assume);
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

const DURATION_LITERAL = /^[-+]?(0|((\d+\.?\d*|\.\d+)(ns|us|µs|ms|s|m|h))+)$/;
const TIMESTAMP_LITERAL = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * The literals the API server's CEL validates at compile time (1.29+): a constant regular
 * expression given to `matches`, `find` or `findAll`, and constant `duration(...)` and
 * `timestamp(...)` strings. A bad one is an error before any object is judged.
 */
function invalidLiteral(fn: string, target: Node, args: Node[]): { node: NonNullable<Node>; message: string } | undefined {
  const constant = (n: Node): string | undefined => (n?.exprKind.case === "constExpr" && n.exprKind.value.constantKind.case === "stringValue" ? n.exprKind.value.constantKind.value : undefined);
  if (fn === "matches" || fn === "find" || fn === "findAll") {
    const node = target ? args[0] : args[1];
    const pattern = constant(node);
    if (node && pattern !== undefined) {
      try {
        compileRegex(pattern);
      } catch (e) {
        return { node, message: `invalid regular expression ${JSON.stringify(pattern)} given to '${fn}': ${(e as Error).message}` };
      }
    }
  }
  if (!target && (fn === "duration" || fn === "timestamp") && args.length === 1) {
    const text = constant(args[0]);
    if (args[0] && text !== undefined && !(fn === "duration" ? DURATION_LITERAL : TIMESTAMP_LITERAL).test(text)) {
      return { node: args[0], message: `invalid ${fn} literal ${JSON.stringify(text)}` };
    }
  }
  return undefined;
}
