/**
 * TEST-ONLY reference interpreter for the planner's IR (src/engine/plan/ir.ts). It lets the
 * planner be checked against OPA's conformance cases before (and independently of) the Wasm back
 * end. The product never uses it: policies evaluate through Wasm. It implements only a handful of
 * trivial built-ins; a plan needing any other one is reported as unsupported.
 *
 * Value model (mirrors OPA's Wasm runtime): composites are references. DotStmt yields the stored
 * value itself and the insert statements mutate in place; ObjectMergeStmt makes a new object.
 */
import type { Block, Func, Local, Operand, Policy, Stmt } from "../../../src/engine/plan/ir.js";

export type Value = null | boolean | number | string | Value[] | RObj | RSet;

export class RObj {
  m = new Map<string, [Value, Value]>();
  get(k: Value): Value | undefined { return this.m.get(keyOf(k))?.[1]; }
  set(k: Value, v: Value): void { this.m.set(keyOf(k), [k, v]); }
  get size(): number { return this.m.size; }
}

export class RSet {
  m = new Map<string, Value>();
  add(v: Value): void { this.m.set(keyOf(v), v); }
  has(v: Value): boolean { return this.m.has(keyOf(v)); }
  get size(): number { return this.m.size; }
}

export class EvalError extends Error {
  constructor(public code: string, message: string) { super(message); }
}

export class Unsupported extends Error {}

const rank = (v: Value): number =>
  v === null ? 0 : typeof v === "boolean" ? 1 : typeof v === "number" ? 2 : typeof v === "string" ? 3 : Array.isArray(v) ? 4 : v instanceof RObj ? 5 : 6;

export function compare(a: Value, b: Value): number {
  const ra = rank(a), rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a === null) return 0;
  if (typeof a === "boolean" || typeof a === "number" || typeof a === "string") return a < (b as typeof a) ? -1 : a > (b as typeof a) ? 1 : 0;
  if (Array.isArray(a)) {
    const bb = b as Value[];
    for (let i = 0; i < Math.min(a.length, bb.length); i++) {
      const c = compare(a[i]!, bb[i]!);
      if (c) return c;
    }
    return a.length - bb.length;
  }
  if (a instanceof RObj) {
    const ea = [...a.m.values()].sort((x, y) => compare(x[0], y[0]));
    const eb = [...(b as RObj).m.values()].sort((x, y) => compare(x[0], y[0]));
    for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
      const c = compare(ea[i]![0], eb[i]![0]) || compare(ea[i]![1], eb[i]![1]);
      if (c) return c;
    }
    return ea.length - eb.length;
  }
  const sa = [...(a as RSet).m.values()].sort(compare);
  const sb = [...(b as RSet).m.values()].sort(compare);
  return compare(sa, sb);
}

