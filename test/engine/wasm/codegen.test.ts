import { test } from "uvu";
import * as assert from "uvu/assert";
import { IrBuilder, L, B } from "./ir-builder.js";
import { EvalError } from "../../../src/engine/runner/errors.js";
import { decodeModule } from "../../../src/engine/wasm/binary/decode.js";
import { generateModule } from "../../../src/engine/wasm/codegen/module.js";

function result(rs: Record<string, unknown>[]): unknown {
  assert.ok(rs.length <= 1, `at most one row, got ${JSON.stringify(rs)}`);
  return rs.length === 0 ? undefined : rs[0]!.result;
}

function evalError(f: () => unknown): EvalError {
  try {
    f();
  } catch (e) {
    if (e instanceof EvalError) return e;
    throw e;
  }
  throw new Error("expected an EvalError");
}

test("constant rule through a memoized function, several entrypoints", () => {
  const b = new IrBuilder();
  b.funcs.push({
    name: "g0.data.test.p",
    path: ["g0", "data", "test", "p"],
    params: [0, 1],
    return: 2,
    blocks: [{ stmts: [{ type: "AssignVarOnceStmt", source: b.s("hello"), target: 2 }] }, { stmts: [{ type: "ReturnLocalStmt", source: 2 }] }],
  });
  b.plan("test/p", 2, [{ type: "CallStmt", func: "g0.data.test.p", args: [L(0), L(1)], result: 2 }]);
  b.plan("test/q", 2, [{ type: "CallStmt", func: "g0.data.test.p", args: [L(0), L(1)], result: 3 }, { type: "CallStmt", func: "concat", args: [b.s("-"), L(4)], result: 2 }], []);
  // test/q: concat("-", [p, p]) with the array built before
  const q = b.plans[1]!;
  q.blocks[0]!.stmts.splice(1, 0, { type: "MakeArrayStmt", capacity: 2, target: 4 }, { type: "ArrayAppendStmt", value: L(3), array: 4 }, { type: "ArrayAppendStmt", value: L(3), array: 4 });
  const m = b.load();
  assert.equal(m.entrypoints, { "test/p": 0, "test/q": 1 });
  assert.is(result(m.evaluate({})), "hello");
  assert.is(result(m.evaluate(undefined, "test/q")), "hello-hello");
  assert.is(result(m.evaluate({}, 1)), "hello-hello", "a second evaluation sees fresh constants");
});

test("ScanStmt, DotStmt and SetAddStmt collect a partial set; scalars and empty collections are undefined", () => {
  const b = new IrBuilder();
  b.plan("images", 2, [
    { type: "MakeSetStmt", target: 2 },
    { type: "BlockStmt", blocks: [{ stmts: [
      { type: "DotStmt", source: L(0), key: b.s("containers"), target: 3 },
      { type: "ScanStmt", source: 3, key: 4, value: 5, block: { stmts: [
        { type: "DotStmt", source: L(5), key: b.s("image"), target: 6 },
        { type: "SetAddStmt", value: L(6), set: 2 },
      ] } },
    ] }] },
  ]);
  const m = b.load();
  const pod = { containers: [{ image: "b" }, { name: "no image" }, { image: "a" }, { image: "b" }] };
  assert.equal(result(m.evaluate(pod)), ["a", "b"]);
  assert.equal(result(m.evaluate({ containers: "scalar" })), []);
  assert.equal(result(m.evaluate({ containers: { x: { image: "o" } } })), ["o"]);
  assert.equal(result(m.evaluate(undefined)), []);
});

test("NotStmt, EqualStmt, NotEqualStmt and booleans", () => {
  const b = new IrBuilder();
  // allow if not input.deny == true and input.user != "root"
  b.plan("allow", 2, [
    { type: "NotStmt", block: { stmts: [
      { type: "DotStmt", source: L(0), key: b.s("deny"), target: 3 },
      { type: "EqualStmt", a: L(3), b: B(true) },
    ] } },
    { type: "DotStmt", source: L(0), key: b.s("user"), target: 4 },
    { type: "NotEqualStmt", a: L(4), b: b.s("root") },
    { type: "AssignVarStmt", source: B(true), target: 2 },
  ]);
  const m = b.load();
  assert.is(result(m.evaluate({ user: "alice" })), true);
  assert.is(result(m.evaluate({ user: "alice", deny: true })), undefined);
  assert.is(result(m.evaluate({ user: "alice", deny: "yes" })), true);
  assert.is(result(m.evaluate({ user: "root" })), undefined);
});

