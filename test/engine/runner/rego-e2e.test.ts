import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, loadModule, EvalError } from "../../../src/engine/index.js";
import { DiagnosticError } from "../../../src/diagnostics/index.js";

function module(text: string, entrypoints: string[], regoVersion: "v0" | "v1" = "v1") {
  return loadModule(compile({ modules: [{ file: "policy.rego", text }], entrypoints, regoVersion }));
}

const results = (rs: Record<string, unknown>[]) => rs.map((r) => r.result);

test("Rego end to end: rules, sets, functions, several entrypoints", () => {
  const m = module(
    `package test
p := x if { x := input.a + 1 }
s contains y if { some y in input.items; y > 1 }
f(x) := x * 2
q := f(3)
obj[k] := v if { some k, v in input.o; v != 0 }
`,
    ["test/p", "data.test.s", "test/q", "test/obj"],
  );
  const input = { a: 1, items: [1, 2, 3], o: { x: 0, y: 2 } };
  assert.equal(results(m.evaluate(input, "test/p")), [2]);
  assert.equal(results(m.evaluate(input, "test/s")), [[2, 3]]);
  assert.equal(results(m.evaluate(input, "test/q")), [6]);
  assert.equal(results(m.evaluate(input, "test/obj")), [{ y: 2 }]);
  assert.equal(m.evaluate({}, "test/p"), [], "undefined rule: empty result set");
});

test("memoized rules see new data and input on every evaluation", () => {
  const m = module("package m\n\nlimit := data.cfg.limit\nover contains x if { some x in input.xs; x > limit }\ncount_over := count(over)\n", ["m/count_over"]);
  m.setData({ cfg: { limit: 2 } });
  assert.equal(results(m.evaluate({ xs: [1, 2, 3, 4] }, "m/count_over")), [2]);
  assert.equal(results(m.evaluate({ xs: [5, 6] }, "m/count_over")), [2]);
  m.setData({ cfg: { limit: 5 } });
  assert.equal(results(m.evaluate({ xs: [1, 2, 3, 4, 5, 6] }, "m/count_over")), [1]);
  const w = module("package w\n\nv := input.v\nboth := [v, x] if { x := v with input.v as 9 }\n", ["w/both"]);
  assert.equal(results(w.evaluate({ v: 1 }, "w/both")), [[1, 9]]);
});

test("falsy inputs reach the policy (the SDK alone would drop them)", () => {
  const m = module("package t\n\nt := type_name(input)\n", ["t/t"]);
  assert.equal(results(m.evaluate(false, "t/t")), ["boolean"]);
  assert.equal(results(m.evaluate(0, "t/t")), ["number"]);
  assert.equal(results(m.evaluate("", "t/t")), ["string"]);
  assert.equal(results(m.evaluate(null, "t/t")), ["null"]);
  assert.equal(m.evaluate(undefined, "t/t"), []);
});

test("evaluateRegoInput carries sets and non-string keys into input", () => {
  const m = module("package t\n\nt := type_name(input.s)\nk := [k | some k, _ in input.o]\nn := count(input.s)\n", ["t/t", "t/k", "t/n"]);
  assert.equal(results(m.evaluateRegoInput('{"s": {1, 2, 2}, "o": {1: "a", "b": 2}}', "t/t")), ["set"]);
  assert.equal(results(m.evaluateRegoInput('{"s": {1, 2, 2}, "o": {1: "a", "b": 2}}', "t/k")), [[1, "b"]]);
  assert.equal(results(m.evaluateRegoInput('{"s": {1, 2, 2}}', "t/n")), [2]);
  assert.equal(m.evaluateRegoInput(undefined, "t/n"), []);
  assert.equal(results(m.evaluate({ s: [1, 1] }, "t/n")), [2], "the SDK path still works after the context path");
});

test("evaluateJsonText keeps big and decimal numbers exact", () => {
  const m = module("package n\n\nbig := 18446744073709551616 + 1\nsum := input.x + 0.1\n", ["n/big", "n/sum"]);
  assert.is(m.evaluateJsonText({}, "n/big"), '[{"result":18446744073709551617}]');
  assert.equal(m.evaluate({}, "n/big"), [{ result: 18446744073709551617 }], "the SDK path rounds");
  assert.is(m.evaluateJsonText({ x: 0.2 }, "n/sum"), '[{"result":0.3}]');
  assert.is(m.evaluateJsonText(undefined, "n/sum"), "[]");
  assert.is(m.evaluateJsonText(false, "n/sum"), "[]");
});

