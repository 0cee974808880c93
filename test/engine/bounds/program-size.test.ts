// Item by item, the program shapes that once overflowed the native stack or a Wasm limit: each
// compiles to a valid module and evaluates to the right value, at the sizes real generators reach.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, loadModule } from "../../../src/engine/index.js";

function evalQuery(text: string, query: string, input?: unknown): unknown {
  const wasm = compile({ modules: [{ file: "big.rego", text }], queries: [{ name: "q", text: `x := ${query}` }] });
  assert.ok(WebAssembly.validate(wasm), "a valid Wasm module");
  const rows = loadModule(wasm).evaluate(input);
  return rows[0]?.x;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test("an array literal of 100,000 elements", () => {
  const text = `package t\nxs := [${range(100_000).join(", ")}]\n`;
  assert.is(evalQuery(text, "count(data.t.xs)"), 100_000);
});

test("1 + 1 + … with 10,000 terms", () => {
  assert.is(evalQuery(`package t\nn := ${range(10_000).map(() => "1").join(" + ")}\n`, "data.t.n"), 10_000);
});

test("5,000 chained rules", () => {
  const text = `package t\n${range(5_000).map((i) => `r${i} := r${i + 1} + 1`).join("\n")}\nr5000 := 0\n`;
  assert.is(evalQuery(text, "data.t.r0"), 5_000);
});

test("5,000 chained functions", () => {
  const text = `package t\n${range(5_000).map((i) => `f${i}(x) := f${i + 1}(x + 1)`).join("\n")}\nf5000(x) := x\n`;
  assert.is(evalQuery(text, "data.t.f0(0)"), 5_000);
});

test("a body of 10,000 statements", () => {
  const text = `package t\nlast := a9999 if {\n  a0 := 0\n${range(9_999).map((i) => `  a${i + 1} := a${i} + 1`).join("\n")}\n}\n`;
  assert.is(evalQuery(text, "data.t.last"), 9_999);
});

test("a package path 5,000 deep", () => {
  const path = range(5_000).map((i) => `p${i}`).join(".");
  assert.is(evalQuery(`package ${path}\nv := 7\n`, `data.${path}.v`), 7);
});

test("a ref chain 5,000 deep", () => {
  // Documents nest at most 1,000 levels in the runtime, so the chain's end is undefined.
  const keys = range(5_000).map((i) => `a${i}`);
  const input = keys.slice(0, 500).reduceRight<unknown>((acc, k) => ({ [k]: acc }), 42);
  assert.is(evalQuery(`package t\nv := input.${keys.join(".")}\n`, "data.t.v", input), undefined);
  assert.is(evalQuery(`package t\nv := input.${keys.slice(0, 500).join(".")}\n`, "data.t.v", input), 42);
});

test("5,000 else branches", () => {
  const text = `package t\nv := -1 if { input.k == -1 }\n${range(5_000).map((i) => `else := ${i} if { input.k == ${i} }`).join("\n")}\nelse := "none"\n`;
  assert.is(evalQuery(text, "data.t.v", { k: 4_321 }), 4_321);
  assert.is(evalQuery(text, "data.t.v", { k: 9_999 }), "none");
});

test("a template string with 10,000 interpolations", () => {
  const text = `package t\ns := $"${range(10_000).map(() => "{input.c}").join("")}"\n`;
  assert.is(evalQuery(text, "count(data.t.s)", { c: "ab" }), 20_000);
});

test("a module of 100,000 rules is a valid module", () => {
  const text = `package t\n${range(100_000).map((i) => `s contains ${i}`).join("\n")}\n`;
  assert.is(evalQuery(text, "count(data.t.s)"), 100_000);
});

test("nested comprehension heads that end badly parse in linear time (found by the fuzzer)", () => {
  // `[x | ount([x | …` 198 deep, then an unterminated raw string: every level's body fails, and
  // each used to be retried as a `|` union, 2^198 attempts.
  const text = "package test\n\np := count([x | " + "ount([x | ".repeat(198) + "`x]) }\n";
  const started = Date.now();
  assert.throws(() => compile({ modules: [{ file: "bad.rego", text }], queries: [{ name: "q", text: "x := 1" }] }), (e: Error) => e.name === "DiagnosticError");
  assert.ok(Date.now() - started < 5000);
});

test.run();
