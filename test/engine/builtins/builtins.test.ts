// Host built-ins called through the SDK calling convention (tagged JSON in, tagged JSON out).
// Expectations are Go OPA's documented behaviour (docs, OPA's own tests and conformance cases).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { hostBuiltins, hostBuiltinNames } from "../../../src/engine/builtins/index.js";

const bi = hostBuiltins();
const call = (name: string, ...args: unknown[]) => {
  const f = bi[`policyc.${name}`];
  if (!f) throw new Error(`no built-in ${name}`);
  return f(...args);
};

test("names are plain Rego names and the table is prefixed", () => {
  const names = hostBuiltinNames();
  for (const n of ["sprintf", "regex.match", "glob.match", "units.parse", "json.patch", "object.subset"]) {
    assert.ok(names.has(n), n);
    assert.type(bi[`policyc.${n}`], "function");
  }
});

test("sprintf prints Rego values like Go OPA", () => {
  assert.is(call("sprintf", "hi %v", [["there", 5, 3.14]]), 'hi ["there", 5, 3.14]');
  assert.is(call("sprintf", "%v", [{ $set: ["a", "b"] }]), '{"a", "b"}');
  assert.is(call("sprintf", "%v", [{ b: 1, a: [true, null] }]), '{"a": [true, null], "b": 1}');
  assert.is(call("sprintf", "%v %s", ["x", "y"]), "x y");
  assert.is(call("sprintf", "hi %02X.%02X", [127, 1]), "hi 7F.01");
  assert.is(call("sprintf", "hi %.2f", [3.1415]), "hi 3.14");
  assert.is(call("sprintf", "%s", [{ $num: "123456789123456789123" }]), "123456789123456789123");
  assert.is(call("sprintf", "hi %v", [{ $num: "2e308" }]), "hi 2e308");
  assert.is(call("sprintf", "%d", ["x"]), "%!d(string=x)");
  assert.is(call("sprintf", "%v %v", [1]), "1 %!v(MISSING)");
  assert.is(call("sprintf", "%v", [1e6 + 0.5]), "1.0000005e+06");
  assert.is(call("sprintf", "%v", [{ $set: [] }]), "set()");
  assert.is(call("sprintf", "%x|%e", [{ $num: "18446744073709551616" }, { $num: "18446744073709551616" }]), "10000000000000000|%!e(big.Int=18446744073709551616)");
  assert.is(call("sprintf", "%5.1f|%-4d|%+d|%q", [3.14159, 7, 3, "a\"b"]), '  3.1|7   |+3|"a\\"b"');
});

test("regex family follows Go regexp", () => {
  assert.is(call("regex.match", "^[a-z]+$", "abc"), true);
  assert.is(call("regex.match", "[", "abc"), undefined);
  assert.equal(call("regex.split", "a", "banana"), ["b", "n", "n", ""]);
  assert.is(call("regex.replace", "-wy-wxxy-", "w(x*)y", "0"), "-0-0-");
  assert.is(call("regex.replace", "foo", "(foo)", "$1$1"), "foofoo");
  assert.equal(call("regex.find_n", "[a-z]", "a1b2c", 2), ["a", "b"]);
  assert.equal(call("regex.find_all_string_submatch_n", "a(x)?b", "ab axb", -1), [["ab", ""], ["axb", "x"]]);
  assert.is(call("regex.template_match", "urn:foo:{.*}", "urn:foo:bar:baz", "{", "}"), true);
  assert.is(call("regex.globs_match", "a.a.[0-9]+z", ".b.b2359825792*594823z"), true);
  assert.is(call("regex.globs_match", "[a-z]+", "[0-9]*"), false);
});

test("glob.match uses gobwas semantics", () => {
  assert.is(call("glob.match", "*.github.com", ["."], "api.github.com"), true);
  assert.is(call("glob.match", "*.github.com", ["."], "api.cdn.github.com"), false);
  assert.is(call("glob.match", "api.**.com", ["."], "api.cdn.github.com"), true);
  assert.is(call("glob.match", "[!a-c]at", [], "fat"), true);
  assert.is(call("glob.match", "?at", ["f"], "fat"), false);
  assert.is(call("glob.match", "{cat,bat,[fr]at}", [], "rat"), true);
  assert.is(call("glob.match", "*", null, "foo.bar"), true);
  assert.is(call("glob.match", "*", [], "foo.bar"), false);
  assert.is(call("glob.quote_meta", "*.github.com"), "\\*.github.com");
});

