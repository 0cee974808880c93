/**
 * The YAML serializer: the cache of string renderings never changes a byte of what the yaml package
 * itself prints, for strings that need quoting, look like other types, or sit at other positions.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse, stringify } from "yaml";
import { toYaml, toYamlSequence, yamlSequenceItem, YamlShared } from "../../src/emit/yaml.js";

const TRICKY = [
  "plain", "", " lead", "trail ", "true", "False", "null", "~", "1", "0x1F", "1e3", "-1", ".5", "1.0",
  "a: b", "a:b", "- x", "-", "? q", "#c", "a #c", "x#y", "---", "--- x", "...", "%TAG", "@at", "`tick", "'q'", "\"dq\"",
  "[a]", "{a}", "a, b", "*ref", "&anchor", "!tag", "|", ">", "\t", "tab\there", "ünïcödé", "emoji 🙂", "\u0007bell",
  "two\nlines", "trailing\n", "\n", "a\n\nb", "k8s.io/name=value", "2024-01-01", "12:30", "NaN", ".inf", "<<",
];

/** The same options as toYaml, without the cache. */
const plain = (o: unknown) => stringify(o, { lineWidth: 0, minContentWidth: 0, indent: 2, aliasDuplicateObjects: false, directives: false });

test("every tricky string, as a value, a key, in lists and nested, prints exactly as the yaml package prints it", () => {
  const keys: Record<string, string> = {};
  for (const s of TRICKY) if (s !== "") keys[s] = s;
  const object: Record<string, unknown> = { apiVersion: "v1", kind: "X", list: TRICKY, nested: { deeper: { values: TRICKY } }, keys };
  for (const [i, s] of TRICKY.entries()) object[`v${i}`] = s;
  // Twice: the second time every one-line rendering comes from the cache.
  for (let round = 0; round < 2; round++) {
    const text = toYaml(object);
    assert.is(text, plain(object));
    assert.equal(parse(text), object);
  }
});

test("strings Kubernetes' YAML 1.1 reader would read as booleans or numbers are double-quoted", () => {
  const v11 = ["yes", "No", "ON", "off", "y", "N", "1_000", "0b101", "1e+3", "+12", "0o17", "0777"];
  const object: Record<string, unknown> = { apiVersion: "v1", kind: "X", list: v11, labels: Object.fromEntries(v11.map((s) => [s, s])) };
  for (let round = 0; round < 2; round++) {
    const text = toYaml(object);
    for (const s of v11) assert.ok(text.includes(`- "${s}"\n`), `${s} is quoted in ${text}`);
    assert.equal(parse(text), object);
    assert.equal(parse(text, { version: "1.1" }), object);
  }
  // Strings that read back as strings stay plain.
  assert.is(toYaml({ a: "yesterday", b: "x1e3", d: "on-call" }), "a: yesterday\nb: x1e3\nd: on-call\n");
});

test("the same string at different indents and positions is rendered for each position", () => {
  const o = { a: "x: y", b: { c: "x: y", d: ["x: y", { e: "x: y" }] }, "x: y": { "x: y": "x: y" } };
  assert.is(toYaml(o), plain(o));
  assert.equal(parse(toYaml(o)), o);
});

/** Multi-line strings: blocks with indent indicators and every chomping, and those only a quoted flow can hold. */
const MULTILINE = [
  "two\nlines", " lead\nx", "x\n\n", "x\n ", "a\n  b", "\n\nx", "x\ny\n\n\n", "---\nx", "x\n---", "x\n...", "%x\ny", "tab\n\tx",
  "ctrl\u0007\nx and more text, long enough to be folded", "a \"quoted\" line\n with a space after the break, long enough", "trail \nx", "a: b\n- c", "x\n#y", "  \n", "\u2028\nx", "\n",
];
const NUMBERS = [0, -0, 1, -3, 1.5, 1e21, 1e-7, 2 ** 53, 123456789.125, -0.5, 80, Number.NaN, Infinity, -Infinity];

/** A deterministic pseudo-random sequence. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A random value of plain data, of every shape the block writer meets (undefined where the yaml package drops or nulls it). */
function value(r: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const x = r();
  if (depth <= 0 || x < 0.4) {
    const y = r();
    if (y < 0.35) return pick(TRICKY);
    if (y < 0.5) return pick(MULTILINE);
    if (y < 0.7) return pick(NUMBERS);
    if (y < 0.78) return r() < 0.5;
    if (y < 0.84) return null;
    if (y < 0.88) return undefined;
    if (y < 0.94) return pick([{}, [], { gone: undefined }]);
    return "x".repeat(Math.floor(r() * 200));
  }
  if (x < 0.65) return Array.from({ length: 1 + Math.floor(r() * 3) }, () => value(r, depth - 1));
  const keys = [...TRICKY, ...MULTILINE, "k".repeat(1030), "k".repeat(1024), "k".repeat(1025), ` ${"k".repeat(1022)}`, "ü".repeat(1030), "apiVersion", "0", "10", "2", "-1"];
  return Object.fromEntries(Array.from({ length: 1 + Math.floor(r() * 4) }, () => [pick(keys), value(r, depth - 1)]));
}

test("the block writer prints every value of plain data exactly as the yaml package prints it: as a list's items, at the top and under a key", () => {
  const r = rng(42);
  for (let round = 0; round < 3; round++) {
    const items = Array.from({ length: 400 }, () => value(r, 6));
    assert.fixture(items.map((x) => yamlSequenceItem(x)).join(""), toYamlSequence(items));
    assert.fixture(items.map((x) => yamlSequenceItem(x, "  ")).join(""), plain({ results: items }).slice("results:\n".length));
  }
  assert.is(yamlSequenceItem([]), plain([[]]));
  assert.is(yamlSequenceItem({ a: undefined }), plain([{}]));
});

test("a shared subtree is written as the same value in place, at whatever indent it stands", () => {
  const r = rng(9);
  for (let i = 0; i < 200; i++) {
    const shared = value(r, 4) ?? null;
    const once = new YamlShared(shared);
    const item = { a: once, b: [once, { c: once }], d: value(r, 2) };
    const inPlace = { a: shared, b: [shared, { c: shared }], d: item.d };
    assert.is(yamlSequenceItem(item), toYamlSequence([inPlace]));
    assert.is(yamlSequenceItem(item, "    "), yamlSequenceItem(inPlace, "    "));
  }
});

test.run();
