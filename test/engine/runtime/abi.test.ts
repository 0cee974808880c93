// The operations generated code relies on: access, iteration, structural updates, the eval
// context and opa_eval, the host tagging codec, and the limits (memory, fuel, runtime errors).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Runtime } from "./harness.js";

const rt = new Runtime();
const V = (s: string) => rt.value(s);
const R = (v: number) => (v === 0 ? undefined : rt.rego(v));

function keys(v: number): string[] {
  const out: string[] = [];
  for (let k = rt.x.opa_value_iter(v, 0); k !== 0; k = rt.x.opa_value_iter(v, k)) out.push(rt.rego(k));
  return out;
}

test("opa_value_type codes and constructors", () => {
  assert.equal(["null", "true", "1", '"s"', "[]", "{}", "set()"].map((s) => rt.x.opa_value_type(V(s))), [1, 2, 3, 4, 5, 6, 7]);
  assert.is(R(rt.x.opa_null()), "null");
  assert.is(R(rt.x.opa_boolean(1)), "true");
  assert.is(rt.x.opa_boolean_value(rt.x.opa_boolean(0)), 0);
  assert.is(rt.x.opa_boolean_value(rt.x.opa_boolean(7)), 1);
  assert.is(R(rt.x.opa_number_int(9007199254740993n)), "9007199254740993");
  const [s, n] = rt.bytes("1.50");
  assert.is(R(rt.x.opa_number_ref(s, n)), "1.50");
  const arr = rt.x.opa_array_with_cap(0);
  for (let i = 0; i < 20; i++) rt.x.opa_array_append(arr, rt.x.opa_number_int(BigInt(i)));
  assert.is(rt.x.opa_value_length(arr), 20);
  assert.is(R(rt.x.opa_value_get(arr, rt.x.opa_number_int(19n))), "19");
});

test("opa_value_get: objects by key, arrays by integral number, sets by membership", () => {
  const o = V('{"a": 1, 2: "two", [1]: "arr"}');
  assert.is(R(rt.x.opa_value_get(o, V('"a"'))), "1");
  assert.is(R(rt.x.opa_value_get(o, V("2.0"))), '"two"');
  assert.is(R(rt.x.opa_value_get(o, V("[1]"))), '"arr"');
  assert.is(rt.x.opa_value_get(o, V('"zz"')), 0);
  const a = V('["x", "y"]');
  assert.is(R(rt.x.opa_value_get(a, V("1"))), '"y"');
  assert.is(R(rt.x.opa_value_get(a, V("1.0"))), '"y"');
  assert.is(rt.x.opa_value_get(a, V("1.5")), 0);
  assert.is(rt.x.opa_value_get(a, V("2")), 0);
  assert.is(rt.x.opa_value_get(a, V("-1")), 0);
  assert.is(rt.x.opa_value_get(a, V('"0"')), 0);
  assert.is(R(rt.x.opa_value_get(V("{1, 2}"), V("2"))), "2");
  assert.is(rt.x.opa_value_get(V("{1, 2}"), V("3")), 0);
  assert.is(rt.x.opa_value_get(V('"str"'), V("0")), 0);
});

