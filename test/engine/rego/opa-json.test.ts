import { test } from "uvu";
import * as assert from "uvu/assert";
import { moduleToOpaJson, parseModule } from "../../../src/engine/rego/index.js";

test("modules convert to OPA's JSON AST shape (as rego.parse_module returns)", () => {
  const m = parseModule("package foo.bar\n\nimport rego.v1\nimport data.a\n\np if { a = true }\nq contains x if { some x in [1] }\n", { file: "x.rego", regoVersion: "v1" });
  const j = moduleToOpaJson(m) as any;
  assert.equal(j.package.path, [{ type: "var", value: "data" }, { type: "string", value: "foo" }, { type: "string", value: "bar" }]);
  assert.equal(j.imports[1], { path: { type: "ref", value: [{ type: "var", value: "data" }, { type: "string", value: "a" }] } });
  assert.equal(j.rules[0].head, { name: "p", ref: [{ type: "var", value: "p" }], value: { type: "boolean", value: true } });
  assert.equal(j.rules[0].body, [
    { index: 0, terms: [{ type: "ref", value: [{ type: "var", value: "eq" }] }, { type: "var", value: "a" }, { type: "boolean", value: true }] },
  ]);
  assert.equal(j.rules[1].head.key, { type: "var", value: "x" });
  assert.equal(j.rules[1].body[0].terms.symbols[0].type, "call");
});

test.run();
