// Number order and hashing against an exact reference (BigInt-scaled decimals), over random
// decimal texts of every shape: big integers, fractions, exponents, signs, trailing zeros.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { Runtime } from "./harness.js";

const rt = new Runtime();

/** exact value of a JSON number text as [mantissa, exponent10] */
function exact(text: string): [bigint, number] {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
  const frac = m[3] ?? "";
  return [BigInt(m[1] + m[2] + frac), Number(m[4] ?? 0) - frac.length];
}

function cmpExact(a: string, b: string): number {
  const [ma, ea] = exact(a);
  const [mb, eb] = exact(b);
  const e = Math.min(ea, eb);
  const x = ma * 10n ** BigInt(ea - e);
  const y = mb * 10n ** BigInt(eb - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

const digits = (min: number, max: number) => fc.array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max }).map((d) => d.join(""));
const numberText = fc
  .record({
    neg: fc.boolean(),
    int: fc.oneof(digits(1, 3), digits(15, 25)),
    frac: fc.option(digits(1, 6), { nil: undefined }),
    exp: fc.option(fc.integer({ min: -30, max: 30 }), { nil: undefined }),
  })
  .map(({ neg, int, frac, exp }) => {
    const i = int.replace(/^0+(?=\d)/, "");
    return `${neg ? "-" : ""}${i}${frac ? "." + frac : ""}${exp === undefined ? "" : "e" + exp}`;
  });

// pairs that are often equal: same value written two ways
const rewrite = (t: string): string => {
  const [m, e] = exact(t);
  return `${m}e${e}`;
};

test("property: compare agrees with exact decimal comparison; equal values hash equal", () => {
  fc.assert(
    fc.property(numberText, numberText, fc.boolean(), (a, b0, same) => {
      const b = same ? rewrite(a) : b0;
      const mark = rt.x.opa_heap_ptr_get();
      const va = rt.json(a), vb = rt.json(b);
      const got = Math.sign(rt.x.opa_value_compare(va, vb));
      const hashOk = got !== 0 || rt.x.opa_value_hash(va) === rt.x.opa_value_hash(vb);
      const dumpOk = rt.dump(va) === a;
      rt.x.opa_heap_ptr_set(mark);
      return va !== 0 && vb !== 0 && got === cmpExact(a, b) && hashOk && dumpOk;
    }),
    { numRuns: 1500 },
  );
});

test("property: int64 values built natively compare with their text forms", () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.integer({ min: 0, max: 4 }), (i, zeros) => {
      const mark = rt.x.opa_heap_ptr_get();
      const n = rt.x.opa_number_int(i);
      const text = zeros ? `${i}.${"0".repeat(zeros)}` : `${i}e0`;
      const t = rt.json(text);
      const ok = rt.x.opa_value_compare(n, t) === 0 && rt.x.opa_value_hash(n) === rt.x.opa_value_hash(t) && rt.dump(n) === String(i);
      rt.x.opa_heap_ptr_set(mark);
      return ok;
    }),
    { numRuns: 500 },
  );
});

test("property: floats compare exactly with decimal texts around them", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }), numberText, (d, other) => {
      const mark = rt.x.opa_heap_ptr_get();
      const f = rt.x.opa_number_float(d);
      const shortest = JSON.stringify(d); // JS prints the same shortest digits
      const ok = Math.sign(rt.x.opa_value_compare(f, rt.json(other))) === cmpExact(shortest, other) &&
        rt.x.opa_value_compare(f, rt.json(shortest)) === 0 && rt.x.opa_value_hash(f) === rt.x.opa_value_hash(rt.json(shortest));
      rt.x.opa_heap_ptr_set(mark);
      return ok;
    }),
    { numRuns: 800 },
  );
});

test("array index keys: integral numbers of any representation", () => {
  const arr = rt.json("[10, 20, 30]");
  for (const [k, want] of [["1", 20], ["1.0", 20], ["1e0", 20], ["0.1e1", 20], ["2", 30], ["3", undefined], ["1.5", undefined], ["-0", 10]] as const) {
    const v = rt.x.opa_value_get(arr, rt.json(k));
    assert.is(v === 0 ? undefined : Number(rt.dump(v)), want, k);
  }
});

test.run();
