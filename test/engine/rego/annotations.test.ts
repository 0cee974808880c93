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
  assert.match(msg("package p\n# METADATA\n# title: [unclosed\np := 1"), /^PC5012 2:1 invalid METADATA block: /);
});

test.run();
