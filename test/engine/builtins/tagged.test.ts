// The JS half of the host-call codec: tagged JSON from the runtime to values and back.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decode, encode, wrapBuiltin, HostHalt } from "../../../src/engine/builtins/tagged.js";
import { ExactNum, RObject, RSet, compare } from "../../../src/engine/builtins/value.js";

test("sets, odd objects and exact numbers decode to values", () => {
  const s = decode({ $set: [3, 1, 2, 1] });
  assert.ok(s instanceof RSet);
  assert.equal((s as RSet).items, [1, 2, 3]);
  const o = decode({ $obj: [[1, "a"], ["$k", true]] });
  assert.ok(o instanceof RObject);
  assert.equal(decode({ $obj: [["$k", 1]] }), { $k: 1 }, "string keys make a plain object");
  assert.is(decode({ $num: "12" }), 12);
  assert.ok(decode({ $num: "18446744073709551616" }) instanceof ExactNum);
  assert.equal(decode({ $num: "2e308" }), new ExactNum("2e308"), "text kept when no double holds it");
});

test("values encode back to the tagged form; round trips are identity", () => {
  for (const j of [{ $set: [1, "a", [true]] }, { $obj: [[1, "x"]] }, { $obj: [["$a", 1]] }, { $num: "-9223372036854775809" }, { a: [null, 1.5, "s"] }]) {
    assert.equal(encode(decode(j)), j);
  }
  assert.is(encode(Number.NaN), undefined);
  assert.equal(encode(2 ** 60), { $num: "1152921504606846976" });
});

test("OPA's total order across types", () => {
  const order = [null, false, true, -1, new ExactNum("0.5"), 2, "a", "b", [1], [1, 2], {}, { a: 1 }, new RSet([1])];
  for (let i = 0; i + 1 < order.length; i++) assert.is(compare(order[i]!, order[i + 1]!), -1, `${i}`);
  assert.is(compare(1, new ExactNum("1.0")), 0);
});

test("wrapped built-ins: errors become undefined, halts propagate", () => {
  assert.is(wrapBuiltin(() => { throw new TypeError("bad"); })(), undefined);
  assert.throws(() => wrapBuiltin(() => { throw new HostHalt("stop"); })());
  assert.equal(wrapBuiltin((x) => x)({ $set: [2, 1] }), { $set: [1, 2] });
});

test.run();
