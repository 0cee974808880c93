// Planner unit tests: plan shapes the Wasm back end relies on, and meaning checked through the
// test-only IR interpreter.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseModule, parseQuery } from "../../../src/engine/rego/index.js";
import { compileModules } from "../../../src/engine/compiler/index.js";
import { planPolicy } from "../../../src/engine/plan/planner.js";
import type { Policy, Stmt } from "../../../src/engine/plan/ir.js";
import { EvalError, Interpreter, fromJSON } from "./ir-interpreter.js";
import { DiagnosticError } from "../../../src/diagnostics/index.js";

function plan(src: string | string[], opts: { entrypoints?: string[]; query?: string; v?: "v0" | "v1" } = {}): Policy {
  const mods = (Array.isArray(src) ? src : [src]).map((s, i) => parseModule(s, { file: `m${i}.rego`, regoVersion: opts.v ?? "v1" }));
  const compiled = compileModules(mods);
  const queries = opts.query ? [{ name: "eval", query: parseQuery(opts.query, { file: "q", regoVersion: "v1" }) }] : [];
  return planPolicy(compiled, { entrypoints: opts.entrypoints ?? [], queries });
}

function run(p: Policy, name: string, input?: unknown, data: unknown = {}): unknown[] {
  return new Interpreter(p).eval(name, input === undefined ? undefined : fromJSON(input), fromJSON(data));
}

function allStmts(p: Policy): Stmt[] {
  const out: Stmt[] = [];
  const walk = (stmts: Stmt[]) => {
    for (const s of stmts) {
      out.push(s);
      if (s.type === "BlockStmt") s.blocks.forEach((b) => walk(b.stmts));
      if (s.type === "ScanStmt" || s.type === "NotStmt" || s.type === "WithStmt") walk(s.block.stmts);
    }
  };
  p.plans.plans.forEach((pl) => pl.blocks.forEach((b) => walk(b.stmts)));
  p.funcs.funcs.forEach((f) => f.blocks.forEach((b) => walk(b.stmts)));
  return out;
}

test("entrypoint plans bind `result`; undefined is an empty result set, false is a value", () => {
  const p = plan("package t\nf := false\nu if { false }", { entrypoints: ["t/f", "t/u"] });
  assert.equal(p.plans.plans.map((x) => x.name), ["t/f", "t/u"]);
  assert.equal(run(p, "t/f"), [{ result: false }]);
  assert.equal(run(p, "t/u"), []);
});

test("query plans bind the user's variables, including := locals, but not generated ones", () => {
  const p = plan("package t\np := [1, 2]", { query: "x := data.t.p[_]; y = x + 1" });
  assert.equal(run(p, "eval"), [{ x: 1, y: 2 }, { x: 2, y: 3 }]);
});

test("complete rule conflicts use AssignVarOnceStmt and raise at evaluation", () => {
  const p = plan("package t\np := 1 if input.a\np := 2 if input.b", { entrypoints: ["t/p"] });
  assert.ok(allStmts(p).some((s) => s.type === "AssignVarOnceStmt"));
  assert.equal(run(p, "t/p", { a: true }), [{ result: 1 }]);
  assert.throws(() => run(p, "t/p", { a: true, b: true }), (e: unknown) => e instanceof EvalError && e.code === "eval_conflict_error");
});

test("partial objects insert once; equal values do not conflict", () => {
  const p = plan('package t\np[k] := 1 if some k in input\np["a"] := 1', { entrypoints: ["t/p"] });
  assert.ok(allStmts(p).some((s) => s.type === "ObjectInsertOnceStmt"));
  assert.equal(run(p, "t/p", ["a", "b"]), [{ result: { a: 1, b: 1 } }]);
});

test("body reordered for safety: a comparison written before the binding", () => {
  const p = plan("package t\np if {\n  x > 1\n  x = input.y\n}", { entrypoints: ["t/p"] });
  assert.equal(run(p, "t/p", { y: 2 }), [{ result: true }]);
  assert.equal(run(p, "t/p", { y: 0 }), []);
});

