/**
 * The YAML serializer: the cache of string renderings never changes a byte of what the yaml package
 * itself prints, for strings that need quoting, look like other types, or sit at other positions.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse, stringify } from "yaml";
import { toYaml } from "../../src/emit/yaml.js";

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

test.run();
