// Collection natives against JavaScript references: set algebra, array slicing, object merges.
import { test } from "uvu";
import fc from "fast-check";
import { Runtime } from "./harness.js";

const rt = new Runtime();
const call = (name: string, ...args: string[]) => {
  const mark = rt.x.opa_heap_ptr_get();
  const r = rt.call(name, ...args);
  rt.x.opa_heap_ptr_set(mark);
  return r === undefined ? undefined : JSON.parse(rt.dump(rt.value(r)));
};
const setLit = (xs: number[]) => (xs.length ? `{${xs.join(", ")}}` : "set()");
const sorted = (xs: Iterable<number>) => [...new Set(xs)].sort((a, b) => a - b);

test("property: set and/or/minus, intersection/union of a set of sets", () => {
  const ints = fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 8 });
  fc.assert(
    fc.property(ints, ints, ints, (a, b, c) => {
      const A = new Set(a), B = new Set(b), C = new Set(c);
      const eq = (got: unknown, want: number[]) => JSON.stringify(got) === JSON.stringify(want);
      return eq(call("and", setLit(a), setLit(b)), sorted(a.filter((x) => B.has(x)))) &&
        eq(call("or", setLit(a), setLit(b)), sorted([...a, ...b])) &&
        eq(call("minus", setLit(a), setLit(b)), sorted(a.filter((x) => !B.has(x)))) &&
        eq(call("intersection", `{${setLit(a)}, ${setLit(b)}, ${setLit(c)}}`), sorted(a.filter((x) => B.has(x) && C.has(x)))) &&
        eq(call("union", `{${setLit(a)}, ${setLit(b)}, ${setLit(c)}}`), sorted([...A, ...B, ...C]));
    }),
    { numRuns: 400 },
  );
});

test("property: array.slice / concat / reverse, sort, max/min, sum/product in int64", () => {
  const arr = fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 10 });
  fc.assert(
    fc.property(arr, arr, fc.integer({ min: -3, max: 12 }), fc.integer({ min: -3, max: 12 }), (a, b, i, j) => {
      const lo = Math.max(0, i), hi = Math.min(a.length, j);
      const eq = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
      return eq(call("array.slice", JSON.stringify(a), String(i), String(j)), lo >= hi ? [] : a.slice(lo, hi)) &&
        eq(call("array.concat", JSON.stringify(a), JSON.stringify(b)), [...a, ...b]) &&
        eq(call("array.reverse", JSON.stringify(a)), [...a].reverse()) &&
        eq(call("sort", JSON.stringify(a)), [...a].sort((x, y) => x - y)) &&
        eq(call("max", JSON.stringify(a)), a.length ? Math.max(...a) : undefined) &&
        eq(call("min", JSON.stringify(a)), a.length ? Math.min(...a) : undefined) &&
        call("sum", JSON.stringify(a)) === a.reduce((x, y) => x + y, 0) &&
        call("product", JSON.stringify(a.slice(0, 4))) === a.slice(0, 4).reduce((x, y) => x * y, 1);
    }),
    { numRuns: 400 },
  );
});

type J = null | boolean | number | string | J[] | { [k: string]: J };
function deepUnion(a: { [k: string]: J }, b: { [k: string]: J }): { [k: string]: J } {
  const out: { [k: string]: J } = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const o = out[k];
    out[k] = o && v && typeof o === "object" && typeof v === "object" && !Array.isArray(o) && !Array.isArray(v) ? deepUnion(o as any, v as any) : v;
  }
  return out;
}
const canon = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));

test("property: object.union (deep, right wins), object.filter / object.remove, object.get paths", () => {
  const key = fc.constantFrom("a", "b", "c", "d");
  const obj = fc.letrec((tie) => ({
    o: fc.dictionary(key, fc.oneof({ depthSize: "small" }, fc.integer({ min: 0, max: 9 }), tie("o")), { maxKeys: 3 }),
  })).o as fc.Arbitrary<{ [k: string]: J }>;
  fc.assert(
    fc.property(obj, obj, fc.array(key, { maxLength: 3 }), (a, b, ks) => {
      const K = new Set(ks);
      const filt = Object.fromEntries(Object.entries(a).filter(([k]) => K.has(k)));
      const rem = Object.fromEntries(Object.entries(a).filter(([k]) => !K.has(k)));
      let cur: J | undefined = a;
      for (const k of ks) cur = cur && typeof cur === "object" && !Array.isArray(cur) && k in cur ? (cur as any)[k] : undefined;
      return canon(call("object.union", JSON.stringify(a), JSON.stringify(b))) === canon(deepUnion(a, b)) &&
        canon(call("object.filter", JSON.stringify(a), JSON.stringify(ks))) === canon(filt) &&
        canon(call("object.remove", JSON.stringify(a), JSON.stringify(ks))) === canon(rem) &&
        canon(call("object.get", JSON.stringify(a), JSON.stringify(ks), '"default"')) === canon(cur === undefined ? "default" : cur);
    }),
    { numRuns: 400 },
  );
});

test.run();