test("v0 Gatekeeper shape: violation set, multi-definition helper, else, default", () => {
  const src = `package k
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  not ok(c)
  msg := sprintf("bad %v", [c.name])
}
ok(c) { c.image == "good" }
ok(c) { c.name == "skip" }
level = "high" { input.parameters.strict } else = "low" { true }
default strict = false
strict { input.parameters.strict }`;
  const p = plan(src, { entrypoints: ["k/violation", "k/level", "k/strict"], v: "v0" });
  const input = { review: { object: { spec: { containers: [{ name: "a", image: "bad" }, { name: "skip", image: "x" }, { name: "b", image: "good" }] } } }, parameters: {} };
  assert.equal(run(p, "k/violation", input), [{ result: [{ msg: "bad a" }] }]);
  assert.equal(run(p, "k/level", input), [{ result: "low" }]);
  assert.equal(run(p, "k/strict", input), [{ result: false }]);
  assert.equal(run(p, "k/level", { ...input, parameters: { strict: true } }), [{ result: "high" }]);
});

test("a package is an object merging base and virtual documents", () => {
  const p = plan("package a.b\np := 1", { query: "x = data.a" });
  assert.equal(run(p, "eval", undefined, { a: { c: 2, b: { q: 3 } } }), [{ x: { b: { p: 1, q: 3 }, c: 2 } }]);
});

test("with replaces input, base data, rules and built-ins for one expression only", () => {
  const src = `package t
r := input.x
c := count([1, 2, 3])
p := [a, b, d, e] if {
  a := r with input.x as 7
  b := data.base.v with data.base.v as 8
  d := c with count as 9
  e := r
}`;
  const p = plan(src, { entrypoints: ["t/p"] });
  assert.ok(allStmts(p).some((s) => s.type === "WithStmt"));
  assert.equal(run(p, "t/p", { x: 1 }, { base: { v: 0 } }), [{ result: [7, 8, 9, 1] }]);
});

test("walk is a relation: each [path, value] is a solution", () => {
  const p = plan("package t\np := {v | walk(input, [_, v]); is_number(v)}", { entrypoints: ["t/p"] });
  assert.equal(run(p, "t/p", { a: [1, { b: 2 }] }), [{ result: [1, 2] }]);
});

test("operands of a negated call are evaluated outside the negation (as OPA)", () => {
  const src = `package t
f(_) := true
ref_arg if { not f(input.missing) }
nested_call if { not count(input.missing) == 0 }
eq_ref if { not input.missing == 1 }
plain if { not input.missing }`;
  const p = plan(src, { entrypoints: ["t/ref_arg", "t/nested_call", "t/eq_ref", "t/plain"] });
  assert.equal(run(p, "t/ref_arg", {}), [], "undefined call argument fails the body");
  assert.equal(run(p, "t/nested_call", {}), [], "undefined nested call fails the body");
  assert.equal(run(p, "t/eq_ref", {}), [{ result: true }], "== is unification: its ref stays inside");
  assert.equal(run(p, "t/plain", {}), [{ result: true }]);
});

test("an entrypoint that names no rule or package is a diagnostic", () => {
  assert.throws(() => plan("package t\np := 1", { entrypoints: ["t/nope"] }), (e: unknown) => e instanceof DiagnosticError && e.diagnostics[0]!.code === "PC5302");
  assert.equal(run(plan("package t\np := 1", { entrypoints: ["t"] }), "t"), [{ result: { p: 1 } }]);
});

test("iterating a node with many rule children reads the merged document (no per-child copies)", () => {
  const mods = Array.from({ length: 12 }, (_, i) => `package all.p${i}\nv := ${i}`);
  const p = plan([...mods, "package q\ns := {x | x := data.all[_].v}"], { entrypoints: ["q/s"] });
  assert.equal(run(p, "q/s", undefined, { all: { base: { v: 100 } } }), [{ result: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 100] }]);
  const few = plan(["package all.a\nv := 1", "package all.b\nv := 2", "package q\ns := {x | x := data.all[_].v}"], { entrypoints: ["q/s"] });
  assert.equal(run(few, "q/s", undefined, { all: { c: { v: 3 } } }), [{ result: [1, 2, 3] }]);
});

test("plans are deterministic", () => {
  const src = "package t\np contains x if some x in input\nq[k] := v if some k, v in input";
  assert.is(JSON.stringify(plan(src, { entrypoints: ["t/p", "t/q"] })), JSON.stringify(plan(src, { entrypoints: ["t/p", "t/q"] })));
});

test.run();
