// Documents: big integers in data files and inputs keep every digit (OPA's json.Number), and every
// reader of documents (eval -d/-i, test PATH data, suite objects) refuses FIFOs and devices.
import { rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { exactJsonText } from "../../../src/engine/eval/documents.js";
import { parseJson } from "../../../src/engine/builtins/json.js";
import { readYamlFile, isDiagnostic } from "../../../src/testing/yaml-files.js";
import { runCli, writeTree } from "../../support/cli.js";

const BIG = "123456789012345678901234567890";

const tree = (files: Record<string, string>) => writeTree("policyc-docs-", files);

const cli = (argv: string[], cwd: string) => runCli(argv, cwd);

test("exactJsonText prints exact numbers unquoted and leaves look-alike strings alone", () => {
  const v = parseJson(`{"n": ${BIG}, "s": "\\u0000x:1", "a": [9007199254740993, 1.5]}`);
  assert.is(exactJsonText(v), `{"n":${BIG},"s":"\\u0000x:1","a":[9007199254740993,1.5]}`);
  assert.is(exactJsonText({ b: 2n ** 70n }), `{"b":1180591620717411303424}`);
});

test("eval: big integers in JSON data files and inputs evaluate and print exactly; YAML's as go-yaml v2 reads them (int64/uint64 exact, larger ones float64)", async () => {
  const dir = tree({
    "d.json": `{"n": ${BIG}, "s": 9007199254740993}`,
    "y/data.yaml": `m: 18446744073709551615\nneg: -9223372036854775808\nbig: ${BIG}\nf: 0.12345678901234567890\n`,
    "in.json": `{"a": ${BIG}}`,
    "in.yaml": `a: 9007199254740993\n`,
  });
  try {
    const r = await cli(["eval", "-d", "d.json", "-d", "y", "-i", "in.json", "--format", "pretty", "[data.n, data.s, data.m, data.neg, input.a, input.a + 1, input.a == data.n]"], dir);
    assert.is(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.replace(/(-?\d{16,})/g, '"$1"'));
    assert.equal(out, [BIG, "9007199254740993", "18446744073709551615", "-9223372036854775808", BIG, "123456789012345678901234567891", true]);
    const y = await cli(["eval", "-i", "in.yaml", "--format", "pretty", "input.a"], dir);
    assert.is(y.stdout.trim(), "9007199254740993");
    // Past uint64, go-yaml v2 reads a float64: the nearest double, as OPA then holds it.
    const f = await cli(["eval", "-d", "y", "--format", "pretty", "[data.big == 1.2345678901234568e+29, data.big == " + BIG + ", data.f == 0.12345678901234568]"], dir);
    assert.is(f.stdout.replace(/\s/g, ""), "[true,false,true]");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("test PATH: data files keep big integers exact", async () => {
  const dir = tree({
    "p/data.json": `{"n": ${BIG}}`,
    "p_test.rego": `package p\n\ntest_exact if data.p.n == ${BIG}\n\ntest_plus if data.p.n + 1 == 123456789012345678901234567891\n`,
  });
  try {
    const r = await cli(["test", "."], dir);
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /2 passed, 0 failed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("test PATH and suite objects refuse a FIFO and /dev/zero with PC5588 instead of reading forever", async () => {
  const dir = tree({ "p_test.rego": "package p\n\ntest_a if true\n" });
  try {
    execFileSync("mkfifo", [path.join(dir, "pipe.json")]);
    symlinkSync("/dev/zero", path.join(dir, "zero.yaml"));
    const r = await cli(["test", "."], dir);
    assert.is(r.code, 1);
    assert.match(r.stderr, /PC5588: pipe\.json is not a regular file/);
    assert.match(r.stderr, /PC5588: zero\.yaml is not a regular file/);
    const obj = readYamlFile(path.join(dir, "zero.yaml"), "object", "object", "zero.yaml");
    assert.ok(isDiagnostic(obj) && obj.code === "PC5588");
    const fifo = readYamlFile(path.join(dir, "pipe.json"), "object", "object", "pipe.json");
    assert.ok(isDiagnostic(fifo) && fifo.code === "PC5588");
    writeFileSync(path.join(dir, "deep.yaml"), "a: " + "[".repeat(1200) + "]".repeat(1200) + "\n");
    const deep = readYamlFile(path.join(dir, "deep.yaml"), "object", "object", "deep.yaml");
    assert.ok(isDiagnostic(deep) && deep.code === "PC5590" && deep.span?.col === 1004, JSON.stringify(deep));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("walk over a large input is linear: 100,000 nodes through eval -i", async () => {
  const items = Array.from({ length: 10_000 }, (_, i) => ({ name: `n${i}`, labels: { app: "web", tier: "x" }, spec: { ports: [80, 443, 8080] } }));
  const dir = tree({ "in.json": JSON.stringify({ items }) });
  try {
    const r = await cli(["eval", "-i", "in.json", "--format", "pretty", "count([1 | walk(input, _)])"], dir);
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout.trim(), "100002");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
