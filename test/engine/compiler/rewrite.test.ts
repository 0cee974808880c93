// Rewrites the compiler performs, observed through the dump form.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseModule } from "../../../src/engine/rego/index.js";
import { compileModules, dumpCompiled } from "../../../src/engine/compiler/index.js";

const dump = (src: string, v: "v0" | "v1" = "v1") => dumpCompiled(compileModules([parseModule(src, { file: "p.rego", regoVersion: v })]));

test("imports and package rules resolve to full refs; locals are renamed", () => {
  const out = dump("package t\nimport data.lib.x as y\nq := 1\np if {\n  z := y.w\n  z == q\n}");
  assert.match(out, /data\.t\.p if \{ eq\(\$l\d+, data\.lib\.x\.w\); equal\(\$l\d+, data\.t\.q\) \}/);
});

test("some x in xs becomes unification against an iterated ref", () => {
  const out = dump("package t\np contains x if { some x in input.xs }");
  assert.match(out, /eq\(\$l\d+, input\.xs\[\$\d+\]\)/);
});

test("safety reordering moves the binding first", () => {
  const out = dump("package t\np if {\n  x > 1\n  x = input.y\n}");
  assert.match(out, /p if \{ eq\(x, input\.y\); gt\(x, 1\) \}/);
});

test("evaluated head values move into the body", () => {
  const out = dump("package t\nxs := [1]\nq := xs[_]");
  assert.match(out, /data\.t\.q := \$h\d+ if \{ eq\(\$h\d+, data\.t\.xs\[\$\d+\]\) \}/);
});

test("print calls are erased", () => {
  const out = dump('package t\np if { print("hi"); input.a }');
  assert.not.match(out, /print/);
});

test("rego.metadata.rule() and chain() become constants from METADATA comments", () => {
  const src = "# METADATA\n# description: pkg docs\npackage t\n\n# METADATA\n# title: Rule P\n# authors:\n# - Jane Doe <jane@example.com>\np := rego.metadata.rule()\nq := rego.metadata.chain()\n";
  const out = dump(src);
  assert.match(out, /"authors": \[\{"email": "jane@example.com", "name": "Jane Doe"\}\], "scope": "rule", "title": "Rule P"/);
  assert.match(out, /\[\{"path": \["t", "q"\]\}, \{"annotations": \{"description": "pkg docs", "scope": "package"\}, "path": \["t"\]\}\]/);
  assert.not.match(out, /rego\.metadata/);
});

test("rego.metadata.rule() gives the METADATA as OPA reads its YAML (yaml.v3): 0644 is octal, yes a string, title the scalar's text", () => {
  const out = dump("package t\n\n# METADATA\n# title: 1.50\n# custom:\n#   mode: 0644\n#   enabled: yes\np := rego.metadata.rule()\n");
  assert.match(out, /"custom": \{"enabled": "yes", "mode": 420\}, "scope": "rule", "title": "1\.50"/);
});

test.run();