test("BlockStmt and BreakStmt implement an else chain", () => {
  const b = new IrBuilder();
  b.plans.push({
    name: "r",
    blocks: [
      { stmts: [
        { type: "BlockStmt", blocks: [{ stmts: [
          { type: "DotStmt", source: L(0), key: b.s("x"), target: 3 },
          { type: "MakeNumberIntStmt", value: 1, target: 4 },
          { type: "EqualStmt", a: L(3), b: L(4) },
          { type: "MakeNumberIntStmt", value: 10, target: 2 },
          { type: "BreakStmt", index: 1 },
        ] }] },
        { type: "MakeNumberIntStmt", value: 20, target: 2 },
      ] },
      { stmts: [
        { type: "IsDefinedStmt", source: 2 },
        { type: "MakeObjectStmt", target: 5 },
        { type: "ObjectInsertStmt", key: b.s("result"), value: L(2), object: 5 },
        { type: "ResultSetAddStmt", value: 5 },
      ] },
    ],
  });
  const m = b.load();
  assert.is(result(m.evaluate({ x: 1 })), 10);
  assert.is(result(m.evaluate({ x: 1.0 })), 10);
  assert.is(result(m.evaluate({ x: 2 })), 20);
});

test("values: null, numbers (int, exact text, AssignInt), arrays, objects, merge, len, type checks, reset", () => {
  const b = new IrBuilder();
  b.plan("values", 2, [
    { type: "MakeObjectStmt", target: 2 },
    { type: "MakeNullStmt", target: 3 },
    { type: "ObjectInsertStmt", key: b.s("null"), value: L(3), object: 2 },
    { type: "MakeNumberRefStmt", index: b.idx("1.5"), target: 4 },
    { type: "ObjectInsertStmt", key: b.s("dec"), value: L(4), object: 2 },
    { type: "AssignIntStmt", value: -7, target: 5 },
    { type: "ObjectInsertStmt", key: b.s("int"), value: L(5), object: 2 },
    { type: "MakeArrayStmt", capacity: 0, target: 6 },
    { type: "ArrayAppendStmt", value: L(5), array: 6 },
    { type: "ArrayAppendStmt", value: b.s("x"), array: 6 },
    { type: "ArrayAppendStmt", value: B(false), array: 6 },
    { type: "IsArrayStmt", source: L(6) },
    { type: "ObjectInsertStmt", key: b.s("arr"), value: L(6), object: 2 },
    { type: "LenStmt", source: L(6), target: 7 },
    { type: "ObjectInsertStmt", key: b.s("len"), value: L(7), object: 2 },
    { type: "MakeObjectStmt", target: 8 },
    { type: "ObjectInsertStmt", key: b.s("a"), value: L(5), object: 8 },
    { type: "IsObjectStmt", source: L(8) },
    { type: "MakeObjectStmt", target: 9 },
    { type: "ObjectInsertStmt", key: b.s("b"), value: L(3), object: 9 },
    { type: "ObjectMergeStmt", a: 8, b: 9, target: 10 },
    { type: "ObjectInsertStmt", key: b.s("merged"), value: L(10), object: 2 },
    { type: "MakeSetStmt", target: 11 },
    { type: "IsSetStmt", source: L(11) },
    { type: "ResetLocalStmt", target: 12 },
    { type: "IsUndefinedStmt", source: 12 },
    { type: "NopStmt" },
  ]);
  // a block that must fail: a string is not an array
  b.plans.push({ name: "not_array", blocks: [{ stmts: [{ type: "IsArrayStmt", source: b.s("x") }, { type: "MakeObjectStmt", target: 2 }, { type: "ResultSetAddStmt", value: 2 }] }] });
  const m = b.load();
  assert.equal(result(m.evaluate({})), { null: null, dec: 1.5, int: -7, arr: [-7, "x", false], len: 3, merged: { a: -7, b: null } });
  assert.equal(m.evaluate({}, "not_array"), []);
});

