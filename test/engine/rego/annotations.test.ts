import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseModule, RegoParseError } from "../../../src/engine/rego/index.js";

const src = `# METADATA
# description: The Rego test suite
package testing

import data.x

# METADATA
# scope: document
# title: Testing annotations
# authors:
# - The OPA contributors
# - Jane Doe <jane@example.com>
# related_resources:
# - https://example.com/a
# - ref: https://example.com/b
#   description: b docs
p := "foo" if {
\tfalse
}

# METADATA
# title: Another annotation
# custom:
#   severity: high
p := x if {
\tx := 1
}

# not metadata
q := 1
`;

test("METADATA blocks are parsed and attached to the next package or rule", () => {
  const m = parseModule(src, { file: "a.rego", regoVersion: "v1" });
  const a = m.annotations ?? [];
  assert.is(a.length, 3);
  assert.equal(a[0]!.target, { kind: "package" });
  assert.equal(a[0]!.value, { scope: "package", description: "The Rego test suite" });
  assert.equal(a[1]!.target, { kind: "rule", index: 0 });
  assert.equal(a[1]!.value, {
    scope: "document",
    title: "Testing annotations",
    related_resources: [{ ref: "https://example.com/a" }, { ref: "https://example.com/b", description: "b docs" }],
    authors: [{ name: "The OPA contributors" }, { name: "Jane Doe", email: "jane@example.com" }],
  });
  assert.equal([a[1]!.loc.row, a[1]!.loc.col], [7, 1]);
  assert.equal(a[2]!.target, { kind: "rule", index: 1 });
  assert.equal(a[2]!.value, { scope: "rule", title: "Another annotation", custom: { severity: "high" } });
});

test("modules without METADATA have no annotations", () => {
  assert.is(parseModule("package p\n# a comment\np := 1", { file: "a", regoVersion: "v1" }).annotations, undefined);
});

test("bad blocks and scope mismatches are PC5012 diagnostics", () => {
  const msg = (s: string) => {
    try {
      parseModule(s, { file: "a.rego", regoVersion: "v1" });
    } catch (e) {
      if (e instanceof RegoParseError) return e.diagnostics.map((d) => `${d.code} ${d.span?.line}:${d.span?.col} ${d.message}`).join("\n");
    }
    return "no error";
  };
  assert.is(msg("package p\n# METADATA\n# scope: package\np := 1"), "PC5012 2:1 annotation scope 'package' must be applied to package (have rule)");
  assert.is(msg("# METADATA\n# scope: rule\npackage p"), "PC5012 1:1 annotation scope 'rule' must be applied to rule (have package)");
  assert.is(msg("package p\n# METADATA\n# scope: everything\np := 1"), "PC5012 2:1 invalid annotation scope 'everything'");
  assert.is(msg("package p\n# METADATA\np := 1"), "PC5012 2:1 expected METADATA block, found whitespace");
  // A YAML error is reported at the comment line it is on, as OPA maps yaml.v3's line numbers.
  assert.match(msg("package p\n# METADATA\n# title: [unclosed\np := 1"), /^PC5012 3:1 yaml: line \d+: Flow sequence/);
  // Unmarshal errors in yaml.v3's words, every one of them, at the first one's line.
  assert.is(
    msg("package p\n# METADATA\n# description: ok\n# title: {a: 1}\n# entrypoint: maybe\n# organizations: acme\np := 1"),
    "PC5012 4:1 yaml: unmarshal errors:\n  line 2: cannot unmarshal !!map into string\n  line 3: cannot unmarshal !!str `maybe` into bool\n  line 4: cannot unmarshal !!str `acme` into []string",
  );
  assert.is(msg("package p\n# METADATA\n# - a\np := 1"), "PC5012 3:1 yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into ast.rawAnnotation");
  // A mapping key that is not a string fails OPA's key conversion.
  assert.is(msg("package p\n# METADATA\n# custom:\n#   x:\n#     1: a\np := 1"), "PC5012 5:1 invalid map key type(s): x");
  assert.match(msg("package p\n# METADATA\n# custom: {a: 1, a: 2}\np := 1"), /^PC5012 3:1 yaml: line 1: Map keys must be unique/);
});

const annotation = (block: string): Record<string, unknown> => {
  const m = parseModule(`package p\n# METADATA\n${block.split("\n").map((l) => `# ${l}`).join("\n")}\np := 1\n`, { file: "a.rego", regoVersion: "v1" });
  return m.annotations![0]!.value;
};

test("METADATA YAML is read as OPA reads it (yaml.v3): typed fields take any scalar's text, entrypoint takes YAML 1.1 booleans", () => {
  const a = annotation("title: 123\ndescription: 2024-01-02\nentrypoint: on\norganizations: [acme, 42, true]");
  assert.equal(a, { scope: "document", title: "123", entrypoint: true, description: "2024-01-02", organizations: ["acme", "42", "true"] });
  assert.equal(annotation("title: yes\nentrypoint: No"), { scope: "rule", title: "yes" });
  assert.equal(annotation("title: ~\nentrypoint: TRUE"), { scope: "document", entrypoint: true });
});

test("METADATA custom values resolve as yaml.v3 resolves untyped scalars: YAML 1.2 booleans, Go integer literals (0777 octal), floats, timestamps as strings", () => {
  const { custom } = annotation([
    "custom:",
    "  yes_word: yes",
    "  on_word: on",
    "  bools: [true, False, TRUE]",
    "  octal: 0777",
    "  octal12: 0o17",
    "  hex: 0x1F",
    "  binary: 0b101",
    "  under: 1_000",
    "  neg: -12",
    "  float: 1e3",
    "  half: .5",
    "  big: 99999999999999999999",
    "  date: 2024-01-02",
    "  stamp: 2024-01-02T10:00:00Z",
    "  quoted_int: \"12\"",
    "  tagged: !!str 12",
    "  nothing: ~",
    "  empty:",
    "  word: 1.2.3",
  ].join("\n")) as { custom: Record<string, unknown> };
  assert.equal(custom, {
    yes_word: "yes", on_word: "on", bools: [true, false, true], octal: 511, octal12: 15, hex: 31, binary: 5, under: 1000, neg: -12,
    float: 1000, half: 0.5, big: 1e20, date: "2024-01-02", stamp: "2024-01-02T10:00:00Z", quoted_int: "12", tagged: "12", nothing: null,
    empty: null, word: "1.2.3",
  });
});

test("METADATA anchors and merge keys: the mapping's own keys win over merged ones", () => {
  const { custom } = annotation("custom:\n  base: &b {a: 1, b: 2}\n  merged:\n    b: 3\n    <<: *b\n  list:\n    <<: [*b, {c: 4}]") as { custom: Record<string, unknown> };
  assert.equal(custom, { base: { a: 1, b: 2 }, merged: { b: 3, a: 1 }, list: { a: 1, b: 2, c: 4 } });
});

test.run();
