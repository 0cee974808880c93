import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, loadModule, opaAvailable } from "../../../src/engine/index.js";

const modules = [{ file: "p.rego", text: "package test\n\np := x if { x := input.a + 1 }\n\ns contains y if { some y in input.items; y > 1 }\n" }];

test("engine opa: opa build -t wasm modules run through the same SDK path and agree with policyc", () => {
  if (!opaAvailable()) {
    console.log("  skipped: engine opa needs an `opa` binary on PATH, which is not installed here");
    return;
  }
  const input = { a: 1, items: [1, 2, 3] };
  const entrypoints = ["test/p", "test/s"];
  const ours = loadModule(compile({ modules, entrypoints }));
  const theirs = loadModule(compile({ modules, entrypoints, engine: "opa" }));
  for (const ep of entrypoints) assert.equal(theirs.evaluate(input, ep), ours.evaluate(input, ep), ep);
});

test("engine opa rejects ad-hoc queries", () => {
  assert.throws(() => compile({ modules, queries: [{ name: "q", text: "x = 1" }], engine: "opa" }), /entrypoints only/);
});

test.run();
