/**
 * Object, array and set built-ins that may be called on the host: `object.*` (subset, union_n,
 * get with path arrays, ...), `array.*`, `walk` and the graph built-ins `graph.reachable(_paths)`.
 */
import {
  type Value,
  type PlainObject,
  RObject,
  RSet,
  isArray,
  isObject,
  isSet,
  objectEntries,
  objectGet,
  objectKeys,
  makeObject,
  equal,
  toInt,
  collectionValues,
} from "./value.js";
import type { Builtin } from "./tagged.js";

type Obj = PlainObject | RObject;

function obj(v: Value): Obj {
  if (!isObject(v)) throw new TypeError("object expected");
  return v;
}

function keyList(v: Value): Value[] {
  if (isArray(v)) return v;
  if (isSet(v)) return v.items;
  if (isObject(v)) return objectKeys(v);
  throw new TypeError("keys must be an array, set or object");
}

/** Deep merge where `b` wins, as `object.union`. */
export function union(a: Value, b: Value): Value {
  if (!isObject(a) || !isObject(b)) return b;
  const out: [Value, Value][] = [...objectEntries(a)];
  for (const [k, v] of objectEntries(b)) {
    const i = out.findIndex(([x]) => equal(x, k));
    if (i >= 0) out[i] = [k, union(out[i]![1], v)];
    else out.push([k, v]);
  }
  return makeObject(out);
}

function arraySubset(sup: Value[], sub: Value[]): boolean {
  if (sub.length === 0) return true;
  for (let i = 0; i + sub.length <= sup.length; i++) {
    if (sub.every((x, j) => equal(sup[i + j]!, x))) return true;
  }
  return false;
}

function subset(sup: Value, sub: Value): boolean {
  if (isObject(sup) && isObject(sub)) {
    for (const [k, sv] of objectEntries(sub)) {
      const pv = objectGet(sup, k);
      if (pv === undefined) return false;
      if (isObject(pv) && isObject(sv)) {
        if (!subset(pv, sv)) return false;
      } else if (isSet(pv) && isSet(sv)) {
        if (!subset(pv, sv)) return false;
      } else if (isArray(pv) && isArray(sv)) {
        if (!arraySubset(pv, sv)) return false;
      } else if (!equal(pv, sv)) return false;
    }
    return true;
  }
  if (isSet(sup) && isSet(sub)) return sub.items.every((x) => sup.has(x));
  if (isArray(sup) && isArray(sub)) return arraySubset(sup, sub);
  if (isArray(sup) && isSet(sub)) {
    const s = new RSet(sup);
    return sub.items.every((x) => s.has(x));
  }
  return false;
}

function objectSubset(sup: Value, sub: Value): Value | undefined {
  const ok = (v: Value) => isObject(v) || isSet(v) || isArray(v);
  if (!ok(sup) || !ok(sub)) throw new TypeError("object.subset: operands must be objects, sets or arrays");
  if (isObject(sup) !== isObject(sub) && !(isArray(sup) && isSet(sub))) {
    if (isObject(sup) || isObject(sub)) throw new TypeError("object.subset: mismatched types");
  }
  return subset(sup, sub);
}

function objectGetBuiltin(o: Value, key: Value, dflt: Value): Value {
  const base = obj(o);
  if (isArray(key)) {
    let cur: Value = base;
    for (const seg of key) {
      let next: Value | undefined;
      if (isObject(cur)) next = objectGet(cur, seg);
      else if (isArray(cur)) {
        const i = toInt(seg);
        next = i !== undefined && i >= 0 && i < cur.length ? cur[i] : undefined;
      } else if (isSet(cur)) next = cur.has(seg) ? seg : undefined;
      if (next === undefined) return dflt;
      cur = next;
    }
    return cur;
  }
  const v = objectGet(base, key);
  return v === undefined ? dflt : v;
}