test("units are exact", () => {
  assert.is(call("units.parse", "500m"), 0.5);
  assert.is(call("units.parse", "1.1Ki"), 1126.4);
  assert.is(call("units.parse", "-3.5E2m"), -0.35);
  assert.equal(call("units.parse", "10Ei"), { $num: "11529215046068469760" });
  assert.equal(call("units.parse", "5E"), { $num: "5000000000000000000" });
  assert.is(call("units.parse", "100 k"), undefined);
  assert.is(call("units.parse_bytes", "1.1KiB"), 1126);
  assert.is(call("units.parse_bytes", "\"100TIB\""), 109951162777600);
  assert.is(call("units.parse_bytes", "1e-2KB"), 10);
  assert.is(call("units.parse_bytes", "GB"), undefined);
});

test("strings", () => {
  assert.is(call("strings.any_prefix_match", ["a/b", "c/d"], "c/"), true);
  assert.is(call("strings.any_suffix_match", "foo.bar", { $set: [".baz", ".qux"] }), false);
  assert.is(call("concat", ",", { $set: ["b", "a"] }), "a,b");
  assert.is(call("substring", "héllo", 1, 3), "éll");
  assert.is(call("indexof", "héllo", "l"), 2);
  assert.is(call("format_int", 255.9, 16), "ff");
  assert.is(call("strings.count", "cheese", "e"), 3);
  assert.is(call("strings.replace_n", { a: "1", ab: "2" }, "abab"), "1b1b");
  assert.is(call("trim_space", "  x \t"), "x");
  assert.is(call("upper", "straße ä"), "STRAßE Ä");
  assert.is(call("lower", "ÄİX"), "äix");
  assert.is(call("internal.template_string", ["a ", { $set: [1] }, " ", { $set: [] }, { $set: [["x"]] }]), 'a 1 <undefined>["x"]');
  assert.is(call("to_number", "10.5"), 10.5);
  assert.equal(call("to_number", "12345678901234567890"), { $num: "12345678901234567890" });
});

test("numbers are exact on big values", () => {
  assert.equal(call("plus", { $num: "9007199254740993" }, 1), { $num: "9007199254740994" });
  assert.is(call("mul", { $num: "0.1" }, 3), 0.3);
  assert.is(call("div", 1, 4), 0.25);
  assert.is(call("div", 1, 0), undefined);
  assert.is(call("round", -2.5), -3);
  assert.is(call("floor", -2.5), -3);
  assert.equal(call("numbers.range_step", 0, 10, 4), [0, 4, 8]);
  assert.equal(call("numbers.range_step", 10, 0, 4), [10, 6, 2]);
  assert.equal(call("bits.lsh", 1, 64), { $num: "18446744073709551616" });
  assert.equal(call("minus", { $set: [1, 2, 3] }, { $set: [2] }), { $set: [1, 3] });
  assert.equal(call("sum", [{ $num: "9223372036854775807" }, 1]), { $num: "9223372036854775808" });
  assert.is(call("sum", { $set: [0.1, 0.2] }), 0.3);
  assert.equal(call("product", [{ $num: "4294967296" }, { $num: "4294967296" }]), { $num: "18446744073709551616" });
  assert.is(call("sum", "x"), undefined);
});

