/**
 * policyc's CEL evaluator: a parsed (and for-the-planner lowered, parse.ts) expression compiled once
 * into JavaScript closures. What @bufbuild/cel's planner decides at every evaluation is decided here
 * at compile time: a comprehension's variables are slots of a frame (no activation chain to search),
 * a name's root binding is one property read (no search of qualified candidate names, no registry
 * look-up), `&&`, `||`, `?:`, `has()`, selection, indexing and comprehensions are closures of their
 * own, and the hottest functions (`==`, `!=`, `<`…, `in`, `size`, `startsWith`, `endsWith`,
 * `contains`) take a direct path for the common operand types.
 *
 * Semantics are @bufbuild/cel's, which the conformance subset (conformance.ts) and the differential
 * test against the planner hold it to: values are its values (bigint `int`, number `double`,
 * `CelUint`, its lists, maps, types and messages; JSON through json.ts), errors are its error values
 * with the same messages and CEL's absorption in `&&` / `||` / `?:`, and every function call that
 * the direct paths do not take goes to the environment's own overloads (the standard library and
 * the Kubernetes libraries, library.ts). Two places keep @bufbuild/cel's planner: a name whose root
 * is not a binding (a type name such as `int` or `google.protobuf.Int64Value`, or an undeclared
 * one) and message construction (`T{f: v}`); both are rare and neither runs in a hot loop.
 * Bindings are simple names (`object`, `params`, …), as in Kubernetes.
 */
import { celError, celList, celMap, celUint, celType, isCelError, isCelList, isCelMap, isCelUint, plan, type CelEnv, type CelError, type CelInput, type CelList, type CelMap, type CelValue } from "@bufbuild/cel";
import type { CelExpr } from "./parse.js";
import { JsonList, JsonMap, ValueList, listElements, valueList } from "./json.js";

/** A value or an error value. */
export type CelResult = CelValue | CelError;

/** One evaluation: the bindings and the comprehension variables' slots. */
/** A run's state; a program's frame serves its runs one after another (`CelCompiler.compile`). */
interface Frame {
  b: Record<string, CelInput>;
  readonly s: CelResult[];
  /** The bindings the expression names, read and converted once per run (undefined: not bound). */
  readonly r: (CelResult | undefined)[];
}

type Node = (f: Frame) => CelResult;
type Kind = CelExpr["exprKind"];
type Call = Extract<Kind, { case: "callExpr" }>["value"];
type Select = Extract<Kind, { case: "selectExpr" }>["value"];
type Comprehension = Extract<Kind, { case: "comprehensionExpr" }>["value"];
type CreateStruct = Extract<Kind, { case: "structExpr" }>["value"];
type Constant = Extract<Kind, { case: "constExpr" }>["value"];
type Group = NonNullable<ReturnType<CelEnv["funcs"]["find"]>>;

const EMPTY_LIST = valueList([]);
const NONE: never[] = [];
const EMPTY_MAP = celMap(new Map());

/**
 * A CEL map whose keys a selection can resolve once per layout, for maps of one shape read again
 * and again (a K8sNativeValidation policy's lazily evaluated `variables`): `m.name` remembers the
 * slot of `name` for the last layout it met. `get(k)` must equal `getSlot(slotOf(k))`.
 */
export abstract class SlottedMap {
  /** The same object for every map whose names have the same slots. */
  abstract readonly layout: object;
  /** The slot of a key, or -1 when the map cannot have it. */
  abstract slotOf(name: string): number;
  /** The value at a slot (undefined when absent, and for -1). */
  abstract getSlot(slot: number): CelValue | undefined;
}

/** A compiled expression. */
export interface CompiledCel {
  run(bindings: Record<string, CelInput>): CelResult;
}

/** CEL's error values are Errors (and no other value is): cheaper to ask than @bufbuild/cel's brand. */
function isErr(v: CelResult): v is CelError {
  return v instanceof Error;
}

function err(message: string, id: number): CelError {
  return celError(message, id);
}

/** A binding's value as @bufbuild/cel's activation gives it (a plain object or array wrapped). */
function bindingValue(v: CelInput, toValue: (v: CelInput) => CelValue): CelResult {
  if (typeof v !== "object" || v === null || v instanceof JsonMap || v instanceof JsonList) return v as CelValue;
  // Plain objects, arrays and Maps are wrapped; CEL's own values (class instances) pass as they are.
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null && !(v instanceof Map)) return v as CelValue;
  if (isCelError(v)) return v;
  return toValue(v);
}

