import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Body, Expr, Location, Module, RefTerm, Rule, RuleHead, Term } from "../../../src/engine/rego/ast.js";
import { formatExpr, formatModule, formatQuery, formatSource, formatTerm, parseModule, parseQuery, parseTerm } from "../../../src/engine/rego/index.js";

// Hand-built ASTs, as the transpiler's emitters make them: every location is the same dummy.
const L: Location = { file: "<emit>", row: 0, col: 0, offset: 0, end: 0 };
const v = (name: string): Term => ({ type: "var", name, loc: L });
const s = (value: string): Term => ({ type: "string", value, loc: L });
const n = (value: number | string): Term => ({ type: "number", value: String(value), loc: L });
const ref = (head: string, ...path: (string | Term)[]): RefTerm => ({
  type: "ref",
  terms: [v(head), ...path.map((p) => (typeof p === "string" ? s(p) : p))],
  loc: L,
});
const op = (name: string): RefTerm => (name.includes(".") ? ref(name.split(".")[0]!, ...name.split(".").slice(1)) : ref(name));
const call = (name: string, ...args: Term[]): Term => ({ type: "call", operator: op(name), args, loc: L });
const expr = (t: Term, extra: Partial<Expr> = {}): Expr => ({
  type: "expr",
  negated: false,
  expr: t.type === "call" ? { kind: "call", operator: t.operator, args: t.args } : { kind: "term", term: t },
  with: [],
  loc: L,
  ...extra,
});
const head = (name: string, h: Partial<RuleHead> = {}): RuleHead => ({ ref: ref(name), assign: true, kind: "single", loc: L, ...h });
const rule = (h: RuleHead, body: Body = [], extra: Partial<Rule> = {}): Rule => ({ type: "rule", default: false, head: h, body, loc: L, ...extra });
const mod = (rules: Rule[]): Module => ({
  type: "module",
  package: { type: "package", path: ref("data", "k8s", "demo"), loc: L },
  imports: [],
  rules,
  comments: [],
  regoVersion: "v1",
  file: "<emit>",
});

const sample = mod([
  rule(head("allow", { value: { type: "boolean", value: false, loc: L } }), [], { default: true }),
  rule(head("violation", { kind: "multi", key: { type: "object", items: [[s("msg"), v("msg")]], loc: L } }), [
    expr(call("assign", v("c"), ref("input", "review", "object", "spec", "containers", v("_")))),
    expr(call("startswith", ref("c", "image"), s("nginx")), { negated: true }),
    expr(call("assign", v("msg"), call("sprintf", s("container <%v> is bad"), { type: "array", items: [ref("c", "name")], loc: L }))),
  ]),
  rule(head("f", { args: [v("x")], value: call("plus", v("x"), n(1)) })),
]);

test("prints a hand-built module as v1", () => {
  assert.is(
    formatModule(sample, { regoVersion: "v1" }),
    [
      "package k8s.demo",
      "",
      "default allow := false",
      "",
      'violation contains {"msg": msg} if {',
      "\tc := input.review.object.spec.containers[_]",
      '\tnot startswith(c.image, "nginx")',
      '\tmsg := sprintf("container <%v> is bad", [c.name])',
      "}",
      "",
      "f(x) := x + 1",
      "",
    ].join("\n"),
  );
});

test("prints the same module as v0 (Gatekeeper's legacy syntax)", () => {
  const out = formatModule(sample, { regoVersion: "v0" });
  assert.ok(out.includes('violation[{"msg": msg}] {\n\tc := input'), out);
  assert.ok(out.includes("default allow := false"), out);
  assert.not.ok(out.includes(" if "), out);
  // and it parses back as v0 to the same rules
  assert.is(parseModule(out, { file: "x", regoVersion: "v0" }).rules.length, 3);
});

test("v0 output imports the future keywords it needs", () => {
  const m = mod([rule(head("p", { value: undefined }), [expr(call("internal.member_2", n(1), v("xs")))])]);
  const out = formatModule(m, { regoVersion: "v0" });
  assert.ok(out.includes("import future.keywords.in\n"), out);
  assert.ok(out.includes("\t1 in xs\n"), out);
});

