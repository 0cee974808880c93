// OPA's total order (null < boolean < number < string < array < object < set), numbers by value
// across int64 / f64 / exact text, and a hash consistent with equality.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { Runtime } from "./harness.js";

const rt = new Runtime();
const cmp = (a: string, b: string) => Math.sign(rt.x.opa_value_compare(rt.value(a), rt.value(b)));
const hash = (a: number) => rt.x.opa_value_hash(a) >>> 0;

test("types order: null < boolean < number < string < array < object < set", () => {
  const ladder = ["null", "false", "true", "-1e400", "0", "1", "18446744073709551616", '""', '"a"', "[]", "[1]", "{}", '{"a": 1}', "set()", "{1}"];
  for (let i = 0; i < ladder.length; i++)
    for (let j = 0; j < ladder.length; j++)
      assert.is(cmp(ladder[i], ladder[j]), Math.sign(i - j), `${ladder[i]} vs ${ladder[j]}`);
});

test("numbers compare by value across representations", () => {
  const eq: [string, string][] = [["1", "1.0"], ["1", "1e0"], ["100", "1e2"], ["0", "-0.0"], ["0.5", "5e-1"], ["-3", "-3.000"],
    ["18446744073709551614", "18446744073709551614.0"], ["123456789012345678901234567890", "1.2345678901234567890123456789e29"]];
  for (const [a, b] of eq) assert.is(cmp(a, b), 0, `${a} == ${b}`);
  const lt: [string, string][] = [["1", "1.0000000000000000000001"], ["18446744073709551614", "18446744073709551615"],
    ["-18446744073709551615", "-18446744073709551614"], ["-1e30", "-5"], ["9223372036854775807", "9223372036854775808"],
    ["0.1", "0.10000000000000001"], ["-0.5", "0"], ["2", "10"], ["1e-400", "1e-399"], ["999", "1e3"]];
  for (const [a, b] of lt) {
    assert.is(cmp(a, b), -1, `${a} < ${b}`);
    assert.is(cmp(b, a), 1, `${b} > ${a}`);
  }
  // floats made at run time against exact text
  const f = rt.x.opa_number_float(0.1);
  assert.is(rt.x.opa_value_compare(f, rt.value("0.1")), 0);
  assert.is(hash(f), hash(rt.value("0.1")));
  assert.ok(rt.x.opa_value_compare(rt.x.opa_number_float(0.5), rt.value("1")) < 0);
  assert.ok(rt.x.opa_value_compare(rt.x.opa_number_float(1e19), rt.value("9223372036854775807")) > 0);
});

test("strings compare bytewise (= code point order), arrays/objects/sets elementwise", () => {
  assert.is(cmp('"a"', '"b"'), -1);
  assert.is(cmp('"ab"', '"a"'), 1);
  assert.is(cmp('"z"', '"é"'), -1);
  assert.is(cmp('"\uffff"', '"😀"'), -1);
  assert.is(cmp("[1, 2]", "[1, 3]"), -1);
  assert.is(cmp("[1, 2]", "[1]"), 1);
  assert.is(cmp('{"a": 1}', '{"a": 2}'), -1);
  assert.is(cmp('{"a": 1}', '{"b": 0}'), -1);
  assert.is(cmp('{"b": 1, "a": 1}', '{"a": 1, "b": 1}'), 0);
  assert.is(cmp("{1, 2}", "{2, 1}"), 0);
  assert.is(cmp("{1, 2}", "{1, 3}"), -1);
  assert.is(cmp("{1, 2}", "{1}"), 1);
});

test("equal values hash equal (numbers across representations, insertion order)", () => {
  const groups = [["1", "1.0", "1e0", "10e-1"], ['{"a": 1, "b": [2]}', '{"b": [2.0], "a": 1}'], ["{1, 2, 3}", "{3, 2, 1.0}"], ['"x"', '"x"'],
    ["18446744073709551616", "1.8446744073709551616e19"]];
  for (const g of groups) {
    const hs = g.map((s) => hash(rt.value(s)));
    assert.ok(hs.every((h) => h === hs[0]), `hashes of ${g.join(", ")}`);
  }
});

// JSON values without floats (JS and Rego agree on their order for integers and strings)
const jsonValue = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.integer(), fc.string(), fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie("v"), { maxKeys: 4 })),
})).v;

test("property: dump/parse round trip is equal with equal hash; compare is antisymmetric", () => {
  fc.assert(
    fc.property(jsonValue, jsonValue, (a, b) => {
      const mark = rt.x.opa_heap_ptr_get();
      const va = rt.json(JSON.stringify(a));
      const vb = rt.json(JSON.stringify(b));
      const back = rt.json(rt.dump(va));
      const ok = rt.x.opa_value_compare(va, back) === 0 && hash(va) === hash(back) &&
        Math.sign(rt.x.opa_value_compare(va, vb)) === -Math.sign(rt.x.opa_value_compare(vb, va)) &&
        JSON.stringify(JSON.parse(rt.dump(va))) === JSON.stringify(a, (_k, v) => v && typeof v === "object" && !Array.isArray(v)
          ? Object.fromEntries(Object.keys(v).sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))).map((k) => [k, v[k]])) : v);
      rt.x.opa_heap_ptr_set(mark);
      return ok;
    }),
    { numRuns: 300 },
  );
});

test("property: integers and strings sort as JavaScript sorts them", () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.integer(), fc.string())), (xs) => {
      const mark = rt.x.opa_heap_ptr_get();
      const sorted = JSON.parse(rt.dump(rt.x.policyc_bi_sort(rt.json(JSON.stringify(xs)))));
      rt.x.opa_heap_ptr_set(mark);
      const nums = xs.filter((x) => typeof x === "number").sort((a, b) => (a as number) - (b as number));
      const strs = (xs.filter((x) => typeof x === "string") as string[]).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      return JSON.stringify(sorted) === JSON.stringify([...nums, ...strs]);
    }),
    { numRuns: 200 },
  );
});

test.run();
