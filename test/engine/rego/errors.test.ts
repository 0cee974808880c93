import { test } from "uvu";
import * as assert from "uvu/assert";
import { renderDiagnostics } from "../../../src/diagnostics/index.js";
import type { RegoVersion } from "../../../src/engine/rego/ast.js";
import { parseModule, parseQuery, parseTerm, RegoParseError } from "../../../src/engine/rego/index.js";

function errorsOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof RegoParseError) return renderDiagnostics(e.diagnostics);
    throw e;
  }
  throw new Error("expected a RegoParseError");
}
const mod = (src: string, regoVersion: RegoVersion = "v1") => errorsOf(() => parseModule(src, { file: "x.rego", regoVersion }));

const cases: [string, RegoVersion, string][] = [
  ["package p\n\np if {\n  x := 1\n", "v1", "x.rego:5:1: error PC5002: expected `}` to close the rule body opened at 3:6, found `EOF`"],
  ["package p\np := [1, 2", "v1", "x.rego:2:11: error PC5002: expected `]` to close the array opened at 2:6, found `EOF`"],
  ["package p\np := f(1 2)", "v1", "x.rego:2:10: error PC5002: expected `,` or `)` to close the call opened at 2:7, found `2`"],
  ["package p\np if { x := 1 y := 2 }", "v1", "x.rego:2:15: error PC5001: expected a newline, `;` or `}`, found `y`"],
  ["package p\np := 1 +", "v1", "x.rego:2:9: error PC5001: expected a term, found `EOF`"],
  ["p := 1", "v1", "x.rego:1:1: error PC5008: expected `package` declaration, found `p`"],
  ["", "v1", "x.rego:1:1: error PC5008: expected `package` declaration, found `EOF`"],
  ["package p\npackage q", "v1", "x.rego:2:1: error PC5008: unexpected second `package` declaration (a module has exactly one)"],
  ["package p\np := \"abc", "v1", "x.rego:2:6: error PC5003: non-terminated string"],
  ["package p\np := \"\\q\"", "v1", "x.rego:2:6: error PC5003: illegal escape sequence"],
  ["package p\np := 01", "v1", "x.rego:2:6: error PC5003: expected number without leading zero"],
  ["package p\np := 1e999999", "v1", "x.rego:2:6: error PC5003: number too big"],
  ["package p\np := x ! y", "v1", "x.rego:2:8: error PC5003: illegal ! character"],
  ["package p\np := \"a\".b", "v1", "x.rego:2:9: error PC5007: illegal reference: a string cannot be dereferenced or called"],
  ["package p\np { true }", "v1", "x.rego:2:3: error PC5005: `if` keyword is required before rule body"],
  ["package p\np[x] { x := 1 }", "v1", "x.rego:2:1: error PC5005: `contains` keyword is required for partial set rules"],
  ["package p\nimport rego.v1\np { true }", "v0", "x.rego:3:3: error PC5005: `if` keyword is required before rule body"],
  ["package p\nimport foo.bar", "v1", "x.rego:2:8: error PC5004: unexpected import path, must begin with one of data, future, input, rego, got: foo"],
  ["package p\nimport future.keywords.when", "v1", "x.rego:2:24: error PC5004: unexpected keyword in import, must be one of: contains, every, if, in, got: when"],
  ["package p\ndefault p := x", "v1", "x.rego:2:9: error PC5006: illegal default rule (value cannot contain var)"],
  ["package p\ndefault f(x, x) := 1", "v1", "x.rego:2:14: error PC5006: illegal default rule (arguments cannot be repeated x)"],
  ["package p\ndefault f(1) := 1", "v1", "x.rego:2:11: error PC5006: illegal default rule (arguments cannot contain number)"],
  ["package p\ndefault p", "v1", "x.rego:2:9: error PC5006: default rule `p` must have a value (e.g. `default p := false`)"],
  ["package p\np contains x if { x := 1 } else := 2", "v1", "x.rego:2:28: error PC5006: else keyword cannot be used on multi-value rules"],
  ["package p\ninput := 1", "v1", "x.rego:2:1: error PC5006: rules must not shadow input (use a different rule name)"],
  ["package p\ndata.x := 1 if true", "v1", "x.rego:2:1: error PC5006: rules must not shadow data (use a different rule name)"],
  ["package p\np if { not some x }", "v1", "x.rego:2:12: error PC5010: illegal negation of `some`"],
  ["package p\np if { every x in xs }", "v1", "x.rego:2:22: error PC5001: expected `{` to start the body of `every`, found `}`"],
  ["package p\np := $\"{x := 1}\"", "v1", "x.rego:2:9: error PC5009: unexpected assignment (`:=`) in template-string expression"],
  [
    "package p\np { some x in xs }",
    "v0",
    "x.rego:2:12: error PC5001: expected a newline, `;` or `}`, found `in`\n  note: `import future.keywords.in` for `some x in xs` expressions",
  ],
  [
    "package p\np if { true }",
    "v0",
    "x.rego:2:3: error PC5001: expected a newline before the next statement, found `if`\n  note: `import future.keywords.if` (or `import rego.v1`) to use `if` in Rego v0",
  ],
];

for (const [src, version, want] of cases) {
  test(`error: ${JSON.stringify(src)} (${version})`, () => assert.is(mod(src, version), want));
}

test("reports one error per broken statement and resumes at the next line in column 1", () => {
  const src = "package p\n\na := [1,\nb := 2\n\nc := )\n\nd := 3\n\ne := {\n";
  assert.is(
    mod(src),
    [
      "x.rego:4:3: error PC5002: expected `,` or `]` to close the array opened at 3:6, found `:=`",
      "x.rego:6:6: error PC5001: expected a term, found `)`",
      "x.rego:11:1: error PC5001: expected a term, found `EOF`",
    ].join("\n"),
  );
});

test("query and term errors", () => {
  assert.is(errorsOf(() => parseQuery("x := ", { file: "q", regoVersion: "v1" })), "q:1:6: error PC5001: expected a term, found `EOF`");
  assert.is(errorsOf(() => parseQuery("", { file: "q", regoVersion: "v1" })), "q:1:1: error PC5001: expected a query, found `EOF`");
  assert.is(errorsOf(() => parseTerm("{1, 2} x", { file: "t", regoVersion: "v1" })), "t:1:8: error PC5001: expected the end of the term, found `x`");
});

test("deep nesting is a diagnostic, not a stack overflow", () => {
  const deep = "package p\np := " + "[".repeat(5000) + "]".repeat(5000);
  assert.match(mod(deep), /PC5011: expression nested deeper than \d+ levels/);
});

test.run();