test("parenthesizes by precedence and associativity", () => {
  assert.is(formatTerm(call("mul", call("plus", n(1), n(2)), n(3))), "(1 + 2) * 3");
  assert.is(formatTerm(call("plus", n(1), call("mul", n(2), n(3)))), "1 + 2 * 3");
  assert.is(formatTerm(call("minus", n(1), call("minus", n(2), n(3)))), "1 - (2 - 3)");
  assert.is(formatTerm(call("minus", call("minus", n(1), n(2)), n(3))), "1 - 2 - 3");
  assert.is(formatTerm({ type: "array", items: [call("or", v("a"), v("b"))], loc: L }), "[(a | b)]");
  assert.is(formatTerm({ type: "set", items: [], loc: L }), "set()");
  assert.is(formatTerm({ type: "object", items: [], loc: L }), "{}");
  assert.is(formatTerm(ref("x", "a-b", n(0), "c")), 'x["a-b"][0].c');
  assert.is(formatTerm(ref("data", "foo", "if")), "data.foo.if");
});

test("prints some, every, with, comprehensions and template strings", () => {
  const body = parseQuery(
    "some k, v in xs\nevery x in xs { x > 0 }\np with input.a as 1\nys := [y | some y in xs; y > 1]\nm := $\"a{1 + x}\\{b\"",
    { file: "q", regoVersion: "v1" },
  );
  assert.is(
    formatQuery(body),
    'some k, v in xs\nevery x in xs {\n\tx > 0\n}\np with input.a as 1\nys := [y | some y in xs; y > 1]\nm := $"a{1 + x}\\{b"',
  );
});

test("wraps long calls and collections at the print width with trailing commas", () => {
  const items = Array.from({ length: 12 }, (_, i) => s(`registry-${i}.example.com/`));
  const out = formatExpr(expr(call("assign", v("repos"), { type: "array", items, loc: L })), { regoVersion: "v1", printWidth: 60 });
  const lines = out.split("\n");
  assert.is(lines[0], "repos := [");
  assert.is(lines[1], '\t"registry-0.example.com/",');
  assert.is(lines[lines.length - 1], "]");
  // the wrapped form is still valid Rego with the same meaning
  assert.is(formatTerm(parseTerm(out.slice("repos := ".length), { file: "t", regoVersion: "v1" })).length > 0, true);
});

test("keeps comments: header, before rules and expressions, trailing", () => {
  const src = "# header\npackage p\n\n# about p\np if {\n\t# inside\n\tx := 1 # trailing\n\t# last\n}\n";
  const out = formatModule(parseModule(src, { file: "c", regoVersion: "v1" }), { regoVersion: "v1" }, src);
  assert.is(out, "# header\npackage p\n\n# about p\np if {\n\t# inside\n\tx := 1 # trailing\n\t# last\n}\n");
});

test("keeps one blank line between expressions where the source had blank lines", () => {
  const src = "package p\n\np if {\n\ta\n\n\n\tb\n\tc\n}\n";
  const out = formatModule(parseModule(src, { file: "c", regoVersion: "v1" }), { regoVersion: "v1" }, src);
  assert.is(out, "package p\n\np if {\n\ta\n\n\tb\n\tc\n}\n");
});

test("formatSource formats text and converts v0 to v1", () => {
  const v0 = 'package p\n\n# deny\nviolation[{"msg": msg}] {\n  msg := "x"   # why\n}\n';
  assert.is(formatSource(v0, { file: "a.rego", regoVersion: "v0" }), 'package p\n\n# deny\nviolation[{"msg": msg}] {\n\tmsg := "x" # why\n}\n');
  assert.is(
    formatSource(v0, { file: "a.rego", regoVersion: "v0", outputVersion: "v1" }),
    'package p\n\n# deny\nviolation contains {"msg": msg} if {\n\tmsg := "x" # why\n}\n',
  );
});

test("else chains in v1 and v0", () => {
  const src = "package p\n\np := 1 if {\n\tinput.a\n} else := 2 if {\n\tinput.b\n} else := 3\n";
  const m = parseModule(src, { file: "e", regoVersion: "v1" });
  assert.is(formatModule(m, { regoVersion: "v1" }), src);
  assert.is(formatModule(m, { regoVersion: "v0" }), "package p\n\np := 1 {\n\tinput.a\n} else := 2 {\n\tinput.b\n} else := 3\n");
});

test("a body starting with `a | b` is not read back as a set comprehension", () => {
  for (const src of ["package p\n\np if {\n\t(x | y)\n}\n", "package p\n\np if {\n\t(x | y) == z\n\tq\n}\n"]) {
    const m = parseModule(src, { file: "o", regoVersion: "v1" });
    assert.is(m.rules[0]!.body[0]!.expr.kind, "call");
    assert.is(formatModule(m, { regoVersion: "v1" }), src);
  }
});

test.run();
