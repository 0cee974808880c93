// The back end replaces the bodies of eval/builtins: the runtime must reach them through their
// function index (opa_eval calls the new eval; natives find host ids through the new builtins()),
// and host fallbacks must round-trip big and decimal numbers exactly through tagged JSON.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Runtime, runtimeBytes } from "./harness.js";
import { functionIndex, leb, replaceBody, sleb } from "./rewrite.js";

const bytes = runtimeBytes();
const { exports } = functionIndex(bytes);

test("a replaced eval body is what opa_eval runs", () => {
  // eval(ctx): result_set.add(input)
  const body = [0x00, 0x20, 0x00, 0x28, 0x02, 0x08, 0x20, 0x00, 0x28, 0x02, 0x00, 0x10, ...leb(exports.opa_set_add), 0x41, 0x00, 0x0b];
  const rt = new Runtime({ bytes: replaceBody(bytes, "eval", body) });
  const data = rt.json("{}");
  const [s, n] = rt.bytes('{"b": [1, 2], "a": 18446744073709551616}');
  assert.is(rt.cstr(rt.x.opa_eval(0, 0, data, s, n, rt.x.opa_heap_ptr_get(), 0)), '[{"a":18446744073709551616,"b":[1,2]}]');
});

// builtins() returns opa_json_parse(TABLE, len) with the table text placed in the last page
const TABLE_ADDR = 15 * 65536;
const TABLE = '{"policyc.plus": 7, "policyc.div": 8, "policyc.lower": 9}';

function withHostTable(host: (id: number, args: string[]) => string | undefined): Runtime {
  const body = [0x00, 0x41, ...sleb(TABLE_ADDR), 0x41, ...sleb(TABLE.length), 0x10, ...leb(exports.opa_json_parse), 0x0b];
  const rt = new Runtime({ bytes: replaceBody(bytes, "builtins", body), initialPages: 16, host });
  new Uint8Array(rt.memory.buffer).set(Buffer.from(TABLE), TABLE_ADDR);
  return rt;
}

// a tiny exact decimal adder for the tests' host side (tagged codec, as src/engine/builtins does)
const untag = (v: any): string => (typeof v === "object" && v && "$num" in v ? v.$num : String(v));
function addDecimal(a: string, b: string): string {
  const scale = (s: string) => (s.includes(".") ? s.split(".")[1].length : 0);
  const k = Math.max(scale(a), scale(b));
  const toBig = (s: string) => BigInt(s.replace(".", "") + "0".repeat(k - scale(s)));
  const sum = (toBig(a) + toBig(b)).toString();
  if (!k) return sum;
  const neg = sum.startsWith("-");
  const digits = (neg ? sum.slice(1) : sum).padStart(k + 1, "0");
  return `${neg ? "-" : ""}${digits.slice(0, -k)}.${digits.slice(-k)}`;
}

test("natives fall back to host built-ins listed in builtins(), with tagged arguments and results", () => {
  const rt = withHostTable((id, args) => {
    const vals = args.map((a) => JSON.parse(a));
    if (id === 7) {
      const r = addDecimal(untag(vals[0]), untag(vals[1]));
      return JSON.stringify({ $num: r });
    }
    if (id === 9) return JSON.stringify(vals[0].toLowerCase());
    return undefined;
  });
  assert.is(rt.call("plus", "1", "2"), "3", "int64 stays native");
  assert.equal(rt.hostCalls, []);
  assert.is(rt.call("plus", "9223372036854775807", "1"), "9223372036854775808");
  assert.is(rt.call("plus", "0.1", "0.2"), "0.3");
  assert.is(rt.call("plus", "18446744073709551616", "-1.5"), "18446744073709551614.5");
  assert.equal(rt.hostCalls[0], [7, '{"$num":"9223372036854775807"}', "1"]);
  assert.equal(rt.hostCalls[2], [7, '{"$num":"18446744073709551616"}', "-1.5"]);
  assert.is(rt.call("lower", '"ÀB"'), '"àb"');
  assert.is(rt.call("lower", '"AB"'), '"ab"');
  assert.is(rt.hostCalls.length, 4, "ASCII lower stays native");
  assert.is(rt.call("sum", "{9223372036854775807, 1, 2.5}"), "9223372036854775810.5", "sum continues through policyc.plus");
  assert.is(rt.hostCalls.length, 6);
  assert.is(rt.call("div", "1", "3"), undefined, "host returned undefined");
  assert.is(rt.call("mul", "1.5", "2"), undefined, "name not in builtins(): undefined, no call");
  assert.is(rt.hostCalls.length, 7);
});

test.run();