test("CallStmt to planned functions with arguments, natives and host built-ins (tagged arguments)", () => {
  const b = new IrBuilder();
  // f(x) = x + 1
  b.funcs.push({ name: "g0.data.test.f", path: ["g0", "data", "test", "f"], params: [0, 1, 2], return: 3, blocks: [
    { stmts: [{ type: "MakeNumberIntStmt", value: 1, target: 4 }, { type: "CallStmt", func: "plus", args: [L(2), L(4)], result: 5 }, { type: "AssignVarOnceStmt", source: L(5), target: 3 }] },
    { stmts: [{ type: "ReturnLocalStmt", source: 3 }] },
  ] });
  b.builtins.push({ name: "test.describe", arity: 2 });
  b.plan("calls", 2, [
    { type: "DotStmt", source: L(0), key: b.s("n"), target: 3 },
    { type: "CallStmt", func: "g0.data.test.f", args: [L(0), L(1), L(3)], result: 4 },
    { type: "MakeSetStmt", target: 5 },
    { type: "SetAddStmt", value: L(4), set: 5 },
    { type: "SetAddStmt", value: b.s("s"), set: 5 },
    { type: "CallStmt", func: "test.describe", args: [L(4), L(5)], result: 2 },
  ]);
  const seen: unknown[] = [];
  const m = b.load({
    builtins: {
      "policyc.test.describe": (n: unknown, s: unknown) => {
        seen.push(n, s);
        return { got: n };
      },
    },
  });
  assert.equal(result(m.evaluate({ n: 41 })), { got: 42 });
  assert.equal(seen, [42, { $set: [42, "s"] }], "sets reach the host tagged");
  assert.is(result(m.evaluate({ n: "x" })), undefined, "plus on a string is undefined");
  // g(x) ignores x: called with an undefined argument it must not run; with undefined input it must.
  const g = new IrBuilder();
  g.funcs.push({ name: "g", path: ["g0", "data", "g"], params: [0, 1, 2], return: 3, blocks: [
    { stmts: [{ type: "AssignVarOnceStmt", source: g.s("ran"), target: 3 }] },
    { stmts: [{ type: "ReturnLocalStmt", source: 3 }] },
  ] });
  g.plan("undef_arg", 2, [{ type: "ResetLocalStmt", target: 3 }, { type: "CallStmt", func: "g", args: [L(0), L(1), L(3)], result: 2 }]);
  g.plan("undef_input", 2, [{ type: "MakeNullStmt", target: 3 }, { type: "CallStmt", func: "g", args: [L(0), L(1), L(3)], result: 2 }]);
  const gm = g.load();
  assert.is(result(gm.evaluate({}, "undef_arg")), undefined, "an undefined argument makes the call undefined");
  assert.is(result(gm.evaluate(undefined, "undef_input")), "ran", "an undefined input does not");
});

test("CallDynamicStmt dispatches on a computed path; unknown paths are undefined", () => {
  const b = new IrBuilder();
  for (const [name, value] of [["f", "from f"], ["g", "from g"]] as const) {
    b.funcs.push({ name: `g0.data.test.${name}`, path: ["g0", "data", "test", name], params: [0, 1], return: 2, blocks: [
      { stmts: [{ type: "AssignVarOnceStmt", source: b.s(value), target: 2 }] },
      { stmts: [{ type: "ReturnLocalStmt", source: 2 }] },
    ] });
  }
  b.plan("dyn", 2, [
    { type: "DotStmt", source: L(0), key: b.s("which"), target: 3 },
    { type: "CallDynamicStmt", args: [0, 1], result: 2, path: [b.s("g0"), b.s("data"), b.s("test"), L(3)] },
  ]);
  const m = b.load();
  assert.is(result(m.evaluate({ which: "g" })), "from g");
  assert.is(result(m.evaluate({ which: "f" })), "from f");
  assert.is(result(m.evaluate({ which: "h" })), undefined);
});

