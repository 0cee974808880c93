import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseModule, parseQuery, parseTerm } from "../../../src/engine/rego/index.js";
import { dumpBody, dumpModule, dumpTerm } from "../../../src/engine/rego/dump.js";

const v1 = { file: "t.rego", regoVersion: "v1" as const };
const v0 = { file: "t.rego", regoVersion: "v0" as const };
const q = (s: string, o = v1) => dumpBody(parseQuery(s, o));
const t = (s: string, o = v1) => dumpTerm(parseTerm(s, o));
/** The rules of a module, one dump per line, without the package line. */
const rules = (s: string, o = v1) => dumpModule(parseModule(`package p\n${s}`, o)).split("\n").slice(1).join("\n");

const queries: [string, string][] = [
  ["data.test.p = x", "{(eq (ref data \"test\" \"p\") x)}"],
  ["x := 1; y := x + 1", "{(assign x 1); (assign y (plus x 1))}"],
  ["x := 1\ny := 2", "{(assign x 1); (assign y 2)}"],
  ["a == b", "{(equal a b)}"],
  ["a != b", "{(neq a b)}"],
  ["1 + 2 * 3 - 4 / 5 % 6", "{(minus (plus 1 (mul 2 3)) (rem (div 4 5) 6))}"],
  ["x = a | b & c", "{(eq x (or a (and b c)))}"],
  ["x = a + b | c", "{(eq x (or (plus a b) c))}"],
  ["a < b == true", "{(equal (lt a b) true)}"],
  ["a <= b; c > d; e >= f", "{(lte a b); (gt c d); (gte e f)}"],
  ["x in xs", "{(internal.member_2 x xs)}"],
  ["k, v in xs", "{(internal.member_3 k v xs)}"],
  ["x in xs == y", "{(internal.member_2 x (equal xs y))}"],
  ["f(x, y)", "{(f x y)}"],
  ["object.get(o, \"k\", null)", "{(object.get o \"k\" null)}"],
  ["data.lib.f(1)", "{(data.lib.f 1)}"],
  ["x = f(1).y[0]", "{(eq x (ref (f 1) \"y\" 0))}"],
  ["x = [1, 2][0]", "{(eq x (ref (array 1 2) 0))}"],
  ["x = {\"a\": 1}.a", "{(eq x (ref (object (\"a\" 1)) \"a\"))}"],
  ["input.a[b][\"c\"].d", "{(ref input \"a\" b \"c\" \"d\")}"],
  ["input", "{(ref input)}"],
  ["not x", "{(not x)}"],
  ["not f(x)", "{(not (f x))}"],
  ["some x", "{(some x)}"],
  ["some x, y", "{(some x y)}"],
  ["some x in xs", "{(some (internal.member_2 x xs))}"],
  ["some k, v in xs", "{(some (internal.member_3 k v xs))}"],
  ["every x in xs { x > 0 }", "{(every x xs {(gt x 0)})}"],
  ["every k, v in xs { k; v }", "{(every k v xs {k; v})}"],
  ["p with input as 1 with data.x as y", "{p (with (ref input) 1) (with (ref data \"x\") y)}"],
  ["x := [y | y := xs[_]]", "{(assign x (arraycomp y {(assign y (ref xs _))}))}"],
  ["x := {y | y := 1; true}", "{(assign x (setcomp y {(assign y 1); true}))}"],
  ["x := {k: v | k := 1\nv := 2}", "{(assign x (objectcomp k v {(assign k 1); (assign v 2)}))}"],
  ["x := {a | b}", "{(assign x (setcomp a {b}))}"],
  ["x := {a + 1: b}", "{(assign x (object ((plus a 1) b)))}"],
  ["x := {1, 2}", "{(assign x (set 1 2))}"],
  ["x := {}", "{(assign x (object))}"],
  ["x := set()", "{(assign x (set))}"],
  ["x := {1 | 2, 3}", "{(assign x (set (or 1 2) 3))}"],
  ["x := [\n  1,\n  2,\n]", "{(assign x (array 1 2))}"],
  ["x := (1 +\n 2)", "{(assign x (plus 1 2))}"],
  ["x := -1.5e3", "{(assign x -1.5e3)}"],
  ["x := 1 - 1", "{(assign x (minus 1 1))}"],
  ["x := 123456789012345678901234567890", "{(assign x 123456789012345678901234567890)}"],
  ["x := .5", "{(assign x 0.5)}"],
  ["x := \"a\\n\\u00e9\\\"\"", "{(assign x \"a\\né\\\"\")}"],
  ["x := `a\\n`", "{(assign x \"a\\\\n\")}"],
  ["x := [null, true, false]", "{(assign x (array null true false))}"],
  ["x := $\"a{1 + 2}b{y}\"", "{(assign x (template \"a\" (plus 1 2) \"b\" y \"\"))}"],
  ["x := $\"\\{no}\"", "{(assign x (template \"{no}\"))}"],
  ["x := $\"{ {1} }\"", "{(assign x (template \"\" (set 1) \"\"))}"],
  ["x := $`a\n{y}`", "{(assign x (template` \"a\\n\" y \"\"))}"],
];

