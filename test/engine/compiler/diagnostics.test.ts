// Each compiler diagnostic, raised at its file:line:col by a minimal program.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseModule } from "../../../src/engine/rego/index.js";
import { compileModules } from "../../../src/engine/compiler/index.js";
import { DiagnosticError, type Diagnostic } from "../../../src/diagnostics/index.js";

function errorsOf(src: string, regoVersion: "v0" | "v1" = "v1"): Diagnostic[] {
  const m = parseModule(src, { file: "p.rego", regoVersion });
  try {
    compileModules([m]);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  return [];
}

function expectError(src: string, code: string, line: number, col: number, text?: string, v: "v0" | "v1" = "v1") {
  const ds = errorsOf(src, v);
  const d = ds.find((x) => x.code === code);
  assert.ok(d, `expected ${code}, got ${JSON.stringify(ds.map((x) => `${x.code} ${x.message}`))}`);
  assert.equal(d!.span?.file, "p.rego");
  assert.equal([d!.span?.line, d!.span?.col], [line, col], `${code} position`);
  if (text) assert.ok(d!.message.includes(text), `message "${d!.message}" should include "${text}"`);
}

const cases: [string, string, string, number, number, string?, ("v0" | "v1")?][] = [
  ["unsafe var", "package t\np if {\n  x > 1\n}", "PC5201", 3, 3, "var x is unsafe"],
  ["unsafe head var", "package t\np := y if {\n  true\n}", "PC5201", 2, 6, "var y is unsafe"],
  ["recursion", "package t\np if { q }\nq if { p }", "PC5202", 2, 1, "rego_recursion_error"],
  ["unknown function", "package t\np if {\n  nosuch(1)\n}", "PC5203", 3, 3, "undefined function nosuch"],
  ["wrong arity", "package t\np if {\n  count(1, 2, 3)\n}", "PC5204", 3, 3, "count"],
  ["function vs rule", "package t\nf(x) := 1\nf := 2", "PC5107", 3, 1, "data.t.f"],
  ["single vs multi", "package t\np := 1\np contains 2", "PC5108", 3, 1, "data.t.p"],
  ["function arity conflict", "package t\nf(x) := 1\nf(x, y) := 2", "PC5109", 3, 1],
  ["multiple defaults", "package t\ndefault p := 1\ndefault p := 2", "PC5106", 3, 1],
  ["complete rule with rules below", "package t\np := 1\np.q := 2", "PC5110", 2, 1],
  ["redeclared local", "package t\np if {\n  x := 1\n  x := 2\n}", "PC5205", 4, 3, "var x assigned above"],
  ["declared after use", "package t\np if {\n  x = 1\n  x := 2\n}", "PC5206", 4, 3, "var x referenced above"],
  ["assign to input", "package t\np if {\n  input := 1\n}", "PC5207", 3, 3, "input"],
  ["with on a non-function", "package t\np if {\n  true with nosuch.fn as 1\n}", "PC5209", 3, 13],
  ["some var never used", "package t\np if {\n  some x\n  input.a\n}", "PC5213", 3, 8, "declared var x unused"],
  ["deprecated built-in in v1", "package t\np if {\n  any([true])\n}", "PC5214", 3, 3, "any"],
  // OPA's TestCompilerMockVirtualDocumentPartially, and the same inside a partial object and a ref-head rule.
  ["with into a complete rule's value", "package t\np := {\"a\": 1}\nq := x if {\n  p = x with p.a as 2\n}", "PC5215", 4, 14, "cannot partially replace virtual document(s)"],
  ["with into a partial object's value", "package t\nobj[k] := 1 if some k in [\"a\"]\nq if {\n  obj.a == 9 with data.t.obj.a as 9\n}", "PC5215", 4, 19],
  ["with into a ref-head rule's value", "package t\np[x].r := 1 if some x in [\"k\"]\nq if {\n  true with data.t.p.k.r as 2\n}", "PC5215", 4, 13],
];

for (const [name, src, code, line, col, text, v] of cases) {
  test(`${code}: ${name}`, () => expectError(src, code, line, col, text, v));
}

test("with: replacing a whole rule, a function, a package or base data below no rule compiles", () => {
  const src = `package t
p := {"a": 1}
f(x) := x
g(_) := 2
q if {
  p == 1 with p as 1
  f(1) == 2 with f as g
  data.other == 1 with data.other as 1
  data.base.x.y == 1 with data.base.x.y as 1
  p.a == 1 with data.other.p.a as 1
}`;
  assert.equal(errorsOf(src).map((d) => `${d.code} ${d.message}`), []);
});

test("caller-registered built-ins are known to the arity and unknown-function checks", () => {
  const m = parseModule('package t\np if { test.sleep("1ms") }', { file: "p.rego", regoVersion: "v1" });
  assert.throws(() => compileModules([m]), (e: unknown) => e instanceof DiagnosticError && e.diagnostics.some((d) => d.code === "PC5203"));
  const c = compileModules([m], { extraBuiltins: [{ name: "test.sleep", arity: 1 }] });
  assert.is(c.extraBuiltins.get("test.sleep")?.arity, 1);
});

test("deprecated built-ins are still accepted in v0", () => {
  assert.equal(errorsOf("package t\np { any([true]) }", "v0"), []);
});

test("expressions are reordered for safety instead of rejected", () => {
  assert.equal(errorsOf("package t\np if {\n  x > 1\n  x = input.y\n}"), []);
  assert.equal(errorsOf("package t\np := [y | y > 0; y = input.xs[_]]"), []);
});

// The parser already rejects these forms; the compiler checks them again for ASTs built in code.
test("PC5101: unknown import form in a hand-built AST", () => {
  const m = parseModule("package t\nimport data.foo\np := 1", { file: "p.rego", regoVersion: "v1" });
  m.imports[0]!.path.terms[0] = { type: "var", name: "foo", loc: m.imports[0]!.path.terms[0]!.loc };
  const err = (() => { try { compileModules([m]); } catch (e) { return e as DiagnosticError; } })();
  const d = err?.diagnostics.find((x) => x.code === "PC5101");
  assert.ok(d, "PC5101 reported");
  assert.equal([d!.span?.line, d!.span?.col], [2, 1]);
});

test("PC5105: default rule value with a var in a hand-built AST", () => {
  const m = parseModule("package t\ndefault p := 1", { file: "p.rego", regoVersion: "v1" });
  const v = m.rules[0]!.head.value!;
  m.rules[0]!.head.value = { type: "var", name: "x", loc: v.loc };
  const err = (() => { try { compileModules([m]); } catch (e) { return e as DiagnosticError; } })();
  const d = err?.diagnostics.find((x) => x.code === "PC5105");
  assert.ok(d && d.message.includes("x"), "PC5105 names the var");
  assert.equal([d!.span?.line, d!.span?.col], [v.loc.row, v.loc.col]);
});

test("PC5103: rule named input in a hand-built v1 AST", () => {
  const m = parseModule("package t\nfoo := 1", { file: "p.rego", regoVersion: "v1" });
  const head = m.rules[0]!.head.ref.terms[0]!;
  m.rules[0]!.head.ref.terms[0] = { type: "var", name: "input", loc: head.loc };
  const err = (() => { try { compileModules([m]); } catch (e) { return e as DiagnosticError; } })();
  const d = err?.diagnostics.find((x) => x.code === "PC5103");
  assert.ok(d, "PC5103 reported");
  assert.equal([d!.span?.line, d!.span?.col], [2, 1]);
});

test.run();