function walk(v: Value): Value {
  const out: Value[] = [];
  const rec = (path: Value[], x: Value) => {
    out.push([path, x]);
    if (isArray(x)) x.forEach((e, i) => rec([...path, i], e));
    else if (isSet(x)) x.items.forEach((e) => rec([...path, e], e));
    else if (isObject(x)) for (const [k, e] of objectEntries(x)) rec([...path, k], e);
  };
  rec([], v);
  return out;
}

function neighbours(graph: Obj, node: Value): Value[] {
  const edges = objectGet(graph, node);
  if (edges === undefined || edges === null) return [];
  const vals = isArray(edges) || isSet(edges) ? collectionValues(edges)! : undefined;
  if (!vals) throw new TypeError("graph edges must be arrays or sets");
  return vals;
}

function reachable(g: Value, initial: Value): Value {
  const graph = obj(g);
  const start = isArray(initial) || isSet(initial) ? collectionValues(initial)! : undefined;
  if (!start) throw new TypeError("initial must be an array or set");
  const found: Value[] = [];
  const queue = [...start];
  while (queue.length > 0) {
    const n = queue.shift()!;
    if (found.some((x) => equal(x, n))) continue;
    if (objectGet(graph, n) === undefined) continue;
    found.push(n);
    for (const m of neighbours(graph, n)) queue.push(m);
  }
  return new RSet(found);
}

/**
 * All paths from the initial nodes, as OPA enumerates them: a path ends at a node with no edges,
 * before a node that does not exist, or at a node whose neighbour was already expanded.
 */
function reachablePaths(g: Value, initial: Value): Value {
  const graph = obj(g);
  const start = isArray(initial) || isSet(initial) ? collectionValues(initial)! : undefined;
  if (!start) throw new TypeError("initial must be an array or set");
  const paths: Value[] = [];
  const expanded: Value[] = [];
  const isReached = (v: Value) => expanded.some((x) => equal(x, v));
  const rec = (node: Value, path: Value[]) => {
    if (objectGet(graph, node) === undefined) {
      if (path.length > 0) paths.push(path);
      return;
    }
    const next = neighbours(graph, node);
    if (next.length === 0) {
      paths.push([...path, node]);
      return;
    }
    for (const n of next) {
      if (isReached(n)) paths.push([...path, node]);
      else {
        if (objectGet(graph, n) !== undefined && !isReached(node)) expanded.push(node);
        rec(n, [...path, node]);
      }
    }
  };
  for (const s0 of start) rec(s0, []);
  return new RSet(paths);
}

export const objectBuiltins: Record<string, Builtin> = {
  "object.subset": objectSubset,
  "object.union": (a, b) => union(obj(a), obj(b)),
  "object.union_n": (list) => {
    if (!isArray(list)) return undefined;
    let acc: Value = {};
    for (const o of list) acc = union(acc, obj(o));
    return acc;
  },
  "object.get": objectGetBuiltin,
  "object.keys": (o) => new RSet(objectKeys(obj(o))),
  "object.remove": (o, keys) => {
    const ks = keyList(keys);
    return makeObject(objectEntries(obj(o)).filter(([k]) => !ks.some((x) => equal(x, k))));
  },
  "object.filter": (o, keys) => {
    const ks = keyList(keys);
    return makeObject(objectEntries(obj(o)).filter(([k]) => ks.some((x) => equal(x, k))));
  },
  "array.concat": (a, b) => {
    if (!isArray(a) || !isArray(b)) return undefined;
    return [...a, ...b];
  },
  "array.slice": (a, s, e) => {
    if (!isArray(a)) return undefined;
    let i = toInt(s);
    let j = toInt(e);
    if (i === undefined || j === undefined) return undefined;
    i = Math.max(0, i);
    j = Math.min(a.length, j);
    return i >= j ? [] : a.slice(i, j);
  },
  "array.reverse": (a) => (isArray(a) ? [...a].reverse() : undefined),
  // Flattens one level only, as OPA does.
  "array.flatten": (a) => (isArray(a) ? a.flatMap((x) => (isArray(x) ? x : [x])) : undefined),
  walk,
  "graph.reachable": reachable,
  "graph.reachable_paths": reachablePaths,
};