test("WithStmt replaces input inside its block only, bypassing memoized results", () => {
  const b = new IrBuilder();
  b.funcs.push({ name: "g0.data.test.x", path: ["g0", "data", "test", "x"], params: [0, 1], return: 2, blocks: [
    { stmts: [{ type: "DotStmt", source: L(0), key: b.s("x"), target: 3 }, { type: "AssignVarOnceStmt", source: L(3), target: 2 }] },
    { stmts: [{ type: "ReturnLocalStmt", source: 2 }] },
  ] });
  b.plan("with", 2, [
    { type: "MakeArrayStmt", capacity: 3, target: 2 },
    { type: "CallStmt", func: "g0.data.test.x", args: [L(0), L(1)], result: 3 },
    { type: "ArrayAppendStmt", value: L(3), array: 2 },
    { type: "MakeNumberIntStmt", value: 5, target: 4 },
    { type: "WithStmt", local: 0, path: [b.idx("x")], value: L(4), block: { stmts: [
      { type: "CallStmt", func: "g0.data.test.x", args: [L(0), L(1)], result: 5 },
      { type: "ArrayAppendStmt", value: L(5), array: 2 },
    ] } },
    { type: "CallStmt", func: "g0.data.test.x", args: [L(0), L(1)], result: 6 },
    { type: "ArrayAppendStmt", value: L(6), array: 2 },
    { type: "DotStmt", source: L(0), key: b.s("x"), target: 7 },
    { type: "ArrayAppendStmt", value: L(7), array: 2 },
  ]);
  const m = b.load();
  assert.equal(result(m.evaluate({ x: 1 })), [1, 5, 1, 1]);
  // with on an undefined input creates it
  b.plans.push({ name: "with_undefined", blocks: [{ stmts: [
    { type: "MakeNumberIntStmt", value: 9, target: 4 },
    { type: "WithStmt", local: 0, path: [b.idx("x")], value: L(4), block: { stmts: [
      { type: "CallStmt", func: "g0.data.test.x", args: [L(0), L(1)], result: 2 },
    ] } },
    { type: "MakeObjectStmt", target: 3 },
    { type: "ObjectInsertStmt", key: b.s("result"), value: L(2), object: 3 },
    { type: "ResultSetAddStmt", value: 3 },
  ] }] });
  assert.is(result(b.load().evaluate(undefined, "with_undefined")), 9);
});

test("conflicts abort with OPA's messages and the rule's location", () => {
  const b = new IrBuilder();
  b.funcs.push({ name: "g0.data.test.p", path: ["g0", "data", "test", "p"], params: [0, 1], return: 2, blocks: [
    { stmts: [{ type: "AssignVarOnceStmt", source: b.s("a"), target: 2 }] },
    { stmts: [{ type: "DotStmt", source: L(0), key: b.s("two"), target: 3 }, { type: "AssignVarOnceStmt", source: b.s("b"), target: 2, loc: { file: 0, row: 3, col: 1 } }] },
    { stmts: [{ type: "ReturnLocalStmt", source: 2 }] },
  ] });
  b.plan("p", 2, [{ type: "CallStmt", func: "g0.data.test.p", args: [L(0), L(1)], result: 2 }]);
  b.plan("obj", 2, [
    { type: "MakeObjectStmt", target: 2 },
    { type: "ObjectInsertOnceStmt", key: b.s("k"), value: b.s("v"), object: 2 },
    { type: "ObjectInsertOnceStmt", key: b.s("k"), value: b.s("v"), object: 2 },
    { type: "BlockStmt", blocks: [{ stmts: [
      { type: "DotStmt", source: L(0), key: b.s("two"), target: 3 },
      { type: "ObjectInsertOnceStmt", key: b.s("k"), value: b.s("w"), object: 2, loc: { file: 0, row: 7, col: 2 } },
    ] }] },
  ]);
  const m = b.load();
  assert.is(result(m.evaluate({})), "a");
  const e = evalError(() => m.evaluate({ two: true }));
  assert.is(e.code, "eval_conflict_error");
  assert.match(e.message, "test.rego:3:1: var assignment conflict");
  assert.match(e.message, "complete rules must not produce multiple outputs");
  assert.equal(result(m.evaluate({}, "obj")), { k: "v" });
  const o = evalError(() => m.evaluate({ two: true }, "obj"));
  assert.is(o.code, "eval_conflict_error");
  assert.match(o.message, "test.rego:7:2: object insert conflict");
  assert.is(result(m.evaluate({})), "a", "the module still works after an abort");
});

