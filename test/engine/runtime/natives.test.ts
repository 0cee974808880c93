// Every native built-in on a table of cases (Go OPA's results, incl. UTF-8, big numbers, sets);
// `undefined` is OPA's non-strict outcome for type and runtime errors. Arguments and results are
// Rego literals (opa_value_parse / opa_value_dump).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Runtime, natives } from "./harness.js";

type Case = [name: string, args: string[], want: string | undefined];
const U = undefined;

const cases: Case[] = [
  // comparisons
  ["equal", ["1", "1.0"], "true"], ["equal", ['"a"', '"b"'], "false"], ["equal", ["{1, 2}", "{2, 1}"], "true"],
  ["neq", ["1", "2"], "true"], ["neq", ["[1]", "[1.0]"], "false"],
  ["lt", ["1", "2"], "true"], ["lt", ['"a"', "1"], "false"], ["lt", ["18446744073709551614", "18446744073709551615"], "true"],
  ["lte", ["2", "2.0"], "true"], ["gt", ['"b"', '"a"'], "true"], ["gt", ["null", "false"], "false"], ["gte", ["[1]", "[1]"], "true"],
  // arithmetic (int64 natively; otherwise the host, which these tests do not provide -> undefined)
  ["plus", ["1", "2"], "3"], ["plus", ["-5", "3"], "-2"], ["plus", ['"a"', "1"], U], ["plus", ["9223372036854775807", "1"], U],
  ["minus", ["1", "3"], "-2"], ["minus", ["{1, 2, 3}", "{2}"], "{1, 3}"], ["minus", ["{1}", "1"], U],
  ["mul", ["6", "7"], "42"], ["mul", ["-4000000000", "3"], "-12000000000"], ["mul", ["4294967296", "4294967296"], U],
  ["mul", ["-3037000499", "3037000499"], "-9223372030926249001"], ["mul", ["-3037000500", "3037000500"], U], ["mul", ["3037000500", "3037000500"], U],
  ["div", ["6", "3"], "2"], ["div", ["-9", "3"], "-3"], ["div", ["1", "0"], U], ["div", ["1.5", "0"], U], ["div", ['"x"', "1"], U],
  ["rem", ["7", "3"], "1"], ["rem", ["-7", "3"], "-1"], ["rem", ["7", "-3"], "1"], ["rem", ["1", "0"], U],
  ["abs", ["-5"], "5"], ["abs", ["5"], "5"], ["abs", ["-1.5"], U], ["abs", ["-18446744073709551616"], U], ["abs", ['"a"'], U],
  ["round", ["3"], "3"], ["round", ["2.0"], "2"], ["ceil", ["-4"], "-4"], ["floor", ["7"], "7"], ["floor", ['"7"'], U],
  // aggregates
  ["count", ["[1, 2, 3]"], "3"], ["count", ['{"a": 1}'], "1"], ["count", ["{1, 2}"], "2"], ["count", ['"héllo😀"'], "6"], ["count", ["1"], U],
  ["sum", ["[1, 2, 3]"], "6"], ["sum", ["{1, 2}"], "3"], ["sum", ["[]"], "0"], ["sum", ['[1, "a"]'], U],
  ["product", ["[2, 3, 4]"], "24"], ["product", ["[]"], "1"], ["product", ["{2, 5}"], "10"],
  ["max", ["[1, 3, 2]"], "3"], ["max", ['[1, "a", null]'], '"a"'], ["max", ["[]"], U], ["max", ["{1, 9, 4}"], "9"],
  ["min", ["[3, 1, 2]"], "1"], ["min", ['{"b", "a"}'], '"a"'], ["min", ["[]"], U],
  ["sort", ['[3, "a", 1, null, [1]]'], '[null, 1, 3, "a", [1]]'], ["sort", ["{3, 1, 2}"], "[1, 2, 3]"], ["sort", ['"abc"'], U],
  ["all", ["[true, true]"], "true"], ["all", ["[true, 1]"], "false"], ["all", ["[]"], "true"], ["all", ["{true}"], "true"],
  ["any", ["[false, true]"], "true"], ["any", ["[]"], "false"], ["any", ["{false}"], "false"],
  // types
  ["is_number", ["1.5"], "true"], ["is_number", ['"1"'], "false"], ["is_string", ['"x"'], "true"], ["is_boolean", ["false"], "true"],
  ["is_array", ["[]"], "true"], ["is_set", ["set()"], "true"], ["is_set", ["{}"], "false"], ["is_object", ["{}"], "true"],
  ["is_null", ["null"], "true"], ["is_null", ["0"], "false"],
  ["type_name", ["null"], '"null"'], ["type_name", ["true"], '"boolean"'], ["type_name", ["1"], '"number"'], ["type_name", ['"s"'], '"string"'],
  ["type_name", ["[]"], '"array"'], ["type_name", ["{}"], '"object"'], ["type_name", ["set()"], '"set"'],
  // sets
  ["and", ["{1, 2, 3}", "{2, 3, 4}"], "{2, 3}"], ["and", ["{1}", "[1]"], U], ["or", ["{1}", "{2}"], "{1, 2}"],
  ["intersection", ["{{1, 2}, {2, 3}}"], "{2}"], ["intersection", ["set()"], "set()"], ["intersection", ["{{1}, 1}"], U],
  ["union", ["{{1, 2}, {2, 3}}"], "{1, 2, 3}"], ["union", ["set()"], "set()"],
  // arrays
  ["array.concat", ["[1]", "[2, 3]"], "[1, 2, 3]"], ["array.concat", ["[]", "[]"], "[]"], ["array.concat", ["[1]", "{2}"], U],
  ["array.slice", ["[1, 2, 3, 4]", "1", "3"], "[2, 3]"], ["array.slice", ["[1, 2]", "-5", "10"], "[1, 2]"], ["array.slice", ["[1, 2]", "2", "1"], "[]"],
  ["array.slice", ["[1, 2]", "0.5", "1"], U],
  ["array.reverse", ["[1, 2, 3]"], "[3, 2, 1]"], ["array.reverse", ["[]"], "[]"],
  // objects
  ["object.get", ['{"a": 1}', '"a"', "0"], "1"], ["object.get", ['{"a": 1}', '"b"', "0"], "0"],
  ["object.get", ['{"a": {"b": [10, 20]}}', '["a", "b", 1]', "0"], "20"], ["object.get", ['{"a": {"b": 1}}', '["a", "c"]', '"d"'], '"d"'],
  ["object.get", ['{"a": 1}', "[]", "0"], '{"a": 1}'], ["object.get", ['{"a": {"s": {"x"}}}', '["a", "s", "x"]', "0"], '"x"'],
  ["object.get", ["[1]", "0", "0"], U],
  ["object.keys", ['{"a": 1, "b": 2}'], '{"a", "b"}'], ["object.keys", ["{}"], "set()"], ["object.keys", ["[1]"], U],
  ["object.remove", ['{"a": 1, "b": 2, "c": 3}', '["a"]'], '{"b": 2, "c": 3}'], ["object.remove", ['{"a": 1, "b": 2}', '{"b"}'], '{"a": 1}'],
  ["object.remove", ['{"a": 1, "b": 2}', '{"a": 0}'], '{"b": 2}'], ["object.remove", ['{"a": 1}', '"a"'], U],
  ["object.filter", ['{"a": 1, "b": 2, "c": 3}', '["a", "c", "z"]'], '{"a": 1, "c": 3}'], ["object.filter", ['{"a": 1}', '{"a"}'], '{"a": 1}'],
  ["object.union", ['{"a": 1, "b": {"c": 1, "d": 2}}', '{"b": {"c": 3}, "e": 4}'], '{"a": 1, "b": {"c": 3, "d": 2}, "e": 4}'],
  ["object.union", ['{"a": {"b": 1}}', '{"a": 5}'], '{"a": 5}'], ["object.union", ["{}", "[]"], U],
  ["object.union_n", ['[{"a": 1}, {"b": 2}, {"a": 3}]'], '{"a": 3, "b": 2}'], ["object.union_n", ["[]"], "{}"], ["object.union_n", ["[1]"], U],
  // strings
  ["concat", ['", "', '["a", "b", "c"]'], '"a, b, c"'], ["concat", ['"-"', '{"b", "a"}'], '"a-b"'], ["concat", ['""', "[]"], '""'],
  ["concat", ['","', '["a", 1]'], U],
  ["startswith", ['"hello"', '"he"'], "true"], ["startswith", ['"hello"', '"lo"'], "false"], ["startswith", ['"a"', "1"], U],
  ["endswith", ['"hello"', '"lo"'], "true"], ["endswith", ['"lo"', '"hello"'], "false"],
  ["contains", ['"hello"', '"ell"'], "true"], ["contains", ['"hello"', '""'], "true"], ["contains", ['"hello"', '"xyz"'], "false"],
  ["indexof", ['"héllo"', '"l"'], "2"], ["indexof", ['"abc"', '"z"'], "-1"], ["indexof", ['"abc"', '""'], U], ["indexof", ['"😀a"', '"a"'], "1"],
  ["substring", ['"héllo"', "1", "3"], '"éll"'], ["substring", ['"abc"', "1", "-1"], '"bc"'], ["substring", ['"abc"', "5", "1"], '""'],
  ["substring", ['"abc"', "-1", "1"], U], ["substring", ['"abc"', "0", "10"], '"abc"'],
  ["lower", ['"AbC-1"'], '"abc-1"'], ["upper", ['"aBc"'], '"ABC"'], ["lower", ["1"], U],
  ["split", ['"a,b,,c"', '","'], '["a", "b", "", "c"]'], ["split", ['""', '","'], '[""]'], ["split", ['"héj"', '""'], '["h", "é", "j"]'],
  ["split", ['"abc"', '"abc"'], '["", ""]'],
  ["replace", ['"aaa"', '"a"', '"b"'], '"bbb"'], ["replace", ['"abc"', '""', '"-"'], '"-a-b-c-"'], ["replace", ['"héllo"', '"é"', '"e"'], '"hello"'],
  ["strings.replace_n", ['{"a": "1", "b": "2"}', '"abcab"'], '"12c12"'], ["strings.replace_n", ['{"ab": "X", "a": "Y"}', '"abab"'], '"YbYb"'],
  ["strings.replace_n", ['{"a": 1}', '"a"'], U],
  ["strings.reverse", ['"héllo😀"'], '"😀olléh"'], ["strings.reverse", ['""'], '""'],
  ["trim", ['"xxhixx"', '"x"'], '"hi"'], ["trim", ['"¡¡hi!!"', '"!¡"'], '"hi"'], ["trim", ['"aaa"', '"a"'], '""'],
  ["trim_left", ['"xxhixx"', '"x"'], '"hixx"'], ["trim_right", ['"xxhixx"', '"x"'], '"xxhi"'],
  ["trim_prefix", ['"prefix-x"', '"prefix-"'], '"x"'], ["trim_prefix", ['"x"', '"y"'], '"x"'],
  ["trim_suffix", ['"x.yaml"', '".yaml"'], '"x"'], ["trim_suffix", ['"x"', '"xx"'], '"x"'],
  ["trim_space", ['" \\t\\n hi \\u3000\\u00a0"'], '"hi"'], ["trim_space", ['"   "'], '""'],
  // membership (`in`)
  ["internal.member_2", ["1", "[2, 1.0]"], "true"], ["internal.member_2", ['"a"', '{"a"}'], "true"], ["internal.member_2", ["1", '{"k": 1}'], "true"],
  ["internal.member_2", ['"k"', '{"k": 1}'], "false"], ["internal.member_2", ['"a"', '"abc"'], "false"],
  ["internal.member_3", ["1", '"b"', '["a", "b"]'], "true"], ["internal.member_3", ['"k"', "1", '{"k": 1}'], "true"],
  ["internal.member_3", ["0", '"b"', '["a"]'], "false"], ["internal.member_3", ['"a"', '"a"', '{"a"}'], "true"], ["internal.member_3", ['"a"', '"b"', '{"a"}'], "false"],
  // numbers
  ["numbers.range", ["1", "4"], "[1, 2, 3, 4]"], ["numbers.range", ["2", "-1"], "[2, 1, 0, -1]"], ["numbers.range", ["3", "3"], "[3]"],
  ["numbers.range", ["1", "2.5"], U],
  ["to_number", ['"42"'], "42"], ["to_number", ['"-1.5"'], "-1.5"], ["to_number", ['"1e3"'], "1e3"], ["to_number", ["true"], "1"],
  ["to_number", ["null"], "0"], ["to_number", ["7"], "7"], ["to_number", ['"abc"'], U], ["to_number", ['"0x10"'], U], ["to_number", ['""'], U],
  ["to_number", ['"+5"'], "5"], ["to_number", ['"18446744073709551616"'], "18446744073709551616"], ["to_number", ["[]"], U],
  ["format_int", ["255", "16"], '"ff"'], ["format_int", ["-5", "2"], '"-101"'], ["format_int", ["8", "8"], '"10"'], ["format_int", ["4.9", "10"], '"4"'],
  ["format_int", ["-4.9", "10"], '"-4"'], ["format_int", ["1", "3"], U],
  // walk: every [path, value], root first, children in key order
  ["walk", ["1"], "[[[], 1]]"],
  ["walk", ['{"b": [true], "a": 1}'], '[[[], {"a": 1, "b": [true]}], [["a"], 1], [["b"], [true]], [["b", 0], true]]'],
  ["walk", ["{2, 1}"], "[[[], {1, 2}], [[1], 1], [[2], 2]]"],
];