test("strings.any_prefix_match / any_suffix_match run as generated Wasm with OPA's semantics", () => {
  const m = module(
    `package t
pre := strings.any_prefix_match(input.s, input.b)
suf := strings.any_suffix_match(input.s, input.b)
`,
    ["t/pre", "t/suf"],
  );
  const pre = (s: unknown, b: unknown) => results(m.evaluate({ s, b }, "t/pre"))[0];
  const suf = (s: unknown, b: unknown) => results(m.evaluate({ s, b }, "t/suf"))[0];
  assert.is(pre("gcr.io/x", ["docker.io/", "gcr.io/"]), true);
  assert.is(pre("gcr.io/x", "docker.io/"), false);
  assert.is(pre(["a", "gcr.io/x"], "gcr"), true);
  assert.is(pre([], ["a"]), false);
  assert.is(pre("abc", []), false);
  assert.is(pre(1, "a"), undefined, "non-string search is an error: undefined");
  assert.is(pre("abc", ["a", 2]), undefined, "non-string base element is an error even after a match");
  assert.is(suf("file.yaml", [".yml", ".yaml"]), true);
  assert.is(suf("file.json", [".yml", ".yaml"]), false);
});

test("conflicts surface as EvalError eval_conflict_error with the rule's location", () => {
  const m = module("package c\n\np := 1 if input.x\np := 2 if input.y\n", ["c/p"]);
  assert.equal(results(m.evaluate({ x: true }, "c/p")), [1]);
  try {
    m.evaluate({ x: true, y: true }, "c/p");
    assert.unreachable("expected a conflict");
  } catch (e) {
    assert.instance(e, EvalError);
    assert.is((e as EvalError).code, "eval_conflict_error");
    assert.match((e as EvalError).message, /policy\.rego:\d+:\d+: .*complete rules must not produce multiple outputs/);
  }
});

test("function conflicts name functions, not complete rules", () => {
  const m = module("package f\n\ng(x) := 1 if x > 0\ng(x) := 2 if x > 1\np := g(input.n)\n", ["f/p"]);
  assert.equal(results(m.evaluate({ n: 1 }, "f/p")), [1]);
  try {
    m.evaluate({ n: 2 }, "f/p");
    assert.unreachable("expected a conflict");
  } catch (e) {
    assert.is((e as EvalError).code, "eval_conflict_error");
    assert.match((e as EvalError).message, /policy\.rego:\d+:\d+: .*functions must not produce multiple outputs for same inputs/);
  }
});

test("ad-hoc queries become entrypoints binding their variables", () => {
  const wasm = compile({ modules: [{ file: "p.rego", text: "package test\n\np := [1, 2]\n" }], queries: [{ name: "q", text: "data.test.p[i] = x" }] });
  const rows = loadModule(wasm).evaluate({}, "q");
  assert.equal(rows.map((r) => JSON.stringify(r)).sort(), ['{"i":0,"x":1}', '{"i":1,"x":2}']);
});

test("compilation is deterministic: the same input gives byte-identical modules", () => {
  const input = { modules: [{ file: "a.rego", text: "package a\n\ns contains x if { some x in input.xs; startswith(x, \"a\") }\nmsg := sprintf(\"%v\", [count(s)])\n" }], entrypoints: ["a/s", "a/msg"] };
  assert.equal(Buffer.compare(Buffer.from(compile(input)), Buffer.from(compile(input))), 0);
});

test("an input larger than the memory ceiling is a memory error, and the module keeps working", () => {
  const m = loadModule(compile({ modules: [{ file: "a.rego", text: "package a\n\nn := count(input.xs)\n" }], entrypoints: ["a/n"] }), { memoryLimitPages: 16 });
  const big = { xs: Array.from({ length: 200_000 }, (_, i) => `item-${i}`) };
  try {
    m.evaluate(big, "a/n");
    assert.unreachable("expected a memory error");
  } catch (e) {
    assert.instance(e, EvalError);
    assert.is((e as EvalError).code, "eval_memory_limit");
  }
  assert.equal(results(m.evaluate({ xs: [1, 2] }, "a/n")), [2]);
});

test("parse errors are DiagnosticErrors with file:line:col; no entrypoint is an error", () => {
  try {
    compile({ modules: [{ file: "bad.rego", text: "package x\n\np := \n" }, { file: "worse.rego", text: "package y\nq if {\n" }], entrypoints: ["x/p"] });
    assert.unreachable("expected a DiagnosticError");
  } catch (e) {
    assert.instance(e, DiagnosticError);
    const d = (e as DiagnosticError).diagnostics;
    assert.ok(d.some((x) => x.span?.file === "bad.rego" && x.span.line >= 3), JSON.stringify(d));
    assert.ok(d.some((x) => x.span?.file === "worse.rego"), "errors of every module are reported");
    assert.ok(d.every((x) => /^PC5\d{3}$/.test(x.code)));
  }
  assert.throws(() => compile({ modules: [{ file: "a.rego", text: "package a\n" }] }), (e: unknown) => e instanceof DiagnosticError && e.diagnostics[0]!.code === "PC5421");
});

test.run();