type Bindings = Record<string, CelInput>;

/**
 * Reads of the bindings Kubernetes defines, each its own property access: a read keyed by a
 * variable name is one site for every name (megamorphic), these stay monomorphic.
 */
const BINDING_READERS: Record<string, (b: Bindings) => CelInput | undefined> = {
  object: (b) => b.object,
  oldObject: (b) => b.oldObject,
  request: (b) => b.request,
  params: (b) => b.params,
  namespaceObject: (b) => b.namespaceObject,
  variables: (b) => b.variables,
  authorizer: (b) => b.authorizer,
};

function bindingReader(name: string): (b: Bindings) => CelInput | undefined {
  return Object.hasOwn(BINDING_READERS, name) ? BINDING_READERS[name]! : (b) => b[name];
}

/** The dotted name an identifier or a chain of selections spells (`a.b.c`), else undefined. */
function qualifiedName(e: CelExpr): string | undefined {
  const k = e.exprKind;
  if (k.case === "identExpr") return k.value.name;
  if (k.case === "selectExpr" && !k.value.testOnly && k.value.operand) {
    const p = qualifiedName(k.value.operand);
    return p === undefined ? undefined : `${p}.${k.value.field}`;
  }
  return undefined;
}

/** The root identifier of a chain of selections and indexings, if that is what `e` is. */
function rootName(e: CelExpr): string | undefined {
  const k = e.exprKind;
  if (k.case === "identExpr") return k.value.name;
  if (k.case === "selectExpr" && k.value.operand) return rootName(k.value.operand);
  if (k.case === "callExpr" && k.value.function === "_[_]" && !k.value.target && k.value.args.length === 2) return rootName(k.value.args[0]!);
  return undefined;
}

function constantValue(c: Constant): CelValue {
  const k = c.constantKind;
  switch (k.case) {
    case "stringValue":
    case "bytesValue":
    case "doubleValue":
    case "boolValue":
    case "int64Value":
      return k.value;
    case "uint64Value":
      return celUint(k.value);
    case "nullValue":
      return null;
    default:
      throw new Error(`unimplemented constant: ${k.case}`);
  }
}

/** Reads a field of a map (or, through the planner, a message); undefined when absent. */
function fieldOf(v: CelValue, name: string): CelValue | undefined {
  if (v instanceof JsonMap) return v.field(name);
  if (isCelMap(v)) return v.get(name);
  return undefined;
}

function isMessageLike(v: CelValue): boolean {
  return typeof v === "object" && v !== null && !(v instanceof Uint8Array) && !isCelMap(v) && !isCelList(v) && !isCelUint(v);
}

/** `a[k]` as the planner's accesses do it, with their error messages. */
function index(v: CelValue, key: CelValue, id: number, slowSelect: (v: CelValue, name: string) => CelResult): CelResult {
  switch (typeof key) {
    case "string": {
      const r = fieldOf(v, key);
      if (r !== undefined) return r;
      if (isMessageLike(v)) return slowSelect(v, key);
      return err(`field not found: ${key}`, id);
    }
    case "bigint":
    case "number":
    case "boolean": {
      let r: CelValue | undefined;
      if (v instanceof JsonList) r = v.get(Number(key));
      else if (isCelMap(v)) r = v.get(key);
      else if (isCelList(v)) r = v.get(Number(key));
      if (r !== undefined) return r;
      return typeof key === "boolean" ? err(`field not found: ${key}`, id) : err(`index ${Number(key)} out of bounds [0, -1)`, id);
    }
    case "object":
      if (isCelUint(key)) {
        const k = key.value;
        const r = isCelMap(v) ? v.get(k) : isCelList(v) ? v.get(Number(k)) : undefined;
        return r !== undefined ? r : err(`index ${Number(k)} out of bounds [0, -1)`, id);
      }
      return err("unsupported key type", id);
    default:
      return err("unsupported key type", id);
  }
}

function noOverload(name: string, target: CelValue | undefined, vals: CelValue[], id: number): CelError {
  return err(`found no matching overload for '${name}' applied to '${target !== undefined ? `${celType(target)}.` : ""}(${vals.map((x) => celType(x).name).join(", ")})'`, id);
}