for (const [src, want] of queries) {
  test(`query ${JSON.stringify(src)}`, () => assert.is(q(src), want));
}

test("whitespace before ( [ . ends a term: `f (x)` is not a call", () => {
  assert.throws(() => q("f (x)"));
  assert.throws(() => q("x = [1] [0]"));
});

test("a rule head may have whitespace between its name and the first [ ( . (as OPA's parser)", () => {
  assert.is(rules("violation [{\"msg\": msg}] { msg := \"x\" }", v0), "(rule multi (ref violation) (contains (object (\"msg\" msg))) {(assign msg \"x\")})");
  assert.is(rules("deny\n  [msg] { msg := 1 }", v0), "(rule multi (ref deny) (contains msg) {(assign msg 1)})");
  assert.is(rules("f (x) = y { y := x }", v0), "(rule single (ref f) (args x) = y {(assign y x)})");
  assert.is(rules("p .q := 1"), "(rule single (ref p \"q\") := 1 {})");
  assert.is(rules("p [x] := 1 if x := 2"), "(rule single (ref p x) := 1 {(assign x 2)})");
  // Only the first part may follow whitespace; in bodies whitespace still ends a term.
  assert.throws(() => rules("p.q [x] := 1 if x := 2"));
  assert.throws(() => rules("p if { f (1) }"));
});

test("keywords as reference heads and path elements", () => {
  assert.is(q("not.foo == 1"), "{(equal (ref not \"foo\") 1)}");
  assert.is(q("foo.not == 2"), "{(equal (ref foo \"not\") 2)}");
  assert.is(q("true.foo(1) == 1"), "{(equal (true.foo 1) 1)}");
  assert.is(q("data.foo.if.bar"), "{(ref data \"foo\" \"if\" \"bar\")}");
  assert.is(q("contains(x, \"a\")"), "{(contains x \"a\")}");
});

test("v0 without future imports treats in/if/contains/every as names", () => {
  assert.is(q("in := 1", v0), "{(assign in 1)}");
  assert.is(q("x = if", v0), "{(eq x if)}");
});

test("terms (input_term)", () => {
  assert.is(t("{1, \"a\", [1]}"), "(set 1 \"a\" (array 1))");
  assert.is(t("{[1]: {2}}"), "(object ((array 1) (set 2)))");
});

test("rules: complete, partial, functions, default, else, ref heads (v1)", () => {
  assert.is(rules("p := 1"), "(rule single (ref p) := 1 {})");
  assert.is(rules("p = 1 if { true }"), "(rule single (ref p) = 1 {true})");
  assert.is(rules("p if input.x"), "(rule single (ref p) {(ref input \"x\")})");
  assert.is(rules("p contains x if { x := 1 }"), "(rule multi (ref p) (contains x) {(assign x 1)})");
  assert.is(rules("p contains \"a\""), "(rule multi (ref p) (contains \"a\") {})");
  assert.is(rules("p[x] := y if { y := 1; x := 2 }"), "(rule single (ref p x) := y {(assign y 1); (assign x 2)})");
  assert.is(rules("p[q].r := i if { true }"), "(rule single (ref p q \"r\") := i {true})");
  assert.is(rules("a.b.c := 1"), "(rule single (ref a \"b\" \"c\") := 1 {})");
  assert.is(rules("p[x] if { x := 1 }"), "(rule single (ref p x) {(assign x 1)})");
  assert.is(rules("f(x) := x + 1"), "(rule single (ref f) (args x) := (plus x 1) {})");
  assert.is(rules("f(x, _) if { x }"), "(rule single (ref f) (args x _) {x})");
  assert.is(rules("default p := false"), "(rule default single (ref p) := false {})");
  assert.is(rules("default f(_) := 1"), "(rule default single (ref f) (args _) := 1 {})");
  assert.is(
    rules("p := 1 if { a } else := 2 if { b } else := 3"),
    "(rule single (ref p) := 1 {a} (else single (ref p) := 2 {b} (else single (ref p) := 3 {})))",
  );
  assert.is(rules("p if { a } else if { b }"), "(rule single (ref p) {a} (else single (ref p) {b}))");
  assert.is(rules("p if {x: 1 | x := 1}"), "(rule single (ref p) {(objectcomp x 1 {(assign x 1)})})");
  assert.is(rules("p if {}"), "(rule single (ref p) {(object)})");
  assert.is(rules("as.foo := 1"), "(rule single (ref as \"foo\") := 1 {})");
  assert.is(rules("if.foo contains \"a\" if { true }"), "(rule multi (ref if \"foo\") (contains \"a\") {true})");
});