export function keyOf(v: Value): string {
  if (v === null || typeof v === "boolean") return String(v);
  if (typeof v === "number") return `n${v}`;
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(keyOf).join(",")}]`;
  if (v instanceof RObj) return `{${[...v.m.keys()].sort().map((k) => `${k}:${keyOf(v.m.get(k)![1])}`).join(",")}}`;
  return `<${[...v.m.keys()].sort().join(",")}>`;
}

export const equal = (a: Value, b: Value) => keyOf(a) === keyOf(b);

export function fromJSON(j: unknown): Value {
  if (j === null || typeof j === "boolean" || typeof j === "number" || typeof j === "string") return j;
  if (Array.isArray(j)) return j.map(fromJSON);
  const o = new RObj();
  for (const [k, v] of Object.entries(j as object)) o.set(k, fromJSON(v));
  return o;
}

/** Converts to JSON as OPA's `opa_json_dump` does: sets become (sorted) arrays, keys become strings. */
export function toJSON(v: Value): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(toJSON);
  if (v instanceof RSet) return [...v.m.values()].sort(compare).map(toJSON);
  const out: Record<string, unknown> = {};
  for (const [k, val] of [...v.m.values()].sort((x, y) => compare(x[0], y[0]))) out[typeof k === "string" ? k : JSON.stringify(toJSON(k))] = toJSON(val);
  return out;
}

function copy(v: Value): Value {
  if (Array.isArray(v)) return [...v];
  if (v instanceof RObj) { const o = new RObj(); for (const [k, e] of v.m) o.m.set(k, e); return o; }
  if (v instanceof RSet) { const s = new RSet(); for (const [k, e] of v.m) s.m.set(k, e); return s; }
  return v;
}

function upsert(base: Value | undefined, path: string[], v: Value): Value {
  if (path.length === 0) return v;
  const o = base instanceof RObj ? (copy(base) as RObj) : new RObj();
  o.set(path[0]!, upsert(o.get(path[0]!), path.slice(1), v));
  return o;
}

function merge(a: Value, b: Value): Value {
  if (!(a instanceof RObj) || !(b instanceof RObj)) return a;
  const o = copy(b) as RObj;
  for (const [, [k, v]] of a.m) {
    const ex = o.get(k);
    o.set(k, ex === undefined ? v : merge(v, ex));
  }
  return o;
}

type Builtin = (...args: Value[]) => Value | undefined;
const num = (v: Value): number => { if (typeof v !== "number") throw new Unsupported("type"); return v; };
const coll = (v: Value): Value[] => (Array.isArray(v) ? v : v instanceof RSet ? [...v.m.values()] : v instanceof RObj ? [...v.m.values()].map((e) => e[1]) : (() => { throw new Unsupported("type"); })());

/** The few built-ins the reference interpreter supports (non-strict: type errors are undefined). */
export const BUILTINS: Record<string, Builtin> = {
  plus: (a, b) => num(a!) + num(b!),
  minus: (a, b) => {
    if (a instanceof RSet && b instanceof RSet) { const s = new RSet(); for (const [k, v] of a.m) if (!b.m.has(k)) s.m.set(k, v); return s; }
    return num(a!) - num(b!);
  },
  mul: (a, b) => num(a!) * num(b!),
  div: (a, b) => (num(b!) === 0 ? undefined : num(a!) / num(b!)),
  rem: (a, b) => (num(b!) === 0 ? undefined : num(a!) % num(b!)),
  abs: (a) => Math.abs(num(a!)),
  count: (a) => (typeof a === "string" ? [...a].length : coll(a!).length),
  sum: (a) => coll(a!).reduce((s: number, x) => s + num(x), 0),
  max: (a) => { const c = coll(a!); return c.length ? c.reduce((m, x) => (compare(x, m) > 0 ? x : m)) : undefined; },
  min: (a) => { const c = coll(a!); return c.length ? c.reduce((m, x) => (compare(x, m) < 0 ? x : m)) : undefined; },
  sort: (a) => [...coll(a!)].sort(compare),
  equal: (a, b) => equal(a!, b!),
  neq: (a, b) => !equal(a!, b!),
  lt: (a, b) => compare(a!, b!) < 0,
  lte: (a, b) => compare(a!, b!) <= 0,
  gt: (a, b) => compare(a!, b!) > 0,
  gte: (a, b) => compare(a!, b!) >= 0,
  and: (a, b) => { if (!(a instanceof RSet) || !(b instanceof RSet)) return undefined; const s = new RSet(); for (const [k, v] of a.m) if (b.m.has(k)) s.m.set(k, v); return s; },
  or: (a, b) => { if (!(a instanceof RSet) || !(b instanceof RSet)) return undefined; const s = copy(a) as RSet; for (const [k, v] of b.m) s.m.set(k, v); return s; },
  "internal.member_2": (x, xs) => coll(xs!).some((e) => equal(e, x!)),
  "internal.member_3": (k, v, xs) => {
    if (Array.isArray(xs)) return typeof k === "number" && xs[k] !== undefined && equal(xs[k]!, v!);
    if (xs instanceof RObj) { const e = xs.get(k!); return e !== undefined && equal(e, v!); }
    if (xs instanceof RSet) return xs.has(k!) && equal(k!, v!);
    return undefined;
  },
  is_number: (a) => (typeof a === "number" ? true : undefined),
  is_string: (a) => (typeof a === "string" ? true : undefined),
  is_boolean: (a) => (typeof a === "boolean" ? true : undefined),
  is_array: (a) => (Array.isArray(a) ? true : undefined),
  is_set: (a) => (a instanceof RSet ? true : undefined),
  is_object: (a) => (a instanceof RObj ? true : undefined),
  is_null: (a) => (a === null ? true : undefined),
  type_name: (a) => ["null", "boolean", "number", "string", "array", "object", "set"][rank(a!)]!,
  concat: (sep, xs) => coll(xs!).map((x) => { if (typeof x !== "string") throw new Unsupported("type"); return x; }).join(sep as string),
  startswith: (a, b) => (a as string).startsWith(b as string),
  endswith: (a, b) => (a as string).endsWith(b as string),
  contains: (a, b) => (a as string).includes(b as string),
  "array.concat": (a, b) => (Array.isArray(a) && Array.isArray(b) ? [...a, ...b] : undefined),
  "strings.any_prefix_match": (a, b) => {
    const xs = typeof a === "string" ? [a] : coll(a!);
    const ps = typeof b === "string" ? [b] : coll(b!);
    return xs.some((x) => ps.some((p) => (x as string).startsWith(p as string)));
  },
  walk: (x) => {
    const out: Value[] = [];
    const rec = (path: Value[], v: Value): void => {
      out.push([[...path], v]);
      if (Array.isArray(v)) v.forEach((e, i) => rec([...path, i], e));
      else if (v instanceof RObj) for (const [, [k, e]] of v.m) rec([...path, k], e);
      else if (v instanceof RSet) for (const e of v.m.values()) rec([...path, e], e);
    };
    rec([], x!);
    return out;
  },
  split: (a, b) => (typeof a === "string" && typeof b === "string" ? a.split(b) : undefined),
  trim: (a, b) => {
    if (typeof a !== "string" || typeof b !== "string") return undefined;
    let i = 0, j = a.length;
    while (i < j && b.includes(a[i]!)) i++;
    while (j > i && b.includes(a[j - 1]!)) j--;
    return a.slice(i, j);
  },
  floor: (a) => Math.floor(num(a!)),
  "numbers.range": (a, b) => {
    const x = num(a!), y = num(b!);
    if (!Number.isInteger(x) || !Number.isInteger(y)) return undefined;
    const out: number[] = [];
    for (let i = x; x <= y ? i <= y : i >= y; i += x <= y ? 1 : -1) out.push(i);
    return out;
  },
  format_int: (a, b) => (typeof a === "number" && typeof b === "number" ? Math.trunc(a).toString(b) : undefined),
  "object.union": (a, b) => (a instanceof RObj && b instanceof RObj ? unionObj(a, b) : undefined),
  "object.union_n": (xs) => (Array.isArray(xs) && xs.every((x) => x instanceof RObj) ? xs.reduce((acc: Value, x) => unionObj(acc as RObj, x as RObj), new RObj()) : undefined),
  sprintf: (f, xs) => {
    if (typeof f !== "string" || !Array.isArray(xs)) return undefined;
    let i = 0;
    return f.replace(/%([vsd%])/g, (_, c: string) => (c === "%" ? "%" : fmt(xs[i++]!)));
  },
};

function unionObj(a: RObj, b: RObj): RObj {
  const o = copy(a) as RObj;
  for (const [, [k, v]] of b.m) {
    const ex = o.get(k);
    o.set(k, ex instanceof RObj && v instanceof RObj ? unionObj(ex, v) : v);
  }
  return o;
}

function fmt(v: Value): string {
  if (typeof v === "string") return v;
  return JSON.stringify(toJSON(v));
}

interface Frame { locals: (Value | undefined)[]; ret?: Value; returned?: boolean }

const DONE = -1;
const UNDEF = -2;
const RETURN = 1e9;

export class Interpreter {
  private funcs = new Map<string, Func>();
  private strings: string[];
  results: Value[] = [];
  steps = 0;

  constructor(private policy: Policy, private builtins: Record<string, Builtin> = BUILTINS) {
    for (const f of policy.funcs.funcs) this.funcs.set(f.name, f);
    this.strings = policy.static.strings.map((s) => s.value);
  }

  /** Evaluates plan `name`; returns the result set as JSON rows. */
  eval(name: string, input: Value | undefined, data: Value): unknown[] {
    const plan = this.policy.plans.plans.find((p) => p.name === name);
    if (!plan) throw new Error(`no plan ${name}`);
    this.results = [];
    for (const b of plan.blocks) {
      const f: Frame = { locals: [input, data] };
      this.block(b, f);
    }
    const seen = new Set<string>();
    const out: unknown[] = [];
    for (const r of this.results) {
      const k = keyOf(r);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(toJSON(r));
    }
    return out;
  }

  private op(o: Operand, f: Frame): Value | undefined {
    if (o.type === "local") return f.locals[o.value];
    if (o.type === "bool") return o.value;
    return this.strings[o.value]!;
  }

  private block(b: Block, f: Frame): number {
    for (const s of b.stmts) {
      if (++this.steps > 5_000_000) throw new EvalError("eval_cancel_error", "step budget exceeded");
      const r = this.stmt(s, f);
      if (r === UNDEF) return 0;
      if (r > 0) return r - 1;
    }
    return DONE;
  }

  private call(fn: Func, args: (Value | undefined)[]): Value | undefined {
    const f: Frame = { locals: [] };
    fn.params.forEach((p, i) => { f.locals[p] = args[i]; });
    for (const b of fn.blocks) {
      this.block(b, f);
      if (f.returned) return f.ret;
    }
    return undefined;
  }

  private stmt(s: Stmt, f: Frame): number {
    const L = f.locals;
    const O = (o: Operand) => this.op(o, f);
    switch (s.type) {
      case "ReturnLocalStmt": f.ret = L[s.source]; f.returned = true; return RETURN;
      case "CallStmt": {
        const args = s.args.map(O);
        const fn = this.funcs.get(s.func);
        // Planned functions take input and data first; input may be absent.
        if (args.some((a, i) => a === undefined && !(fn && i === 0))) return UNDEF;
        let r: Value | undefined;
        if (fn) r = this.call(fn, args);
        else {
          const b = this.builtins[s.func];
          if (!b) throw new Unsupported(`built-in ${s.func}`);
          try { r = b(...(args as Value[])); } catch (e) { if (e instanceof Unsupported && e.message === "type") r = undefined; else throw e; }
        }
        if (r === undefined) return UNDEF;
        L[s.result] = r;
        return DONE;
      }
      case "CallDynamicStmt": throw new Unsupported("CallDynamicStmt");
      case "BlockStmt":
        for (const b of s.blocks) { const r = this.block(b, f); if (r > 0) return r; if (f.returned) return RETURN; }
        return DONE;
      case "BreakStmt": return s.index + 1;
      case "DotStmt": {
        const src = O(s.source), key = O(s.key);
        if (src === undefined || key === undefined) return UNDEF;
        let v: Value | undefined;
        if (Array.isArray(src)) v = typeof key === "number" && Number.isInteger(key) ? src[key] : undefined;
        else if (src instanceof RObj) v = src.get(key);
        else if (src instanceof RSet) v = src.has(key) ? key : undefined;
        if (v === undefined) return UNDEF;
        L[s.target] = v;
        return DONE;
      }
      case "LenStmt": {
        const v = O(s.source);
        if (v === undefined) return UNDEF;
        if (Array.isArray(v)) L[s.target] = v.length;
        else if (v instanceof RObj || v instanceof RSet) L[s.target] = v.size;
        else if (typeof v === "string") L[s.target] = [...v].length;
        else return UNDEF;
        return DONE;
      }
      case "ScanStmt": {
        const src = L[s.source];
        let entries: [Value, Value][];
        if (Array.isArray(src)) entries = src.map((v, i) => [i, v]);
        else if (src instanceof RObj) entries = [...src.m.values()];
        else if (src instanceof RSet) entries = [...src.m.values()].map((v) => [v, v]);
        else return UNDEF;
        for (const [k, v] of entries) {
          L[s.key] = k;
          L[s.value] = v;
          const r = this.block(s.block, f);
          if (f.returned) return RETURN;
          if (r > 0) return r;
        }
        return DONE;
      }
      case "NotStmt": {
        const r = this.block(s.block, f);
        if (f.returned) return RETURN;
        return r === DONE ? UNDEF : DONE;
      }
      case "AssignIntStmt": L[s.target] = s.value; return DONE;
      case "AssignVarStmt": { const v = O(s.source); if (v === undefined) return UNDEF; L[s.target] = v; return DONE; }
      case "AssignVarOnceStmt": {
        const v = O(s.source);
        if (v === undefined) return UNDEF;
        const ex = L[s.target];
        if (ex !== undefined && !equal(ex, v)) throw new EvalError("eval_conflict_error", "var assignment conflict");
        L[s.target] = v;
        return DONE;
      }
      case "ResetLocalStmt": L[s.target] = undefined; return DONE;
      case "MakeNullStmt": L[s.target] = null; return DONE;
      case "MakeNumberIntStmt": L[s.target] = s.value; return DONE;
      case "MakeNumberRefStmt": L[s.target] = Number(this.strings[s.index]); return DONE;
      case "MakeArrayStmt": L[s.target] = []; return DONE;
      case "MakeObjectStmt": L[s.target] = new RObj(); return DONE;
      case "MakeSetStmt": L[s.target] = new RSet(); return DONE;
      case "EqualStmt": { const a = O(s.a), b = O(s.b); return a !== undefined && b !== undefined && equal(a, b) ? DONE : UNDEF; }
      case "NotEqualStmt": { const a = O(s.a), b = O(s.b); return a !== undefined && b !== undefined && !equal(a, b) ? DONE : UNDEF; }
      case "IsArrayStmt": return Array.isArray(O(s.source)) ? DONE : UNDEF;
      case "IsObjectStmt": return O(s.source) instanceof RObj ? DONE : UNDEF;
      case "IsSetStmt": return O(s.source) instanceof RSet ? DONE : UNDEF;
      case "IsDefinedStmt": return L[s.source] !== undefined ? DONE : UNDEF;
      case "IsUndefinedStmt": return L[s.source] === undefined ? DONE : UNDEF;
      case "ArrayAppendStmt": { const v = O(s.value); const a = L[s.array]; if (v === undefined || !Array.isArray(a)) return UNDEF; a.push(v); return DONE; }
      case "ObjectInsertStmt": { const k = O(s.key), v = O(s.value), o = L[s.object]; if (k === undefined || v === undefined || !(o instanceof RObj)) return UNDEF; o.set(k, v); return DONE; }
      case "ObjectInsertOnceStmt": {
        const k = O(s.key), v = O(s.value), o = L[s.object];
        if (k === undefined || v === undefined || !(o instanceof RObj)) return UNDEF;
        const ex = o.get(k);
        if (ex !== undefined && !equal(ex, v)) throw new EvalError("eval_conflict_error", "object insert conflict");
        o.set(k, v);
        return DONE;
      }
      case "ObjectMergeStmt": {
        const a = L[s.a], b = L[s.b];
        if (a === undefined || b === undefined) return UNDEF;
        L[s.target] = merge(a, b);
        return DONE;
      }
      case "SetAddStmt": { const v = O(s.value), st = L[s.set]; if (v === undefined || !(st instanceof RSet)) return UNDEF; st.add(v); return DONE; }
      case "WithStmt": {
        const v = O(s.value);
        if (v === undefined) return UNDEF;
        const saved = L[s.local];
        L[s.local] = upsert(saved, s.path.map((i) => this.strings[i]!), v);
        const r = this.block(s.block, f);
        L[s.local] = saved;
        if (f.returned) return RETURN;
        return r > 0 ? r : DONE;
      }
      case "NopStmt": return DONE;
      case "ResultSetAddStmt": { const v = L[s.value]; if (v !== undefined) this.results.push(copy(v)); return DONE; }
    }
  }
}

export type { Local };
