// JSON parsing (strict) and dumping (Go OPA's output: sorted keys, sets as arrays, exact numbers),
// and the Rego-literal forms opa_value_parse / opa_value_dump.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Runtime } from "./harness.js";

const rt = new Runtime();

test("round trips: canonical JSON stays byte-identical", () => {
  const cases = [
    "null", "true", "false", "0", "-1", "9223372036854775807", "-9223372036854775808",
    "18446744073709551614", "-123456789012345678901234567890", "1.5", "0.1", "1e3", "-2.5E-10", "1.0",
    '""', '"abc"', '"\\"\\\\\\n\\r\\t\\b\\f"', '"\\u0001\\u001f"', '"é😀 ✓"', "[]", "{}", "[1,[2,[3]]]",
    '{"a":{"b":[true,null]}}',
  ];
  for (const c of cases) {
    const v = rt.json(c);
    assert.ok(v, `parse ${c}`);
    assert.is(rt.dump(v), c);
  }
});

test("dump: object keys sorted in value order, whatever the input order", () => {
  assert.is(rt.dump(rt.json('{"b":1,"a":2,"c":{"z":1,"y":2},"B":0}')), '{"B":0,"a":2,"b":1,"c":{"y":2,"z":1}}');
  // large objects switch to hash buckets; lookups and order still hold
  const keys = Array.from({ length: 300 }, (_, i) => `k${(i * 7919) % 300}`);
  const obj = rt.json(JSON.stringify(Object.fromEntries(keys.map((k) => [k, k.length]))));
  const dumped = JSON.parse(rt.dump(obj));
  assert.equal(Object.keys(dumped), [...keys].sort());
  assert.is(rt.dump(rt.x.opa_value_get(obj, rt.string("k123"))), "4");
  assert.is(rt.x.opa_value_get(obj, rt.string("k300")), 0);
});

test("duplicate keys: the last one wins", () => {
  assert.is(rt.dump(rt.json('{"a":1,"a":2}')), '{"a":2}');
});

test("strings: escapes, \\u, surrogate pairs, unpaired surrogates become U+FFFD", () => {
  const s = (json: string) => JSON.parse(rt.dump(rt.json(json)));
  assert.is(s('"\\u00e9\\u4e2d"'), "é中");
  assert.is(s('"\\ud83d\\ude00"'), "😀");
  assert.is(s('"\\ud83d"'), "\ufffd");
  assert.is(s('"\\ude00x"'), "\ufffdx");
  assert.is(s('"\\/"'), "/");
  // <, >, & are not escaped (documented choice; the SDK JSON.parses the output)
  assert.is(rt.dump(rt.json('"<a&b>"')), '"<a&b>"');
  assert.is(rt.dump(rt.json('"\\u007f"')), '"\u007f"');
});

test("strict: malformed JSON is rejected with 0", () => {
  const bad = [
    "", " ", "01", "-", "1.", ".5", "+1", "1e", "1e+", "[1,]", "{\"a\":1,}", "{a:1}", "{\"a\"}", "[1 2]",
    "tru", "nul", "True", '"abc', '"\\x"', '"\\u12"', '"a\nb"', "1 2", "[", "{", "}", "NaN", "Infinity",
    "set()", "{1}", "{1:2}", "'a'",
  ];
  for (const b of bad) assert.is(rt.json(b), 0, `should reject ${JSON.stringify(b)}`);
});

test("whitespace around values is accepted", () => {
  assert.is(rt.dump(rt.json(' \n\t{ "a" : [ 1 , 2 ] }\r\n ')), '{"a":[1,2]}');
});

test("deep nesting: accepted up to the limit, rejected (not crashed) beyond", () => {
  assert.ok(rt.json("[".repeat(500) + "]".repeat(500)));
  assert.is(rt.json("[".repeat(5000) + "]".repeat(5000)), 0);
});

test("a rejected parse gives its scratch memory back", () => {
  const before = rt.x.opa_heap_ptr_get();
  const [addr, len] = rt.bytes('{"a":[1,2,3],"b":');
  const after = rt.x.opa_heap_ptr_get();
  assert.is(rt.x.opa_json_parse(addr, len), 0);
  assert.is(rt.x.opa_heap_ptr_get(), after);
  assert.ok(after > before);
});

test("sets dump as sorted arrays, non-string keys as their JSON text", () => {
  assert.is(rt.dump(rt.value('{3, 1, "a", 2}')), '[1,2,3,"a"]');
  assert.is(rt.dump(rt.value('{1: "x", [1, "a"]: 2, "k": {true}}')), '{"1":"x","[1,\\"a\\"]":2,"k":[true]}');
  assert.is(rt.dump(rt.value('{"k": 1, [2]: 3}')), '{"[2]":3,"k":1}', "ordered like Go's encoding/json: by key text");
});

test("opa_value_parse / opa_value_dump: Rego literal syntax", () => {
  assert.is(rt.rego(rt.value('{"b": {2, 1}, "a": set()}')), '{"a": set(), "b": {1, 2}}');
  assert.is(rt.rego(rt.value("{1: [true, null]}")), "{1: [true, null]}");
  assert.is(rt.rego(rt.value("[1, 1.0, 1e0]")), "[1, 1.0, 1e0]");
  assert.is(rt.rego(rt.value("{1, 1.0, 1e0}")), "{1}", "numerically equal set members collapse");
});

test("floats from opa_number_float print shortest round-trip, JS/encoding-json layout", () => {
  const cases: number[] = [0.1, 0.5, 1.5e-7, 1e21, 1.7976931348623157e308, 5e-324, 0.30000000000000004, 123.456, -2.5, 1e-6, 2 ** 70, 1 / 3];
  for (const f of cases) {
    const v = rt.x.opa_number_float(f);
    assert.is(rt.dump(v), String(f), `${f}`);
  }
  assert.is(rt.dump(rt.x.opa_number_float(3.0)), "3", "integral floats become integers");
  assert.is(rt.dump(rt.x.opa_number_int(-42n)), "-42");
  const [a, n] = rt.bytes("18446744073709551614");
  assert.is(rt.dump(rt.x.opa_number_ref(a, n)), "18446744073709551614");
});

test("random floats print exactly as JavaScript does", () => {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const buf = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < 300; i++) {
    buf.setUint32(0, Math.floor(rand() * 0x7fefffff));
    buf.setUint32(4, Math.floor(rand() * 0xffffffff));
    const f = buf.getFloat64(0) * (i % 2 ? -1 : 1);
    if (!Number.isFinite(f) || Number.isInteger(f)) continue;
    assert.is(rt.dump(rt.x.opa_number_float(f)), String(f));
  }
});

test.run();
