// `policyc eval` pieces that need no compiler: query wrapping, the opa-eval JSON shape, usage and
// file-loading diagnostics.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { wrapQuery, queryVars } from "../../../src/engine/eval/query.js";
import { runEval, toOpaOutput, goIndentedJson } from "../../../src/engine/eval/command.js";
import { parseQuery } from "../../../src/engine/rego/index.js";

function io(cwd = process.cwd()) {
  const out = { stdout: "", stderr: "" };
  return { out, io: { stdout: (s: string) => (out.stdout += s), stderr: (s: string) => (out.stderr += s), cwd } };
}

test("query variables exclude wildcards, data/input heads and comprehension locals", () => {
  const body = parseQuery("data.test.p[k] = x; y := [z | z := 1]; _ = input.a; count(xs) > n", { file: "q", regoVersion: "v1" });
  assert.equal(queryVars(body), ["k", "x", "y", "xs", "n"]);
});

test("wrapQuery builds a contains-rule binding every query variable", () => {
  const w = wrapQuery("data.test.p = x", { file: "q", regoVersion: "v1" });
  assert.equal(w.vars, ["x"]);
  assert.is(w.entrypoint, "__policyc_query__/q");
  assert.match(w.module, /^package __policyc_query__\n/);
  assert.match(w.module, /q contains \{"x": x\} if \{\n\tdata\.test\.p = x\n\}/);
  assert.equal(w.expressions, [{ text: "data.test.p = x", row: 1, col: 1 }]);
  const v0 = wrapQuery("data.test.p = x", { file: "q", regoVersion: "v0" });
  assert.match(v0.module, /q\[\{"x": x\}\] \{/);
});

test("bare expressions capture their value; relations report true", () => {
  const w = wrapQuery("data.test.p; x := 1", { file: "q", regoVersion: "v1", captureExpressions: true });
  assert.is(w.expressions[0]!.valueVar, "__policyc_expr_0");
  assert.is(w.expressions[1]!.valueVar, undefined);
  assert.match(w.module, /__policyc_expr_0 = data\.test\.p\n\t__policyc_expr_0 != false/);
  assert.equal(w.expressions[1], { text: "x := 1", row: 1, col: 14 });
});

test("opa eval JSON shape: expressions, sorted bindings, {} when undefined", () => {
  const w = wrapQuery("data.test.p = x", { file: "q", regoVersion: "v1", captureExpressions: true });
  assert.equal(toOpaOutput([], w), {});
  const out = toOpaOutput([{ x: { b: 1, a: 2 } }], w);
  assert.is(
    JSON.stringify(out),
    '{"result":[{"expressions":[{"value":true,"text":"data.test.p = x","location":{"row":1,"col":1}}],"bindings":{"x":{"a":2,"b":1}}}]}',
  );
  const bare = wrapQuery("data.test.p", { file: "q", regoVersion: "v1", captureExpressions: true });
  assert.is(JSON.stringify(toOpaOutput([{ __policyc_expr_0: 7 }], bare)), '{"result":[{"expressions":[{"value":7,"text":"data.test.p","location":{"row":1,"col":1}}]}]}');
});

test("JSON is written as Go's encoder writes it (HTML-safe escapes)", () => {
  assert.is(goIndentedJson({ a: "<b> & c" }), '{\n  "a": "\\u003cb\\u003e \\u0026 c"\n}');
});

test("usage errors exit 1, missing files and bad data exit 1 with file:line:col diagnostics", async () => {
  let r = io();
  assert.is(await runEval([], r.io), 1);
  assert.match(r.out.stderr, /a query is required/);
  r = io();
  assert.is(await runEval(["--format", "xml", "x"], r.io), 1);
  r = io();
  assert.is(await runEval(["--help"], r.io), 0);
  assert.match(r.out.stdout, /^policyc eval /);
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-eval-"));
  writeFileSync(path.join(dir, "bad.json"), "{nope");
  writeFileSync(path.join(dir, "list.yaml"), "- 1\n");
  r = io(dir);
  assert.is(await runEval(["-d", "missing.rego", "-d", "bad.json", "-d", "list.yaml", "data.x = y"], r.io), 1);
  assert.match(r.out.stderr, /error PC5580: cannot read missing\.rego/);
  assert.match(r.out.stderr, /bad\.json:1:1: error PC5581/);
  assert.match(r.out.stderr, /list\.yaml:1:1: error PC5582/);
  assert.is(r.out.stdout, "");
});

test.run();