test("json and yaml", () => {
  assert.is(call("json.marshal", [{ foo: { $set: [3, 1, 2] } }]), '[{"foo":[1,2,3]}]');
  assert.is(call("json.marshal", { a: "<&>" }), '{"a":"\\u003c\\u0026\\u003e"}');
  assert.equal(call("json.unmarshal", '{"n": 18446744073709551614, "x": [1.5]}'), { n: { $num: "18446744073709551614" }, x: [1.5] });
  assert.is(call("json.is_valid", "{"), false);
  assert.is(call("json.marshal_with_options", [1, 2], { prefix: "P", indent: " " }), "P[\nP 1,\nP 2\nP]");
  assert.equal(call("json.filter", { a: { b: 1, c: 2 }, d: 3 }, ["a/b"]), { a: { b: 1 } });
  assert.equal(call("json.remove", { a: { b: 1, c: 2 }, d: 3 }, [["a", "b"], "d"]), { a: { c: 2 } });
  assert.equal(call("json.patch", { a: [1, 2] }, [{ op: "add", path: "/a/-", value: 3 }, { op: "remove", path: "/a/0" }]), { a: [2, 3] });
  assert.is(call("json.patch", [1], [{ op: "add", path: "1.2", value: 0 }]), undefined);
  assert.equal(call("yaml.unmarshal", "a: [1, b]\n"), { a: [1, "b"] });
  // OPA reads YAML through sigs.k8s.io/yaml (go-yaml v2, then JSON), as Kubernetes does.
  assert.equal(call("yaml.unmarshal", "a: yes\nb: off\nc: 0777\nd: 1e3\n"), { a: true, b: false, c: 511, d: "1e3" });
  assert.equal(call("yaml.unmarshal", "1: one\ntrue: t\n"), { "1": "one", true: "t" });
  assert.equal(call("yaml.unmarshal", "a: 1\n---\nb: 2\n"), { a: 1 });
  // Past uint64 go-yaml reads a float64, which reaches OPA as Go's shortest JSON text (kept as written).
  assert.equal(call("yaml.unmarshal", "big: 123456789012345678901234567890\nn: 1\nu: 18446744073709551615\n"), { "false": 1, big: { $num: "1.2345678901234568e+29" }, u: { $num: "18446744073709551615" } });
  assert.is(call("yaml.unmarshal", ""), null);
  assert.is(call("yaml.is_valid", "a: [1\n"), false);
  assert.is(call("yaml.is_valid", "on: y\n"), true);
  // sigs.k8s.io/yaml (go-yaml v2) scalars, as OPA decodes them: YAML 1.1 booleans, v2's number forms.
  assert.equal(call("yaml.unmarshal", "a: yes\nb: on\nc: \"yes\"\nd: N\n"), { a: true, b: true, c: "yes", d: false });
  assert.equal(call("yaml.unmarshal", "x: 0x10\no: 0777\nz: 1e3\nw: 1e+3\nt: 2020-01-01\nv: ~\n"), { x: 16, o: 511, z: "1e3", w: 1000, t: "2020-01-01", v: null });
  assert.equal(call("yaml.unmarshal", "- .5\n- 12345678901234567890\n"), [0.5, { $num: "12345678901234567890" }]);
  assert.is(call("yaml.is_valid", "a: .inf\n"), false, "JSON cannot hold +Inf");
  assert.equal(call("yaml.unmarshal", "y: 1\n"), { true: 1 }, "the key y is the boolean true, the JSON key \"true\"");
  assert.is(call("yaml.marshal", { b: [1], a: "x" }), "a: x\nb:\n- 1\n");
});

test("encodings", () => {
  assert.is(call("base64.encode", "hello"), "aGVsbG8=");
  assert.is(call("base64.decode", "aGVsbG8"), undefined);
  assert.is(call("base64url.decode", "aGVsbG8"), "hello");
  assert.is(call("base64.is_valid", "aGVsbG8="), true);
  assert.is(call("hex.decode", "6869"), "hi");
  assert.is(call("urlquery.encode", "a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
  assert.is(call("urlquery.encode_object", { b: ["2", "1"], a: "x y" }), "a=x+y&b=2&b=1");
});

test("objects", () => {
  assert.is(call("object.subset", { a: 1, b: { c: [1, 2, 3] } }, { b: { c: [2, 3] } }), true);
  assert.is(call("object.subset", [1, 2, 3], [1, 3]), false);
  assert.is(call("object.subset", "x", "y"), undefined);
  assert.equal(call("object.union_n", [{ a: { b: 1 } }, { a: { c: 2 } }, { d: 3 }]), { a: { b: 1, c: 2 }, d: 3 });
  assert.is(call("object.get", { a: { b: [7] } }, ["a", "b", 0], "d"), 7);
  assert.is(call("object.get", { a: 1 }, "z", "d"), "d");
  assert.equal(call("object.keys", { $obj: [[1, "a"], ["x", 2]] }), { $set: [1, "x"] });
  assert.equal(call("graph.reachable", { a: ["b"], b: ["c"], c: [], d: ["a"] }, ["a"]), { $set: ["a", "b", "c"] });
});

test.run();
