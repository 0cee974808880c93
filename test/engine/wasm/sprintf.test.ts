/**
 * The Wasm fast path of `sprintf` must print exactly what the host (Go-compatible) `sprintf`
 * prints: the same calls are made once with a constant format (fast path) and once with the format
 * read from input (always the host), on random arguments.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { compile, loadModule } from "../../../src/engine/index.js";
import { parseSimpleFormat } from "../../../src/engine/wasm/codegen/sprintf.js";
import { hostBuiltins } from "../../../src/engine/builtins/index.js";

const FORMAT = "a %v b %s c %v%% <%v>";
const m = loadModule(
  compile({
    modules: [
      {
        file: "s.rego",
        text: `package s\n\nfast := sprintf("${FORMAT}", [input.x, input.y, input.z, input.w])\nslow := sprintf(input.f, [input.x, input.y, input.z, input.w])\nshort := sprintf("%v and %v", [input.x])\n`,
      },
    ],
    entrypoints: ["s/fast", "s/slow", "s/short"],
  }),
);

test("simple formats are recognised; anything else is left to the host", () => {
  assert.equal(parseSimpleFormat("x %v y %s 100%%"), [{ lit: "x " }, { verb: "v" }, { lit: " y " }, { verb: "s" }, { lit: " 100%" }]);
  assert.is(parseSimpleFormat("%d"), undefined);
  assert.is(parseSimpleFormat("%5v"), undefined);
  assert.is(parseSimpleFormat("trailing %"), undefined);
});

const scalar = fc.oneof(
  fc.string({ unit: "grapheme-composite", maxLength: 6 }),
  fc.string({ unit: "binary", maxLength: 4 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, 1.5, 100, 12345678901234567890, null, true, false, "", "é", "\u0001", '"q"', "\\"),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), tie("v"), { maxKeys: 3 })),
})).v;

test("the fast path prints exactly what the host prints", () => {
  fc.assert(
    fc.property(value, value, value, value, (x, y, z, w) => {
      const input = { f: FORMAT, x, y, z, w };
      assert.is(m.evaluateJsonText(input, "s/fast"), m.evaluateJsonText(input, "s/slow"), JSON.stringify(input));
    }),
    { numRuns: 300, seed: 7 },
  );
});

test("the fast path runs in Wasm for strings, integers and plain composites; others reach the host", () => {
  const real = hostBuiltins()["policyc.sprintf"]!;
  let hostCalls = 0;
  const spied = loadModule(compile({ modules: [{ file: "s.rego", text: 'package s\n\np := sprintf("%v: %v %s", [input.a, input.b, input.c])\n' }], entrypoints: ["s/p"] }), {
    builtins: { "policyc.sprintf": (...args: unknown[]) => (hostCalls++, real(...args)) },
  });
  assert.equal(spied.evaluate({ a: "name", b: ["x", 1, { k: null }], c: "s" }, "s/p"), [{ result: 'name: ["x", 1, {"k": null}] s' }]);
  assert.equal(spied.evaluate({ a: 42, b: true, c: "s" }, "s/p"), [{ result: "42: true s" }]);
  assert.is(hostCalls, 0);
  assert.equal(spied.evaluate({ a: 1.5, b: "x", c: "s" }, "s/p"), [{ result: "1.5: x s" }]);
  assert.equal(spied.evaluate({ a: "é", b: ["é"], c: "s" }, "s/p"), [{ result: 'é: ["é"] s' }]);
  assert.is(hostCalls, 2);
});

test("sets and non-string keys (Rego input), and argument count mismatches", () => {
  const text = (x: string) => `{"f": "${FORMAT}", "x": ${x}, "y": {"b", "a"}, "z": {1: [2, {3}]}, "w": set()}`;
  for (const x of ["{1, 2}", '{"k": {"v"}}', "[1.0, 2]", '"plain"']) {
    assert.equal(m.evaluateRegoInput(text(x), "s/fast"), m.evaluateRegoInput(text(x), "s/slow"), x);
  }
  assert.equal(m.evaluate({ x: "one" }, "s/short"), [{ result: "one and %!v(MISSING)" }]);
});

test.run();