/** Calls a function the way the planner does: target, then arguments, the first error wins; then overload resolution. */
function callNode(name: string, id: number, group: Group | undefined, target: Node | undefined, args: Node[]): Node {
  if (group === undefined) return () => err(`unbound function: ${name}`, id);
  const finish = (t: CelValue | undefined, vals: CelValue[]): CelResult => {
    const r = group.call(id, t, vals) as CelResult | undefined;
    return r !== undefined ? r : noOverload(name, t, vals, id);
  };
  if (target === undefined && args.length === 1) {
    const a = args[0]!;
    return (f) => {
      const x = a(f);
      return isErr(x) ? x : finish(undefined, [x]);
    };
  }
  if (target === undefined && args.length === 2) {
    const [a, b] = args as [Node, Node];
    return (f) => {
      const x = a(f);
      if (isErr(x)) return x;
      const y = b(f);
      return isErr(y) ? y : finish(undefined, [x, y]);
    };
  }
  return (f) => {
    let t: CelValue | undefined;
    if (target) {
      const tv = target(f);
      if (isErr(tv)) return tv;
      t = tv;
    }
    const vals: CelValue[] = [];
    for (const a of args) {
      const v = a(f);
      if (isErr(v)) return v;
      vals.push(v);
    }
    return finish(t, vals);
  };
}

/** Scalars whose equality is JavaScript's `===` (CEL's too, NaN included) when both have one type. */
function isScalar(t: string): boolean {
  return t === "string" || t === "bigint" || t === "boolean" || t === "number";
}

/**
 * The direct paths of the hottest functions: each answers for the operand types it knows (exactly as
 * the standard overload would) and otherwise defers to the overloads (`undefined`).
 */
const direct: Record<string, (t: CelValue | undefined, a: CelValue, b?: CelValue) => CelValue | undefined> = {
  "_==_": (_t, a, b) => {
    const ta = typeof a;
    if (ta === typeof b && isScalar(ta)) return a === b;
    if (a === null || b === null) return a === b;
    return undefined;
  },
  "_!=_": (_t, a, b) => {
    const ta = typeof a;
    if (ta === typeof b && isScalar(ta)) return a !== b;
    if (a === null || b === null) return a !== b;
    return undefined;
  },
  "_<_": (_t, a, b) => (typeof a === typeof b && (typeof a === "bigint" || typeof a === "string" || typeof a === "number") ? (a as number) < (b as number) : undefined),
  "_<=_": (_t, a, b) => (typeof a === typeof b && (typeof a === "bigint" || typeof a === "string" || typeof a === "number") ? (a as number) <= (b as number) : undefined),
  "_>_": (_t, a, b) => (typeof a === typeof b && (typeof a === "bigint" || typeof a === "string" || typeof a === "number") ? (a as number) > (b as number) : undefined),
  "_>=_": (_t, a, b) => (typeof a === typeof b && (typeof a === "bigint" || typeof a === "string" || typeof a === "number") ? (a as number) >= (b as number) : undefined),
  "@in": (_t, a, b) => {
    if (b instanceof JsonMap) return typeof a === "string" ? b.has(a) : undefined;
    if (b instanceof JsonList || b instanceof ValueList) {
      const ta = typeof a;
      if (!isScalar(ta)) return undefined;
      const elems = b.elements();
      for (const x of elems) {
        if (x === a) return true;
        if (typeof x !== ta) return undefined; // mixed types: CEL's heterogeneous equality decides
      }
      return false;
    }
    return undefined;
  },
  "_+_": (_t, a, b) => {
    if (typeof a === "string" && typeof b === "string") return a + b;
    if (typeof a === "number" && typeof b === "number") return a + b;
    if ((a instanceof JsonList || a instanceof ValueList) && (b instanceof JsonList || b instanceof ValueList)) {
      const x = a.elements();
      const y = b.elements();
      return y.length === 0 ? a : x.length === 0 ? b : valueList(x.concat(y));
    }
    return undefined;
  },
  string: (t, a) => (t === undefined && typeof a === "string" ? a : undefined),
  "!_": (_t, a) => (typeof a === "boolean" ? !a : undefined),
  size: (t, a) => {
    const v = t === undefined ? a : t;
    if (t !== undefined && a !== undefined) return undefined;
    return v instanceof JsonList || v instanceof JsonMap || v instanceof ValueList ? BigInt(v.size) : undefined;
  },
  startsWith: (t, a) => (typeof t === "string" && typeof a === "string" ? t.startsWith(a) : undefined),
  endsWith: (t, a) => (typeof t === "string" && typeof a === "string" ? t.endsWith(a) : undefined),
  contains: (t, a) => (typeof t === "string" && typeof a === "string" ? t.includes(a) : undefined),
};

