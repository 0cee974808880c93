// OPA's comprehension indexes: a comprehension whose body binds vars bound before it is evaluated
// once per evaluation with those vars free, grouped by their values, and read at the values they
// have (OPA's compiler decides which; topdown builds and reads the table). Results never change;
// what changes is that joins stay linear, which real policies rely on. Rules stay memoized inside
// `with` blocks, keyed by the replaced document, as topdown keeps a rule cache per `with`.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, loadModule } from "../../../src/engine/index.js";
import { parseModule } from "../../../src/engine/rego/index.js";
import { compileModules } from "../../../src/engine/compiler/index.js";
import { planPolicy } from "../../../src/engine/plan/planner.js";
import { runOpaTests } from "../../../src/testing/opa-test/run.js";

const PROGRAM = "package ci\n\nimport rego.v1\n\nitems := [{\"id\": i, \"group\": i % 3, \"name\": sprintf(\"n%d\", [i])} | some i in numbers.range(1, 9)]\n\n# a) keyed by a var bound before: groups by it\nby_group[g] := ids if {\n\tsome g in {0, 1, 2, 5}\n\tids := [x.id | some x in items; x.group == g]\n}\n\n# d) object and set comprehensions grouped\nnames_by_group[g] := {x.id: x.name | some x in items; x.group == g} if some g in {0, 1}\nsets_by_group[g] := {x.name | some x in items; g == x.group} if some g in {2, 7}\n\n# e) a function's argument as the key\nmembers(g) := [x.id | some x in items; x.group == g]\n\n# j) two keys\npairs[[a, b]] := c if {\n\tsome a in [0, 1]\n\tsome b in [true, false]\n\tc := count([x | some x in items; x.group == a; (x.id > 4) == b])\n}\n\n# g) nested, keyed inside the outer comprehension body\nnested := {g: inner |\n\tsome g in [0, 1, 2]\n\tinner := {[x.id, y.id] | some x in items; x.group == g; some y in items; y.group == g; x.id < y.id}\n}\n\n# f) under with: the table follows the replaced input\nfrom_input(k) := [v | some v in input.vals; v.k == k]\nwith_input := [a, b] if {\n\ta := from_input(\"x\") with input as {\"vals\": [{\"k\": \"x\", \"n\": 1}, {\"k\": \"y\", \"n\": 2}]}\n\tb := from_input(\"x\")\n}\n\n# h) every and negation around indexed comprehensions\nevery_ok if {\n\tevery g in [0, 1, 2] {\n\t\tcount([x | some x in items; x.group == g]) == 3\n\t}\n}\nnone_in_group_5 if not count([x | some x in items; x.group == 5]) > 0\n";

function evalQuery(files: Record<string, string>, query: string, input?: unknown): unknown[] {
  const modules = Object.entries(files).map(([file, text]) => ({ file, text }));
  const m = loadModule(compile({ modules, queries: [{ name: "q", text: `x := ${query}` }], regoVersion: "v1" }));
  return m.evaluate(input, "q").map((r) => (r as { x: unknown }).x);
}

/** Names of the comprehension-table functions planned for `entry` in `text`. */
function tables(text: string, entry: string): string[] {
  const compiled = compileModules([parseModule(text, { file: "p.rego", regoVersion: "v1" })]);
  return planPolicy(compiled, { entrypoints: [entry] }).funcs.funcs.map((f) => f.name).filter((n) => n.includes("$comprehension"));
}

test("indexed comprehensions give what evaluating them in place gives: groups, empty groups, objects, sets, function args, two keys, nesting", () => {
  const f = { "ci.rego": PROGRAM };
  assert.equal(evalQuery(f, "data.ci.by_group"), [{ 0: [3, 6, 9], 1: [1, 4, 7], 2: [2, 5, 8], 5: [] }]);
  assert.equal(evalQuery(f, "data.ci.names_by_group"), [{ 0: { 3: "n3", 6: "n6", 9: "n9" }, 1: { 1: "n1", 4: "n4", 7: "n7" } }]);
  assert.equal(evalQuery(f, "data.ci.sets_by_group"), [{ 2: ["n2", "n5", "n8"], 7: [] }]);
  assert.equal(evalQuery(f, "[data.ci.members(1), data.ci.members(9)]"), [[[1, 4, 7], []]]);
  assert.equal(evalQuery(f, "data.ci.pairs"), [{ "[0,false]": 1, "[0,true]": 2, "[1,false]": 2, "[1,true]": 1 }]);
  assert.equal(evalQuery(f, "data.ci.nested"), [{ 0: [[3, 6], [3, 9], [6, 9]], 1: [[1, 4], [1, 7], [4, 7]], 2: [[2, 5], [2, 8], [5, 8]] }]);
  assert.equal(evalQuery(f, "[data.ci.every_ok, data.ci.none_in_group_5]"), [[true, true]]);
});