test("limits: a long loop hits the evaluation budget; unbounded recursion and allocation stop with errors", () => {
  const b = new IrBuilder();
  b.plan("loop", 2, [
    { type: "MakeNumberIntStmt", value: 0, target: 3 },
    { type: "DotStmt", source: L(0), key: b.s("n"), target: 4 },
    { type: "CallStmt", func: "numbers.range", args: [L(3), L(4)], result: 5 },
    { type: "MakeNumberIntStmt", value: 0, target: 2 },
    { type: "ScanStmt", source: 5, key: 6, value: 7, block: { stmts: [{ type: "AssignVarStmt", source: L(7), target: 2 }] } },
  ]);
  // r(x) = r(x): recursion without end
  b.funcs.push({ name: "g0.data.test.r", path: ["g0", "data", "test", "r"], params: [0, 1, 2], return: 3, blocks: [
    { stmts: [{ type: "CallStmt", func: "g0.data.test.r", args: [L(0), L(1), L(2)], result: 3 }] },
    { stmts: [{ type: "ReturnLocalStmt", source: 3 }] },
  ] });
  b.plan("recurse", 2, [{ type: "CallStmt", func: "g0.data.test.r", args: [L(0), L(1), L(0)], result: 2 }]);
  const m = b.load({ fuel: 10_000, memoryLimitPages: 64 });
  assert.is(result(m.evaluate({ n: 1000 })), 1000);
  assert.is(evalError(() => m.evaluate({ n: 10_000_000 })).code, "eval_memory_limit");
  assert.is(evalError(() => m.evaluate({ n: 50_000 })).code, "eval_budget_exceeded");
  assert.is(evalError(() => m.evaluate({}, "recurse")).code, "eval_budget_exceeded");
  const unlimited = b.load({ memoryLimitPages: 64 });
  assert.is(evalError(() => unlimited.evaluate({}, "recurse")).code, "eval_budget_exceeded", "stack exhaustion is reported, not a crash");
  assert.is(result(unlimited.evaluate({ n: 3 })), 3);
});

test("a statement that reads an undefined local is undefined (leaves its block)", () => {
  const b = new IrBuilder();
  b.plan("u", 2, [
    { type: "MakeObjectStmt", target: 2 },
    { type: "ResetLocalStmt", target: 3 },
    { type: "BlockStmt", blocks: [
      { stmts: [{ type: "ObjectInsertStmt", key: b.s("a"), value: L(3), object: 2 }, { type: "ObjectInsertStmt", key: b.s("after"), value: B(true), object: 2 }] },
      { stmts: [{ type: "MakeSetStmt", target: 4 }, { type: "SetAddStmt", value: L(3), set: 4 }, { type: "ObjectInsertStmt", key: b.s("set"), value: L(4), object: 2 }] },
      { stmts: [{ type: "EqualStmt", a: L(3), b: L(3) }, { type: "ObjectInsertStmt", key: b.s("eq"), value: B(true), object: 2 }] },
      { stmts: [{ type: "CallStmt", func: "count", args: [L(3)], result: 5 }, { type: "ObjectInsertStmt", key: b.s("count"), value: L(5), object: 2 }] },
      { stmts: [{ type: "ObjectInsertStmt", key: b.s("ok"), value: B(true), object: 2 }] },
    ] },
  ]);
  assert.equal(result(b.load().evaluate({})), { ok: true });
});

test("the linked module keeps the runtime's imports and exports the ABI", () => {
  const b = new IrBuilder();
  b.plan("p", 2, [{ type: "AssignVarStmt", source: B(true), target: 2 }]);
  const m = decodeModule(generateModule(b.policy()));
  const imports = m.imports.map((i) => `${i.module}.${i.name}`);
  for (const i of imports) assert.ok(/^env\.(memory|opa_abort|opa_println|opa_builtin[0-4])$/.test(i), `unexpected import ${i}`);
  const exports = new Set(m.exports.map((e) => e.name));
  for (const e of ["opa_eval", "eval", "builtins", "entrypoints", "opa_malloc", "opa_json_parse", "opa_json_dump", "opa_heap_ptr_get", "opa_heap_ptr_set", "opa_wasm_abi_version", "opa_wasm_abi_minor_version"]) {
    assert.ok(exports.has(e), `missing export ${e}`);
  }
});

test.run();