/** A call with a direct path: evaluated as `callNode` would, the direct path tried before the overloads. */
function directNode(name: string, id: number, group: Group | undefined, target: Node | undefined, args: Node[]): Node | undefined {
  const d = direct[name];
  if (!d || !group || args.length > 2) return undefined;
  const finish = (t: CelValue | undefined, vals: CelValue[]): CelResult => {
    const r = group.call(id, t, vals) as CelResult | undefined;
    return r !== undefined ? r : noOverload(name, t, vals, id);
  };
  if (target === undefined && args.length === 2) {
    const [a, b] = args as [Node, Node];
    return (f) => {
      const x = a(f);
      if (isErr(x)) return x;
      const y = b(f);
      if (isErr(y)) return y;
      const r = d(undefined, x, y);
      return r !== undefined ? r : finish(undefined, [x, y]);
    };
  }
  if (target === undefined && args.length === 1) {
    const a = args[0]!;
    return (f) => {
      const x = a(f);
      if (isErr(x)) return x;
      const r = d(undefined, x);
      return r !== undefined ? r : finish(undefined, [x]);
    };
  }
  if (target !== undefined && args.length === 1) {
    const a = args[0]!;
    return (f) => {
      const t = target(f);
      if (isErr(t)) return t;
      const x = a(f);
      if (isErr(x)) return x;
      const r = d(t, x);
      return r !== undefined ? r : finish(t, [x]);
    };
  }
  if (target !== undefined && args.length === 0 && name === "size") {
    return (f) => {
      const t = target(f);
      if (isErr(t)) return t;
      const r = t instanceof JsonList || t instanceof JsonMap || t instanceof ValueList ? BigInt(t.size) : undefined;
      return r !== undefined ? r : finish(t, []);
    };
  }
  return undefined;
}

function mapKey(key: CelValue, id: number): CelResult {
  switch (typeof key) {
    case "boolean":
    case "bigint":
    case "string":
      return key;
    case "object":
      return isCelUint(key) ? key : err("unsupported key type", id);
    case "number":
      return Number.isInteger(key) ? BigInt(key) : err("unsupported key type", id);
    default:
      return err("unsupported key type", id);
  }
}

export class CelCompiler {
  /** The comprehension variables in scope, innermost last. */
  private scope: { name: string; slot: number }[] = [];
  private slots = 0;
  /** The binding names the expression reads (`Frame.r` holds their values in this order). */
  private readonly roots: string[] = [];

  constructor(
    private readonly env: CelEnv,
    private readonly toValue: (v: CelInput) => CelValue,
  ) {}

  compile(root: CelExpr): CompiledCel {
    const node = this.node(root);
    const slots = this.slots;
    const readers = this.roots.map(bindingReader);
    const n = readers.length;
    const toValue = this.toValue;
    // Each binding an expression names is read (and wrapped) once per run, not at every access:
    // accesses inside comprehensions and chains of `variables.…` are most of an expression's reads.
    // A program's frame serves its runs one after another (a run inside a run of the same program,
    // which CEL cannot express, would get a frame of its own): a check runs each program once per
    // object it judges.
    let spare: Frame | undefined;
    return {
      run: (bindings) => {
        const f: Frame = spare ?? { b: bindings, s: slots === 0 ? NONE : new Array(slots), r: n === 0 ? NONE : new Array(n) };
        spare = undefined;
        f.b = bindings;
        // Comprehension slots are written before they are read; cleared, a run cannot see the last one's.
        if (slots > 0) f.s.fill(undefined as never);
        for (let i = 0; i < n; i++) {
          const v = readers[i]!(bindings);
          f.r[i] = v === undefined ? undefined : bindingValue(v, toValue);
        }
        try {
          return node(f);
        } finally {
          spare = f;
        }
      },
    };
  }

  /** The index of binding `name` in `Frame.r`. */
  private root(name: string): number {
    const i = this.roots.indexOf(name);
    return i >= 0 ? i : this.roots.push(name) - 1;
  }

  private lookup(name: string): number | undefined {
    for (let i = this.scope.length - 1; i >= 0; i--) if (this.scope[i]!.name === name) return this.scope[i]!.slot;
    return undefined;
  }

