// Objects printed as gator's Go encoders print them: go-yaml v2 after a JSON round trip (numbers
// are float64: Go's %g form) and encoding/json's MarshalIndent.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compareGo, goFormatFloat, goYamlV2Ambiguous, toGoJson, toGoYaml } from "../../src/testing/go-yaml.js";

test("numbers are written as Go writes a float64 (strconv 'g', shortest)", () => {
  const cases: [number, string][] = [
    [80, "80"],
    [100000, "100000"],
    [1000000, "1e+06"],
    [1234567, "1.234567e+06"],
    [1.5, "1.5"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [-2.5, "-2.5"],
    [0, "0"],
    [1e21, "1e+21"],
  ];
  for (const [n, want] of cases) assert.is(goFormatFloat(n), want, String(n));
});

test("strings go-yaml v2 would read as another type are double-quoted; others plain or single-quoted", () => {
  for (const s of ["", "80", "yes", "n", "On", "null", "~", "1.5", "0x1F", "1e+3", "1:20", "2024-01-02", ".inf"]) assert.ok(goYamlV2Ambiguous(s), s);
  for (const s of ["nginx", "1e3", "1.", "a: b", "v1", "0.1.2"]) assert.not.ok(goYamlV2Ambiguous(s), s);
  assert.is(
    toGoYaml({ z: ["a", { b: "80", c: "", d: "*.example.com", e: "ok", f: 3, g: null, h: true, i: [], j: {} }], a: "line1\nline2\n" }),
    `a: |
  line1
  line2
z:
- a
- b: "80"
  c: ""
  d: '*.example.com'
  e: ok
  f: 3
  g: null
  h: true
  i: []
  j: {}
`,
  );
});

test("JSON: keys sorted, four spaces, HTML characters escaped as encoding/json does, no final newline", () => {
  assert.is(toGoJson({ b: "<&>", a: [1, {}] }), '{\n    "a": [\n        1,\n        {}\n    ],\n    "b": "\\u003c\\u0026\\u003e"\n}');
});

test("strings compare as Go compares them: by their UTF-8 bytes (characters above U+FFFF after U+E000–U+FFFF; lone surrogates as U+FFFD)", () => {
  const units = ["a", "b", "é", "\u07ff", "\u0800", "\ue000", "\uff5e", "\uffff", "\ufffd", "\ud83d\ude80", "\udbff\udfff", "\ud83d", "\ude80", "\u0000"];
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const word = () => Array.from({ length: Math.floor(next() * 5) }, () => units[Math.floor(next() * units.length)]).join("");
  for (let i = 0; i < 20000; i++) {
    const [a, b] = [word(), word()];
    assert.is(Math.sign(compareGo(a, b)), Math.sign(Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"))), JSON.stringify([a, b]));
  }
  assert.ok(compareGo("\uff5e", "\u{1f680}") < 0 && "\uff5e" > "\u{1f680}", "UTF-16 order differs");
});

test.run();