test("opa_value_iter: arrays by index, objects and sets in key order; scalars and empties end at once", () => {
  assert.equal(keys(V('["a", "b", "c"]')), ["0", "1", "2"]);
  assert.equal(keys(V('{"b": 1, "a": 2, 1: 0}')), ["1", '"a"', '"b"']);
  assert.equal(keys(V('{"z", "x", 3}')), ["3", '"x"', '"z"']);
  assert.equal(keys(V("[]")), []);
  assert.equal(keys(V("{}")), []);
  assert.equal(keys(V('"abc"')), []);
  // interleaved iteration over the same object (nested scans) stays correct
  const o = V('{"a": 1, "b": 2, "c": 3}');
  const pairs: string[] = [];
  for (let k = rt.x.opa_value_iter(o, 0); k; k = rt.x.opa_value_iter(o, k))
    for (let j = rt.x.opa_value_iter(o, 0); j; j = rt.x.opa_value_iter(o, j)) pairs.push(rt.rego(k) + rt.rego(j));
  assert.is(pairs.length, 9);
  // a large table (hash buckets) iterates every key once, in order
  const big = rt.json(JSON.stringify(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${String(99 - i).padStart(3, "0")}`, i]))));
  const ks = keys(big);
  assert.is(ks.length, 100);
  assert.equal(ks, [...ks].sort());
});

test("insert, insert_once conflicts, set_add dedup", () => {
  const o = rt.x.opa_object();
  rt.x.opa_object_insert(o, V('"a"'), V("1"));
  rt.x.opa_object_insert(o, V('"a"'), V("2"));
  assert.is(R(o), '{"a": 2}');
  assert.is(rt.x.policyc_object_insert_once(o, V('"b"'), V("[1]")), 0);
  assert.is(rt.x.policyc_object_insert_once(o, V('"b"'), V("[1.0]")), 0, "same value again is fine");
  assert.is(rt.x.policyc_object_insert_once(o, V('"b"'), V("[2]")), 1, "a different value conflicts");
  assert.is(R(o), '{"a": 2, "b": [1]}');
  const s = rt.x.opa_set();
  for (const x of ["1", "1.0", '"a"', "1e0", '"a"']) rt.x.opa_set_add(s, V(x));
  assert.is(rt.x.opa_value_length(s), 2);
});

test("undefined (0) keys and values are never inserted", () => {
  const o = V('{"a": 1}');
  rt.x.opa_object_insert(o, V('"f"'), 0);
  rt.x.opa_object_insert(o, 0, V("1"));
  assert.is(rt.x.policyc_object_insert_once(o, V('"g"'), 0), 0);
  assert.is(rt.dump(o), '{"a":1}');
  const s = V("{1}");
  rt.x.opa_set_add(s, 0);
  const a = V("[1]");
  rt.x.opa_array_append(a, 0);
  assert.is(rt.dump(s) + rt.dump(a), "[1][1]");
});

test("policyc_object_merge: deep merge, the first object wins on non-object conflicts", () => {
  const a = V('{"a": 1, "o": {"x": 1, "y": {"p": 1}}, "s": "a"}');
  const b = V('{"a": 2, "o": {"x": 2, "z": 3, "y": {"q": 2}}, "t": "b"}');
  assert.is(R(rt.x.policyc_object_merge(a, b)), '{"a": 1, "o": {"x": 1, "y": {"p": 1, "q": 2}, "z": 3}, "s": "a", "t": "b"}');
  assert.is(rt.x.policyc_object_merge(a, V("[1]")), 0);
  assert.is(R(a), '{"a": 1, "o": {"x": 1, "y": {"p": 1}}, "s": "a"}', "inputs untouched");
});

test("policyc_value_upsert_path: copy-on-write, creates intermediates, base may be undefined", () => {
  const base = V('{"a": {"b": 1, "c": 2}, "d": 3}');
  const before = R(base);
  assert.is(R(rt.x.policyc_value_upsert_path(base, V('["a", "b"]'), V("9"))), '{"a": {"b": 9, "c": 2}, "d": 3}');
  assert.is(R(rt.x.policyc_value_upsert_path(base, V('["x", "y"]'), V("true"))), '{"a": {"b": 1, "c": 2}, "d": 3, "x": {"y": true}}');
  assert.is(R(rt.x.policyc_value_upsert_path(base, V('["d", "e"]'), V("1"))), '{"a": {"b": 1, "c": 2}, "d": {"e": 1}}');
  assert.is(R(rt.x.policyc_value_upsert_path(base, V("[]"), V('"whole"'))), '"whole"');
  assert.is(R(rt.x.policyc_value_upsert_path(0, V('["k"]'), V("1"))), '{"k": 1}');
  assert.is(R(base), before, "base never mutated");
});

test("opa_value_add_path / opa_value_remove_path (SDK error codes)", () => {
  const base = V('{"a": {"b": 1}}');
  assert.is(rt.x.opa_value_add_path(base, V('["a", "c"]'), V("2")), 0);
  assert.is(rt.x.opa_value_add_path(base, V('["x", "y", "z"]'), V("3")), 0);
  assert.is(R(base), '{"a": {"b": 1, "c": 2}, "x": {"y": {"z": 3}}}');
  assert.is(rt.x.opa_value_add_path(base, V('["a", "b", "c"]'), V("1")), 3, "through a non-object: invalid path");
  assert.is(rt.x.opa_value_add_path(base, V('"a"'), V("1")), 2, "path not an array: invalid type");
  assert.is(rt.x.opa_value_remove_path(base, V('["a", "b"]')), 0);
  assert.is(rt.x.opa_value_remove_path(base, V('["x"]')), 0);
  assert.is(R(base), '{"a": {"c": 2}}');
  // removal keeps lookups and order consistent in a hashed table
  const big = rt.json(JSON.stringify(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]))));
  for (let i = 0; i < 40; i += 2) rt.x.opa_value_remove_path(big, rt.json(`["k${i}"]`));
  assert.is(rt.x.opa_value_length(big), 20);
  assert.is(R(rt.x.opa_value_get(big, V('"k7"'))), "7");
  assert.is(rt.x.opa_value_get(big, V('"k8"')), 0);
  assert.is(keys(big).length, 20);
});

test("opa_value_shallow_copy: independent container, shared elements", () => {
  for (const src of ['{"a": 1}', "{1, 2}", "[1, 2]"]) {
    const v = V(src);
    const c = rt.x.opa_value_shallow_copy(v);
    assert.is(rt.x.opa_value_compare(v, c), 0);
    if (src.startsWith("[")) rt.x.opa_array_append(c, V("3"));
    else if (src.includes(":")) rt.x.opa_object_insert(c, V('"z"'), V("0"));
    else rt.x.opa_set_add(c, V("9"));
    assert.is(R(v), rt.rego(V(src)));
  }
});

test("host tagging: sets, odd keys and inexact numbers survive JSON; plain values untouched", () => {
  const tag = (s: string) => JSON.parse(rt.dump(rt.x.policyc_host_tag(V(s))));
  assert.equal(tag('{"a": [1, "x", 0.5, 1e3], "b": null}'), { a: [1, "x", 0.5, { $num: "1e3" }], b: null });
  assert.equal(tag("{3, 1}"), { $set: [1, 3] });
  assert.equal(tag('{1: "a"}'), { $obj: [[1, "a"]] });
  assert.equal(tag('{"$x": 1}'), { $obj: [["$x", 1]] });
  assert.equal(tag("[9007199254740993, 9007199254740992, 0.1, 1.0, 0.30000000000000004, 123456789.123456789]"),
    [{ $num: "9007199254740993" }, 9007199254740992, 0.1, { $num: "1.0" }, { $num: "0.30000000000000004" }, { $num: "123456789.123456789" }]);
  const plain = V('{"a": [1, "b"]}');
  assert.is(rt.x.policyc_host_tag(plain), plain, "no copy when nothing needs tagging");
  // round trip through JSON text, as through the SDK
  for (const src of ['{"s": {1, {2}}, "o": {[1]: {"$k": 18446744073709551616}}, "n": [1.50, 7]}', "{1, 2}", "[]", '"$set"']) {
    const json = rt.dump(rt.x.policyc_host_tag(V(src)));
    const back = rt.x.policyc_host_untag(rt.json(JSON.stringify(JSON.parse(json))));
    assert.is(rt.x.opa_value_compare(back, V(src)), 0, src);
    assert.is(rt.rego(back), rt.rego(V(src)));
  }
  assert.is(rt.x.policyc_host_untag(0), 0);
});

test("policyc_host_builtin_id: -1 while builtins() does not list the name (natives then yield undefined)", () => {
  const [addr] = rt.bytes("policyc.plus\0");
  assert.is(rt.x.policyc_host_builtin_id(addr), -1);
  assert.is(rt.call("plus", "1.5", "1"), undefined);
  assert.equal(rt.hostCalls, []);
});

test("eval context layout and opa_eval (ABI 1.2) with the stub eval", () => {
  const r = new Runtime();
  const ctx = r.x.opa_eval_ctx_new();
  const input = r.json('{"x": 1}');
  const data = r.json("{}");
  r.x.opa_eval_ctx_set_input(ctx, input);
  r.x.opa_eval_ctx_set_data(ctx, data);
  r.x.opa_eval_ctx_set_entrypoint(ctx, 3);
  const words = new Int32Array(r.memory.buffer, ctx, 4);
  assert.equal([...words], [input, data, words[2], 3]);
  assert.is(r.x.opa_eval_ctx_get_result(ctx), words[2]);
  assert.is(r.dump(r.x.opa_eval_ctx_get_result(ctx)), "[]");
  assert.is(r.x.eval(ctx), 0);
  const [s, n] = r.bytes('{"a": [1, 2]}');
  const heap = r.x.opa_heap_ptr_get();
  assert.is(r.cstr(r.x.opa_eval(0, 0, data, s, n, heap, 0)), "[]");
  assert.is(r.cstr(r.x.opa_eval(0, 0, data, 0, 0, heap, 1)), "set()");
  const [bad, bn] = r.bytes("{oops");
  assert.throws(() => r.x.opa_eval(0, 0, data, bad, bn, r.x.opa_heap_ptr_get(), 0), /failed to parse input/);
});

test("memory: grows on demand; aborts cleanly at the memory's maximum", () => {
  const r = new Runtime({ initialPages: 2, maximumPages: 8 });
  const before = r.memory.buffer.byteLength;
  const big = r.x.opa_malloc(200_000);
  assert.ok(big > 0 && r.memory.buffer.byteLength > before);
  new Uint8Array(r.memory.buffer).fill(7, big, big + 200_000);
  assert.throws(() => r.x.opa_malloc(1_000_000), /policyc: memory limit exceeded/);
  assert.throws(() => {
    const arr = r.x.opa_array_with_cap(0);
    for (;;) r.x.opa_array_append(arr, r.x.opa_null());
  }, /policyc: memory limit exceeded/);
  // the SDK resets the heap and carries on
  r.x.opa_heap_ptr_set(r.x.policyc_heap_base.value);
  assert.ok(r.json('{"ok": true}'));
});

test("fuel and runtime errors abort with the agreed messages", () => {
  const r = new Runtime();
  r.x.policyc_set_fuel(1234);
  assert.is(r.x.policyc_fuel.value, 1234);
  r.x.policyc_fuel.value = 5;
  r.x.opa_eval_ctx_new();
  assert.is(r.x.policyc_fuel.value, 1234, "each evaluation starts with the full budget");
  assert.throws(() => r.x.policyc_fuel_exhausted(), /^policyc: evaluation budget exceeded$/);
  const [file] = r.bytes("policy.rego\0");
  const [msg] = r.bytes("var assignment conflict\0");
  assert.throws(() => r.x.policyc_runtime_error(file, 12, 5, msg), (e: Error) => e.message === "policy.rego:12:5: var assignment conflict");
  assert.throws(() => r.x.policyc_runtime_error(0, 0, 0, msg), (e: Error) => e.message === "var assignment conflict");
});

test.run();