  /** The planner's evaluation of `e`, for what this compiler leaves to it; comprehension variables in scope are passed as bindings. */
  private planned(e: CelExpr): Node {
    const run = plan(this.env, e) as unknown as (ctx: Record<string, unknown>) => CelResult;
    const visible = new Map<string, number>();
    for (const { name, slot } of this.scope) visible.set(name, slot);
    if (visible.size === 0) return (f) => run(f.b);
    return (f) => {
      const ctx: Record<string, unknown> = { ...f.b };
      for (const [name, slot] of visible) ctx[name] = f.s[slot];
      return run(ctx);
    };
  }

  /** Whether `e` is a chain on a root name that is not a comprehension variable (so it may be a binding, or a type name). */
  private freeRoot(e: CelExpr): string | undefined {
    const r = rootName(e);
    return r !== undefined && this.lookup(r) === undefined ? r : undefined;
  }

  private node(e: CelExpr): Node {
    const k = e.exprKind;
    const id = Number(e.id);
    switch (k.case) {
      case "constExpr": {
        const v = constantValue(k.value);
        return () => v;
      }
      case "identExpr":
        return this.ident(e, k.value.name);
      case "selectExpr": {
        const sel = this.select(e, id, k.value);
        return sel.rooted ? sel.node : this.guardRoot(e, sel.node);
      }
      case "callExpr":
        return this.call(e, id, k.value);
      case "listExpr": {
        const elems = k.value.elements.map((x) => this.node(x));
        if (k.value.optionalIndices.length > 0) return this.planned(e);
        if (elems.length === 0) return () => EMPTY_LIST;
        return (f) => {
          const out: CelValue[] = [];
          for (const x of elems) {
            const v = x(f);
            if (isErr(v)) return v;
            out.push(v);
          }
          return valueList(out);
        };
      }
      case "structExpr":
        return k.value.messageName !== "" || k.value.entries.some((x) => x.optionalEntry || x.keyKind.case !== "mapKey") ? this.planned(e) : this.map(id, k.value);
      case "comprehensionExpr":
        return this.comprehension(id, k.value);
      default:
        return () => err("invalid expression", id);
    }
  }

  private ident(e: CelExpr, name: string): Node {
    const slot = this.lookup(name);
    if (slot !== undefined) {
      const id = Number(e.id);
      return (f) => {
        const v = f.s[slot];
        return v === undefined ? err("unresolved attribute", id) : v;
      };
    }
    const fallback = this.planned(e);
    const k = this.root(name);
    return (f) => {
      const v = f.r[k];
      return v !== undefined ? v : fallback(f);
    };
  }

  /**
   * A selection, `has()` or indexing whose chain starts at a name that is not bound: the planner's
   * search of qualified names (a type name, an enum, an undeclared reference) decides it. With the
   * root bound, the compiled node.
   */
  private guardRoot(e: CelExpr, compiled: Node): Node {
    const root = this.freeRoot(e);
    if (root === undefined || e.exprKind.case === "identExpr") return compiled;
    const fallback = this.planned(e);
    const k = this.root(root);
    return (f) => (f.r[k] !== undefined ? compiled(f) : fallback(f));
  }

  private slowSelect(id: number, field: string, testOnly: boolean): (v: CelValue) => CelResult {
    // A selection on a message value (Kubernetes types, optionals): the planner's field access.
    const ident = { $typeName: "cel.expr.Expr", id: BigInt(id), exprKind: { case: "identExpr", value: { $typeName: "cel.expr.Expr.Ident", name: "@v" } } };
    const sel = { $typeName: "cel.expr.Expr", id: BigInt(id), exprKind: { case: "selectExpr", value: { $typeName: "cel.expr.Expr.Select", operand: ident, field, testOnly } } };
    const run = plan(this.env, sel as never) as unknown as (ctx: Record<string, unknown>) => CelResult;
    return (v) => run({ "@v": v });
  }

