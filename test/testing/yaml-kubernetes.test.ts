// The one YAML reader reads objects as Kubernetes does (sigs.k8s.io/yaml on go-yaml v2), and says
// what is wrong with a file that is not readable UTF-8 YAML.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isDiagnostic, MAX_YAML_BYTES, parseYamlText, readYamlFile } from "../../src/testing/yaml-files.js";

const value = (text: string, flavor: "object" | "suite" = "object") => {
  const f = parseYamlText(text, "x.yaml", flavor);
  if (isDiagnostic(f)) throw new Error(f.message);
  return f.docs[0]!.value as Record<string, unknown>;
};

test("scalars resolve as go-yaml v2 resolves them for an untyped field", () => {
  const v = value(
    [
      "a: yes", "b: On", "c: N", "d: off", "e: TRUE", "f: y",
      "g: 0777", "h: 0o777", "i: 0x1F", "j: 0b101", "k: 1_000",
      "l: 1:20", "m: 190:20:30.5", "date: 2001-12-14", "o: 2001-12-14t21:59:43.10-05:00", "y: key",
      "p: ~", "q: Null", "r: 1e3", "s: .5", "t: '0777'", "u: 12.50",
      "v: 1e+3", "w: 1.", "x: 0X1F", "z: -0b101", "aa: 08", "ab: 1.5e3", "ac: -_1", "ad: .5e3", "ae: .",
    ].join("\n"),
  );
  assert.equal(v, {
    a: true, b: true, c: false, d: false, e: true, f: true,
    g: 511, h: 511, i: 31, j: 5, k: 1000,
    l: "1:20", m: "190:20:30.5", date: "2001-12-14", o: "2001-12-14t21:59:43.10-05:00",
    // A `y` key is the boolean true, which sigs.k8s.io/yaml turns into the JSON key "true".
    true: "key",
    // v2's float pattern needs a signed exponent and a digit after the point (v3 relaxed it).
    p: null, q: null, r: "1e3", s: 0.5, t: "0777", u: 12.5,
    v: 1000, w: "1.", x: 31, z: -5, aa: 8, ab: "1.5e3", ac: -1, ad: 500, ae: ".",
  });
  // Suites are YAML 1.2, as gator reads them.
  assert.equal(value("a: yes\nb: 0777\nc: true", "suite"), { a: "yes", b: 777, c: true });
});

test("a block scalar that ends the text without a line break has none: clip, keep and folded alike; strip and inner scalars unchanged", () => {
  const script = (text: string, flavor: "object" | "suite" = "object") => (value(text, flavor).data as Record<string, unknown>).script;
  const doc = (header: string, body: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: example\ndata:\n  script: ${header}\n${body}`;
  // go-yaml (gator, kubectl) keeps a final line break only where the text has one.
  assert.is(script(doc("|", "    value")), "value");
  assert.is(script(doc("|+", "    value")), "value");
  assert.is(script(doc(">", "    one\n    two")), "one two");
  assert.is(script(doc("|", "    value"), "suite"), "value");
  // With the line break, or a marker and another document after it, the value keeps its break(s).
  assert.is(script(doc("|", "    value\n")), "value\n");
  assert.is(script(doc("|+", "    value\n\n")), "value\n\n");
  assert.is(script(doc("|+", "    value\n\n---\n# trailing document\n")), "value\n\n");
  assert.is(script(doc("|-", "    value\n\n")), "value");
  assert.is(script(doc("|-", "    value")), "value");
  // Only the scalar that reaches the end of the text: an earlier one keeps its break.
  assert.equal(value("a: |\n  first\nb: |\n  last").a, "first\n");
  assert.equal(value("a: |\n  first\nb: |\n  last").b, "last");
  // A comment after the scalar ends the text, not the scalar.
  assert.is(script(doc("|", "    value\n# done")), "value\n");
});

test("`.inf` and `.nan` are refused at the value: JSON cannot hold them", () => {
  for (const [text, col] of [["a: 1\nb: .inf\n", 4], ["a: 1\nb: [1, -.Inf]\n", 8], ["a: 1\nb: .NaN\n", 4]] as const) {
    const f = parseYamlText(text, "x.yaml", "object");
    assert.ok(isDiagnostic(f), text);
    assert.equal([f.code, f.span?.line, f.span?.col], ["PC4002", 2, col], text);
    assert.match(f.message, /JSON/);
  }
  assert.equal(value("a: '.inf'"), { a: ".inf" });
});

test("a key given twice is an error at the second occurrence", () => {
  const f = parseYamlText("metadata:\n  name: a\n  labels: {}\n  name: b\n", "x.yaml", "object");
  assert.ok(isDiagnostic(f));
  assert.equal([f.code, f.span?.line, f.span?.col], ["PC4002", 4, 3]);
});

test("files: UTF-16, invalid UTF-8, a directory, a symlink cycle, too large: each said as it is", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "policyc-yaml-"));
  try {
    const p = (n: string) => path.join(dir, n);
    writeFileSync(p("utf16.yaml"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("kind: Pod\n", "utf16le")]));
    writeFileSync(p("latin1.yaml"), Buffer.concat([Buffer.from("kind: Pod\nmetadata:\n  name: caf"), Buffer.from([0xe9]), Buffer.from("\n")]));
    writeFileSync(p("bom.yaml"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("kind: Pod\n")]));
    mkdirSync(p("folder.yaml"));
    symlinkSync(p("loop.yaml"), p("loop.yaml"));
    writeFileSync(p("huge.yaml"), "");
    truncateSync(p("huge.yaml"), MAX_YAML_BYTES + 1);
    const read = (n: string) => readYamlFile(p(n), "object", "object", n);
    const u16 = read("utf16.yaml");
    assert.ok(isDiagnostic(u16));
    assert.equal([u16.code, u16.span?.line], ["PC4051", 1]);
    assert.match(u16.message, /UTF-16/);
    const l1 = read("latin1.yaml");
    assert.ok(isDiagnostic(l1));
    assert.equal([l1.code, l1.span?.line, l1.span?.col], ["PC4051", 3, 12]);
    assert.match(l1.message, /0xe9/);
    const bom = read("bom.yaml");
    assert.not.ok(isDiagnostic(bom));
    assert.equal(bom.docs[0]!.value, { kind: "Pod" });
    const folder = read("folder.yaml");
    assert.ok(isDiagnostic(folder));
    assert.match(folder.message, /is a directory/);
    const loop = read("loop.yaml");
    assert.ok(isDiagnostic(loop));
    assert.match(loop.message, /symlink cycle/);
    const huge = read("huge.yaml");
    assert.ok(isDiagnostic(huge));
    assert.match(huge.message, /too large \(\d+ bytes; the limit is \d+\)/);
    const missing = read("missing.yaml");
    assert.ok(isDiagnostic(missing) && /does not exist/.test(missing.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