test("an indexed comprehension follows the input a with block replaces, and the outer input after it", () => {
  assert.equal(evalQuery({ "ci.rego": PROGRAM }, "data.ci.with_input", { vals: [{ k: "x", n: 9 }] }), [[[{ k: "x", n: 1 }], [{ k: "x", n: 9 }]]]);
  // A rule read inside and after a with block: each sees its own input (OPA's "with invalidate virtual cache").
  const q = 'package w\nq := "a" if input == 1\nq := "b" if input == 2\np := [x, y] if {\n\tx := q with input as 1\n\ty := q\n}\n';
  assert.equal(evalQuery({ "w.rego": q }, "data.w.p", 2), [["a", "b"]]);
});

test("OPA's conditions: indexed when the body binds a var bound before it; not under with, not when a ref would enumerate the key, not when the body needs an outer var", () => {
  assert.equal(tables("package p\nitems := [1, 2]\nr[g] := xs if {\n\tsome g in [1, 2]\n\txs := [x | some x in items; x == g]\n}\n", "p/r").length, 1);
  // data.m[k] with k bound outside is a lookup; indexing would enumerate data.m.
  assert.equal(tables("package p\nr[k] := xs if {\n\tsome k in [\"a\"]\n\txs := [v | v := data.m[k]]\n}\n", "p/r"), []);
  assert.equal(tables("package p\nitems := [1, 2]\nr[g] := xs if {\n\tsome g in [1, 2]\n\txs := [x | some x in items; x == g] with input as 1\n}\n", "p/r"), []);
  // x + g needs g: the body cannot run without it.
  assert.equal(tables("package p\nitems := [1, 2]\nr[g] := xs if {\n\tsome g in [1, 2]\n\txs := [y | some x in items; y := x + g]\n}\n", "p/r"), []);
});

test("a join keyed by a var bound before the comprehension is one table, also inside with blocks and functions", () => {
  const text = `package join_test
import rego.v1
left := [{"id": sprintf("l%d", [i]), "ref": sprintf("r%d", [i % 500])} | some i in numbers.range(1, 2000)]
right := [{"id": sprintf("r%d", [i]), "n": i} | some i in numbers.range(1, 2000)]
matches := {l.id: ms |
	some l in input.left
	ref := l.ref
	ms := [r.n | some r in input.right; r.id == ref]
}
related(ref) := {r.n | some r in input.right; r.id == ref}
all_related if {
	every l in left {
		count(related(l.ref)) == to_number(l.ref != "r0")
	}
}
test_join if {
	m := matches with input as {"left": left, "right": right}
	count(m) == 2000
	m.l7 == [7]
	m.l500 == [] # r0 is not in right: an empty group
	all_related with input as {"left": left, "right": right}
}
`;
  assert.equal(tables(text, "join_test/test_join").length, 2, "matches and related each read one table");
  const run = runOpaTests({ modules: [{ file: "join_test.rego", text }], data: {}, regoVersion: "v1" });
  assert.equal(run.results.map((r) => [r.name, r.fail ?? false, r.error?.code]), [["test_join", false, undefined]]);
});

test("a key seen twice in a group of an indexed object comprehension keeps the last value, as OPA's table does", () => {
  const text = 'package o\nxs := [{"k": "a", "v": 1}, {"k": "b", "v": 2}, {"k": "a", "v": 3}]\nr[k] := o if {\n\tsome k in ["a", "b"]\n\to := {x.k: x.v | some x in xs; x.k == k}\n}\n';
  assert.equal(tables(text, "o/r").length, 1);
  assert.equal(evalQuery({ "o.rego": text }, "data.o.r"), [{ a: { a: 3 }, b: { b: 2 } }]);
});

test.run();
