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
  assert.is(await evalJson("[1.0, 1e3, 2.50, 10000000000000000000000, 1e400]"), "[1.0,1e3,2.50,10000000000000000000000,1e400]");
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
