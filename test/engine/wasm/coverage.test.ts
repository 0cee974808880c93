// The instrumented compile mode: modules compiled with `coverage: true` record reached rows;
// modules compiled without it carry no table, section, export or extra code.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, loadModule } from "../../../src/engine/index.js";

const TEXT = `package p
import rego.v1
allow if {
  input.x == 1
  input.y == 2
}
allow if {
  input.z
}
f(x) := y if {
  y := x + 1
}
q := f(1)
`;

test("coverage: rows of evaluated expressions and of rules that produced a value accumulate over evaluations", () => {
  const wasm = compile({ modules: [{ file: "p.rego", text: TEXT }], entrypoints: ["p/allow", "p/q"], coverage: true });
  const m = loadModule(wasm);
  m.setData({});
  assert.equal(m.coverage!.hits(), []);
  assert.equal(m.evaluate({ x: 1, y: 3 }, "p/allow"), []);
  const rows = () => m.coverage!.hits().map((h) => h.row).sort((a, b) => a - b);
  // Both expressions of the first rule were evaluated (the second failed), so was the second
  // rule's; no rule produced a value, so no head row is covered.
  assert.equal(rows(), [4, 5, 8]);
  assert.equal(m.evaluate({ x: 1, y: 2 }, "p/allow"), [{ result: true }]);
  assert.equal(rows(), [3, 4, 5, 8]);
  m.evaluate({}, "p/q");
  assert.equal(rows(), [3, 4, 5, 8, 10, 11, 13]);
  assert.ok(m.coverage!.hits().every((h) => h.file === "p.rego"));
});

test("coverage: off by default, and an uninstrumented module is the same as before", () => {
  const plain = compile({ modules: [{ file: "p.rego", text: TEXT }], entrypoints: ["p/allow"] });
  const off = compile({ modules: [{ file: "p.rego", text: TEXT }], entrypoints: ["p/allow"], coverage: false });
  assert.equal(plain, off);
  const mod = new WebAssembly.Module(plain);
  assert.equal(WebAssembly.Module.customSections(mod, "policyc.coverage").length, 0);
  assert.not.ok(WebAssembly.Module.exports(mod).some((e) => e.name === "policyc_coverage"));
  assert.is(loadModule(plain).coverage, undefined);
  const on = compile({ modules: [{ file: "p.rego", text: TEXT }], entrypoints: ["p/allow"], coverage: true });
  assert.is(WebAssembly.Module.customSections(new WebAssembly.Module(on), "policyc.coverage").length, 1);
});

test.run();