test("rules (v0): partial sets/objects, multiple bodies, bare heads", () => {
  assert.is(rules("violation[{\"msg\": msg}] { msg := \"x\" }", v0), "(rule multi (ref violation) (contains (object (\"msg\" msg))) {(assign msg \"x\")})");
  assert.is(rules("p[k] = v { k := 1; v := 2 }", v0), "(rule single (ref p k) = v {(assign k 1); (assign v 2)})");
  assert.is(rules("p { a } { b }", v0), "(rule single (ref p) {a})\n(rule single (ref p) {b})");
  assert.is(rules("p = 1", v0), "(rule single (ref p) = 1 {})");
  assert.is(rules("p { a } else = 2 { b }", v0), "(rule single (ref p) {a} (else single (ref p) = 2 {b}))");
  assert.is(rules("f(x) = y { y := x }", v0), "(rule single (ref f) (args x) = y {(assign y x)})");
});

test("future keyword imports and rego.v1 in v0 modules", () => {
  const m = parseModule("package a\nimport future.keywords.in\nimport future.keywords.if\np if { 1 in [1] }", v0);
  assert.is(dumpModule(m), "(package (ref data \"a\"))\n(import (ref future \"keywords\" \"in\"))\n(import (ref future \"keywords\" \"if\"))\n(rule single (ref p) {(internal.member_2 1 (array 1))})");
  const all = parseModule("package a\nimport future.keywords\np contains x if { every y in [1] { y }; x := 1 }", v0);
  assert.is(all.rules.length, 1);
  assert.is(all.rules[0]!.head.kind, "multi");
  const every = parseModule("package a\nimport future.keywords.every\np { every y in [1] { y } }", v0);
  assert.is(every.rules[0]!.body[0]!.expr.kind, "every");
  const r = parseModule("package a\nimport rego.v1\np contains 1 if true", v0);
  assert.is(r.rules[0]!.head.kind, "multi");
});

test("packages and imports with keywords and aliases", () => {
  const m = parseModule("package foo.if.bar\nimport data.foo.not as x\nimport input.a.b\nimport data.c", v1);
  assert.is(dumpModule(m), "(package (ref data \"foo\" \"if\" \"bar\"))\n(import (ref data \"foo\" \"not\") as x)\n(import (ref input \"a\" \"b\"))\n(import (ref data \"c\"))");
});

test("locations are 1-based rows/cols with 0-based offsets", () => {
  const m = parseModule("package p\n\np := 1 if {\n\tx := input.a\n}\n", { file: "f.rego", regoVersion: "v1" });
  const r = m.rules[0]!;
  assert.equal([r.loc.row, r.loc.col, r.loc.offset, r.loc.file], [3, 1, 11, "f.rego"]);
  const e = r.body[0]!;
  assert.equal([e.loc.row, e.loc.col], [4, 2]);
  const rhs = (e.expr as { args: { loc: { row: number; col: number; offset: number; end: number } }[] }).args[1]!;
  assert.equal([rhs.loc.row, rhs.loc.col], [4, 7]);
  assert.is("package p\n\np := 1 if {\n\tx := input.a\n}\n".slice(rhs.loc.offset, rhs.loc.end), "input.a");
  assert.is(m.package.loc.row, 1);
});

test("comments are kept in Module.comments", () => {
  const m = parseModule("# top\npackage p # after\n\n# rule\np := 1", v1);
  assert.equal(m.comments.map((c) => [c.text, c.loc.row, c.loc.col]), [[" top", 1, 1], [" after", 2, 11], [" rule", 4, 1]]);
});

test.run();