  /** A selection; `rooted` when the node itself reads its chain's root name (and falls back as `guardRoot` would). */
  private select(e: CelExpr, id: number, s: Select): { node: Node; rooted: boolean } {
    if (s.testOnly) return { node: this.has(id, s), rooted: false };
    // A chain of selections (`a.b.c.d`) is one node: the operand, then each field in a loop.
    const fields: string[] = [s.field];
    const ids: number[] = [id];
    let base = s.operand!;
    while (base.exprKind.case === "selectExpr" && !base.exprKind.value.testOnly) {
      fields.unshift(base.exprKind.value.field);
      ids.unshift(Number(base.id));
      base = base.exprKind.value.operand!;
    }
    const walk = this.fieldWalk(fields, ids);
    const bk = base.exprKind;
    if (bk.case === "identExpr") {
      // The chain starts at a name: read it here, without a node for the name and a guard around it.
      const slot = this.lookup(bk.value.name);
      const baseId = Number(base.id);
      if (slot !== undefined) {
        return {
          node: (f) => {
            const v0 = f.s[slot];
            return v0 === undefined ? err("unresolved attribute", baseId) : isErr(v0) ? v0 : walk(v0);
          },
          rooted: true,
        };
      }
      const k = this.root(bk.value.name);
      // Not bound: the planner's search of qualified names decides the whole chain (guardRoot).
      const fallback = this.planned(e);
      return {
        node: (f) => {
          const v0 = f.r[k];
          return v0 === undefined ? fallback(f) : isErr(v0) ? v0 : walk(v0);
        },
        rooted: true,
      };
    }
    const operand = this.node(base);
    return {
      node: (f) => {
        const v0 = operand(f);
        return isErr(v0) ? v0 : walk(v0);
      },
      rooted: false,
    };
  }

  /** `has(x.f)`. */
  private has(id: number, s: Select): Node {
    const operand = this.node(s.operand!);
    const field = s.field;
    const slow = this.slowSelect(id, field, true);
    return (f) => {
      const v = operand(f);
      if (isErr(v)) return v;
      if (v instanceof JsonMap) return v.has(field);
      if (typeof v !== "object" || v === null) return false;
      if (isCelMap(v)) return v.has(field);
      if (isCelList(v) || isCelUint(v) || v instanceof Uint8Array) return false;
      return slow(v);
    };
  }

  /** Reads `fields` one after the other from a value, as chained selections do. */
  private fieldWalk(fields: string[], ids: number[]): (v0: CelValue) => CelResult {
    const slows: ((v: CelValue) => CelResult)[] = [];
    const slow = (i: number) => (slows[i] ??= this.slowSelect(ids[i]!, fields[i]!, false));
    const n = fields.length;
    const layouts: (object | undefined)[] = new Array(n).fill(undefined);
    const slots: number[] = new Array(n).fill(-1);
    return (v0) => {
      let v: CelValue = v0;
      for (let i = 0; i < n; i++) {
        const field = fields[i]!;
        let r: CelValue | undefined;
        if (v instanceof JsonMap) r = v.field(field);
        else if (v instanceof SlottedMap) {
          if (layouts[i] !== v.layout) {
            layouts[i] = v.layout;
            slots[i] = v.slotOf(field);
          }
          r = v.getSlot(slots[i]!);
        } else if (isCelMap(v)) r = v.get(field);
        else if (isMessageLike(v)) {
          const x = slow(i)(v);
          if (isErr(x)) return x;
          r = x;
        }
        if (r === undefined) return err(`field not found: ${field}`, ids[i]!);
        v = r;
      }
      return v;
    };
  }

