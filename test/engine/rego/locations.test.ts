/**
 * Locations are accurate: for every node of every corpus module, `row`/`col` are the 1-based
 * position of `offset`, and `offset..end` lies within the text (terms cover their own text).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Location, Module } from "../../../src/engine/rego/ast.js";
import { parseModule } from "../../../src/engine/rego/index.js";
import { conformanceSources, librarySources, type Source } from "./corpus.js";

/** Every `loc` in the tree, with the kind of node that holds it. */
function locations(x: unknown, out: [string, Location][] = [], kind = "module"): [string, Location][] {
  if (Array.isArray(x)) for (const y of x) locations(y, out, kind);
  else if (x && typeof x === "object") {
    const o = x as Record<string, unknown>;
    const k = typeof o.type === "string" ? o.type : kind;
    if (o.loc && typeof o.loc === "object") out.push([k, o.loc as Location]);
    for (const [key, v] of Object.entries(o)) if (key !== "loc" && key !== "comments") locations(v, out, k);
  }
  return out;
}

function check(sources: Source[], version: "v0" | "v1"): string[] {
  const bad: string[] = [];
  for (const s of sources) {
    const m: Module = parseModule(s.text, { file: "f.rego", regoVersion: version });
    const lineStarts = [0];
    for (let i = 0; i < s.text.length; i++) if (s.text.charCodeAt(i) === 10) lineStarts.push(i + 1);
    for (const [kind, loc] of [...locations(m), ...m.comments.map((c) => ["comment", c.loc] as [string, Location])]) {
      const start = lineStarts[loc.row - 1];
      const ok = loc.file === "f.rego" && start !== undefined && start + loc.col - 1 === loc.offset && loc.offset <= loc.end && loc.end <= s.text.length;
      if (!ok) {
        bad.push(`${s.name}: ${kind} at ${loc.row}:${loc.col} (offset ${loc.offset}..${loc.end})`);
        break;
      }
    }
  }
  return bad;
}

const conformance = conformanceSources();
if (conformance) {
  test("every node location of the conformance modules is consistent", () => {
    assert.equal(check(conformance.modules, "v1"), []);
  });
}
const library = librarySources();
if (library) {
  test("every node location of the library templates is consistent", () => {
    assert.equal(check(library.templates.flatMap((t) => t.sources), "v0"), []);
  });
}

test("terms cover exactly their source text", () => {
  const src = "package p\n\np := {\"a\": [1, x.y[0]], \"b\": f(2)} if {\n\tsome k, v in input.m\n\tcount([z | z := v[_]]) > 1\n}\n";
  const m = parseModule(src, { file: "f.rego", regoVersion: "v1" });
  const texts = locations(m.rules[0]!.head.value).map(([k, l]) => `${k}:${src.slice(l.offset, l.end)}`);
  assert.ok(texts.includes('object:{"a": [1, x.y[0]], "b": f(2)}'), texts.join("\n"));
  assert.ok(texts.includes("ref:x.y[0]"), texts.join("\n"));
  assert.ok(texts.includes("call:f(2)"), texts.join("\n"));
  const body = locations(m.rules[0]!.body).map(([k, l]) => `${k}:${src.slice(l.offset, l.end)}`);
  assert.ok(body.includes("expr:some k, v in input.m"), body.join("\n"));
  assert.ok(body.includes("expr:count([z | z := v[_]]) > 1"), body.join("\n"));
  assert.ok(body.includes("call:count([z | z := v[_]])"), body.join("\n"));
  assert.ok(body.includes("arraycomprehension:[z | z := v[_]]"), body.join("\n"));
});

test.run();
