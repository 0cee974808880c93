// Numbers as OPA keeps them: a number's text as written (json.Number: `1.0`, `1e3` print as written
// in results, print, json.marshal, sprintf of composites and test failure lines), and arithmetic on
// operands that are not both integers in Go's 64-bit-mantissa big.Float, printed as OPA's
// FloatToNumber prints it (Text 'f' for an integral result, 'g' otherwise).
import { rmSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { hostBuiltins } from "../../../src/engine/builtins/index.js";
import { bigFloatOf, bigFloatAdd, bigFloatSub, bigFloatMul, bigFloatQuo, bigFloatText } from "../../../src/engine/builtins/bigfloat.js";
import { parseDecimal } from "../../../src/engine/builtins/value.js";
import { runCli, writeTree } from "../../support/cli.js";

const bi = hostBuiltins();
const call = (name: string, ...args: unknown[]) => bi[`policyc.${name}`]!(...args);

async function evalJson(query: string, files: Record<string, string> = {}, args: string[] = []): Promise<string> {
  const dir = writeTree("policyc-numtext-", files);
  try {
    const r = await runCli(["eval", ...args, "--format", "json", query], dir);
    assert.is(r.code, 0, r.stderr);
    const m = /"value": ([\s\S]*?),\n\s*"text"/.exec(r.stdout);
    return (m ? m[1]! : r.stdout).replace(/\s+/g, "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a number literal keeps its text: results, json.marshal, sprintf of composites", async () => {
  assert.is(await evalJson("[1.0, 1e3, 2.50, 10000000000000000000000, 1e400, -0, -0.0]"), "[1.0,1e3,2.50,10000000000000000000000,1e400,-0,-0.0]");
  assert.is(await evalJson('json.marshal({"a": [1.0, 1e3]})'), '"{\\"a\\":[1.0,1e3]}"');
  assert.is(await evalJson('sprintf("%v|%v|%d", [[1.0, 2.50], 1e3, 1.0])'), '"[1.0,2.50]|1000|%!d(float64=1)"');
  // Equal numbers of any spelling are one set element and one object key; the first one stays.
  assert.is(await evalJson("[{1.0, 1}, count({1, 1.0, 1e0}), 1.0 == 1, {1.0: 2}[1]]"), "[[1.0],1,true,2]");
});

test("data files and to_number keep the text; YAML numbers are Go's float64 text", async () => {
  const files = { "d.json": '{"a": 1.0, "b": [1e3, 0.50]}', "y.yaml": "c: 1.0\n" };
  assert.is(await evalJson("[data.a, data.b, data.c, to_number(\"1.50\"), json.unmarshal(\"[2.0]\")]", files, ["-d", "d.json", "-d", "y.yaml"]), "[1.0,[1e3,0.50],1,1.50,[2.0]]");
});

test("arithmetic on two integers is exact; anything else is a 64-bit big.Float printed as OPA prints it", async () => {
  const q = "[1.1 + 2.2, 1.1 + 2.2 == 3.3, 0.1 + 0.2, 1 / 3, 10 / 4, 4 / 2, 1000000 + 0.5, 1.5 * 1000000, 3.0 + 1, 2.5 * 2, sum([0.1, 0.2, 1.1])]";
  assert.is(await evalJson(q), "[3.3000000000000000002,false,0.3,0.33333333333333333334,2.5,2,1.0000005e+06,1500000,4,5,1.4000000000000000001]");
  assert.is(await evalJson("[123456789012345678901234567890 + 1, 9223372036854775807 * 2]"), "[123456789012345678901234567891,18446744073709551614]");
  // abs past the int32 window is a big.Float too: a text operand prints anew, big integers round.
  assert.is(await evalJson("[abs(-1.10), abs(1.10), abs(-1e3), abs(-5), abs(-123456789012345678901234567890)]"), "[1.1,1.1,1000,5,123456789012345678900000000000]");
});

// OPA's own arithmetic cases past the conformance set (bignum and int32-window edges, rendered through
// sprintf): integers exact at any size, a non-integer operand through big.Float.
const EDGES = `package generated

p := {
	"add": sprintf("%v", [18446744073709551617 + 1]),
	"sub": sprintf("%v", [18446744073709551617 - 1]),
	"mul": sprintf("%v", [18446744073709551617 * 2]),
	"big_add": sprintf("%v", [123456789012345678901234567890 + 1]),
	"neg_sub": sprintf("%v", [-18446744073709551617 - 1]),
	"small_add": sprintf("%v", [2 + 3]),
	"float_add": sprintf("%v", [1.5 + 2.5]),
	"mixed_add": sprintf("%v", [1 + 2.5]),
	"float_mul": sprintf("%v", [2.5 * 2]),
	"pow64": sprintf("%v", [10 % 18446744073709551616]),
	"pow64_multiple": sprintf("%v", [5 % 55340232221128654848]),
	"pow128": sprintf("%v", [7 % 340282366920938463463374607431768211456]),
	"neg_pow64": sprintf("%v", [100 % -18446744073709551616]),
	"big_dividend": sprintf("%v", [18446744073709551617 % 18446744073709551616]),
	"nonzero_control": sprintf("%v", [10 % 18446744073709551617]),
	"plus_max": sprintf("%v", [2147483647 + 1]),
	"minus_min": sprintf("%v", [-2147483648 - 1]),
	"mul_max": sprintf("%v", [2147483647 * 2147483647]),
	"mul_min": sprintf("%v", [-2147483648 * -2147483648]),
	"just_outside": sprintf("%v", [2147483648 + 1]),
	"int64_edge": sprintf("%v", [9223372036854775807 + 1]),
	"exponent_form": sprintf("%v", [1e30 + 1]),
	"trailing_zeros": sprintf("%v", [10.00 + 5]),
	"abs_negative": sprintf("%v", [abs(-5)]),
	"abs_window_min": sprintf("%v", [abs(-2147483648)]),
	"abs_int64_min": sprintf("%v", [abs(-9223372036854775808)]),
	"abs_float": sprintf("%v", [abs(-2.5)]),
	"round_half_up": sprintf("%v", [round(2.5)]),
	"round_half_away_negative": sprintf("%v", [round(-2.5)]),
	"round_down": sprintf("%v", [round(2.4)]),
	"round_integer": sprintf("%v", [round(-5)]),
	"round_trailing_zeros": sprintf("%v", [round(10.00)]),
	"exact": sprintf("%v", [6 / 3]),
	"exact_negative": sprintf("%v", [-6 / 3]),
	"fraction": sprintf("%v", [1 / 4]),
	"zero_dividend": sprintf("%v", [0 / 5]),
	"negative_dividend": sprintf("%v", [-17 % 5]),
	"negative_divisor": sprintf("%v", [17 % -5]),
	"integral_float": sprintf("%v", [4.0 % 3]),
}
`;

test("OPA's bignum and window-edge arithmetic cases", async () => {
  const got = JSON.parse(await evalJson("data.generated.p", { "a.rego": EDGES }, ["-d", "a.rego"])) as Record<string, string>;
  assert.equal(got, {
    add: "18446744073709551618", sub: "18446744073709551616", mul: "36893488147419103234",
    big_add: "123456789012345678901234567891", neg_sub: "-18446744073709551618", small_add: "5",
    float_add: "4", mixed_add: "3.5", float_mul: "5", pow64: "10", pow64_multiple: "5", pow128: "7",
    neg_pow64: "100", big_dividend: "1", nonzero_control: "10", plus_max: "2147483648",
    minus_min: "-2147483649", mul_max: "4611686014132420609", mul_min: "4611686018427387904",
    just_outside: "2147483649", int64_edge: "9223372036854775808",
    exponent_form: "1000000000000000000000000000001", trailing_zeros: "15", abs_negative: "5",
    abs_window_min: "2147483648", abs_int64_min: "9223372036854775808", abs_float: "2.5",
    round_half_up: "3", round_half_away_negative: "-3", round_down: "2", round_integer: "-5",
    round_trailing_zeros: "10", exact: "2", exact_negative: "-2", fraction: "0.25", zero_dividend: "0",
    negative_dividend: "-2", negative_divisor: "2", integral_float: "1",
  });
});

test("big.Float model: rounding, shortest digits and OPA's 'f'/'g' layout", () => {
  const f = (t: string) => bigFloatOf(parseDecimal(t)!);
  assert.is(bigFloatText(bigFloatQuo(f("2"), f("3"))), "0.6666666666666666667");
  assert.is(bigFloatText(bigFloatQuo(f("-2"), f("3"))), "-0.6666666666666666667");
  assert.is(bigFloatText(bigFloatSub(f("3.3"), f("1.1"))), "2.1999999999999999998");
  assert.is(bigFloatText(bigFloatMul(f("1e-7"), f("1"))), "1e-07");
  assert.is(bigFloatText(bigFloatQuo(f("1"), f("1024"))), "0.0009765625");
  assert.is(bigFloatText(bigFloatAdd(f("0"), f("0.1"))), "0.1");
  // Integers past 64 bits are rounded when they meet a non-integer.
  assert.is(bigFloatText(bigFloatAdd(f("123456789012345678901234567890"), f("0.5"))), "123456789012345678900000000000");
  assert.throws(() => bigFloatQuo(f("1"), f("0")), /divide by zero/);
});

test("host arithmetic: the same rules through the runtime's calling convention", () => {
  assert.equal(call("plus", { $num: "1.1" }, { $num: "2.2" }), { $num: "3.3000000000000000002" });
  assert.is(call("div", 10, 4), 2.5);
  assert.equal(call("div", 1, 3), { $num: "0.33333333333333333334" });
  assert.is(call("mul", { $num: "1.0" }, 3), 3);
  assert.equal(call("abs", { $num: "-1.10" }), 1.1);
});

test("policyc test: print and failure lines show numbers as written", async () => {
  const dir = writeTree("policyc-numtext-", {
    "n_test.rego": 'package n\n\ntest_print if {\n\tprint(1.0, [2.50], {"a": 1e3})\n}\n\ntest_fail if {\n\tx := {"a": 1.0}\n\tx == 2\n}\n\ntest_sum if 1.1 + 2.2 != 3.3\n',
  });
  try {
    const r = await runCli(["test", ".", "-v", "--var-values"], dir);
    assert.is(r.code, 1);
    assert.match(r.stdout, /1\.0 \[2\.50\] \{"a": 1e3\}/);
    assert.match(r.stdout, /\{"a": 1\.0\}/);
    assert.match(r.stdout, /2 passed, 1 failed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