test("every native in natives.json has cases", () => {
  const covered = new Set(cases.map((c) => c[0]));
  const missing = natives.map((n) => n.name).filter((n) => !covered.has(n));
  assert.equal(missing, []);
});

test("native built-ins on the case table", () => {
  const rt = new Runtime();
  const failures: string[] = [];
  for (const [name, args, want] of cases) {
    const mark = rt.x.opa_heap_ptr_get();
    const got = rt.call(name, ...args);
    if (got !== want) failures.push(`${name}(${args.join(", ")}) = ${got}, want ${want}`);
    rt.x.opa_heap_ptr_set(mark);
  }
  assert.equal(failures, []);
});

test("an undefined (0) argument makes every native undefined", () => {
  const rt = new Runtime();
  for (const n of natives) {
    for (let i = 0; i < n.arity; i++) {
      const args = Array.from({ length: n.arity }, (_, j) => (j === i ? 0 : rt.value("1")));
      assert.is(rt.x[n.export](...args), 0, `${n.name} with argument ${i} undefined`);
    }
  }
});

test("natives never mutate their arguments", () => {
  const rt = new Runtime();
  const a = rt.value('{"a": 1, "b": {"c": 2}}');
  const before = rt.rego(a);
  rt.x.policyc_bi_object_union(a, rt.value('{"b": {"d": 3}}'));
  rt.x.policyc_bi_object_remove(a, rt.value('["a"]'));
  rt.x.policyc_bi_sort(rt.value("[3, 1]"));
  assert.is(rt.rego(a), before);
  const arr = rt.value("[3, 1, 2]");
  rt.x.policyc_bi_sort(arr);
  assert.is(rt.rego(arr), "[3, 1, 2]");
});

test.run();