  private call(e: CelExpr, id: number, c: Call): Node {
    const funcs = this.env.funcs;
    // `ns.fn(args)` where `ns.fn` is a function of the environment: a global call.
    if (c.target) {
      const q = qualifiedName(c.target);
      if (q !== undefined) {
        const g = funcs.find(`${q}.${c.function}`);
        if (g) return callNode(`${q}.${c.function}`, id, g, undefined, c.args.map((a) => this.node(a)));
      }
    }
    switch (c.function) {
      case "_[_]": {
        if (c.target || c.args.length !== 2) break;
        const [a, b] = c.args.map((x) => this.node(x)) as [Node, Node];
        const slow = (v: CelValue, name: string) => this.slowIndex(id)(v, name);
        return this.guardRoot(e, (f) => {
          const v = a(f);
          if (isErr(v)) return v;
          const key = b(f);
          if (isErr(key)) return key;
          return index(v, key, id, slow);
        });
      }
      case "_?_:_": {
        if (c.target || c.args.length !== 3) break;
        const [cond, t, el] = c.args.map((x) => this.node(x)) as [Node, Node, Node];
        return (f) => {
          const v = cond(f);
          if (v === true) return t(f);
          if (v === false) return el(f);
          if (isErr(v)) return v;
          return err(`found no matching overload for _?_:_ applied to '(${celType(v).name})'`, id);
        };
      }
      case "_&&_":
      case "_||_": {
        if (c.target) break;
        const args = c.args.map((x) => this.node(x));
        const stop = c.function === "_||_";
        const notBool = (v: CelValue) => err(`type mismatch: expected bool, got ${celType(v)}`, id);
        if (args.length === 2) {
          // The usual binary form, without the loop: the same answers, the first operand's error first.
          const [a, b] = args as [Node, Node];
          return (f) => {
            const x = a(f);
            if (x === stop) return stop;
            const y = b(f);
            if (y === stop) return stop;
            if (typeof x !== "boolean") return isErr(x) ? x : notBool(x);
            if (typeof y !== "boolean") return isErr(y) ? y : notBool(y);
            return !stop;
          };
        }
        return (f) => {
          let first: CelError | undefined;
          for (const a of args) {
            const v = a(f);
            if (typeof v === "boolean") {
              if (v === stop) return stop;
              continue;
            }
            first ??= isErr(v) ? v : notBool(v);
          }
          return first ?? !stop;
        };
      }
      case "@not_strictly_false":
      case "__not_strictly_false__": {
        if (c.target || c.args.length !== 1) break;
        const a = this.node(c.args[0]!);
        return (f) => a(f) !== false;
      }
      case "_[?_]":
      case "_?._":
        return this.planned(e);
      default:
        break;
    }
    const target = c.target ? this.node(c.target) : undefined;
    const args = c.args.map((a) => this.node(a));
    const group = funcs.find(c.function);
    return directNode(c.function, id, group, target, args) ?? callNode(c.function, id, group, target, args);
  }

  private slowIndexCache: Map<number, (v: CelValue, name: string) => CelResult> = new Map();
  private slowIndex(id: number): (v: CelValue, name: string) => CelResult {
    let s = this.slowIndexCache.get(id);
    if (!s) {
      const bySelect = new Map<string, (v: CelValue) => CelResult>();
      s = (v, name) => {
        let g = bySelect.get(name);
        if (!g) bySelect.set(name, (g = this.slowSelect(id, name, false)));
        return g(v);
      };
      this.slowIndexCache.set(id, s);
    }
    return s;
  }

  private map(id: number, s: CreateStruct): Node {
    const keys = s.entries.map((x) => this.node(x.keyKind.value as CelExpr));
    const values = s.entries.map((x) => this.node(x.value!));
    if (keys.length === 0) return () => EMPTY_MAP;
    return (f) => {
      const entries = new Map<CelValue, CelValue>();
      for (let i = 0; i < keys.length; i++) {
        const kv = keys[i]!(f);
        if (isErr(kv)) return kv;
        const key = mapKey(kv, id);
        if (isErr(key)) return key;
        const val = values[i]!(f);
        if (isErr(val)) return val;
        if (i > 0 && entries.has(key)) return err(`map key conflict: ${String(key)}`, id);
        entries.set(key, val);
      }
      return celMap(entries as never);
    };
  }

  private comprehension(id: number, c: Comprehension): Node {
    if (c.iterVar2) throw new Error("two-variable comprehensions are lowered before compiling");
    const range = this.node(c.iterRange!);
    const init = this.node(c.accuInit!);
    const accu = this.slots++;
    const iter = this.slots++;
    this.scope.push({ name: c.accuVar, slot: accu });
    const result = this.node(c.result!);
    this.scope.push({ name: c.iterVar, slot: iter });
    const cond = this.node(c.loopCondition!);
    const step = this.node(c.loopStep!);
    this.scope.pop();
    this.scope.pop();
    return (f) => {
      const a0 = init(f);
      if (isErr(a0)) return a0;
      const r = range(f);
      if (isErr(r)) return r;
      let items: Iterable<CelValue>;
      if (r instanceof JsonList || r instanceof ValueList) items = r.elements();
      else if (r instanceof JsonMap) items = [...r.keys()];
      else if (isCelMap(r)) items = [...(r as CelMap).keys()] as CelValue[];
      else if (isCelList(r)) items = listElements(r);
      else return err(`type mismatch: iterable vs ${celType(r)}`, id);
      const s = f.s;
      s[accu] = a0;
      for (const item of items) {
        if (isErr(item)) return item;
        s[iter] = item;
        const go = cond(f);
        if (isErr(go)) return go;
        if (go !== true) break;
        s[accu] = step(f);
      }
      return result(f);
    };
  }
}
