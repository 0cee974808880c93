import { test } from "uvu";
import * as assert from "uvu/assert";
import { requireShared } from "../../support/shared.js";
import { compile, loadModule } from "../../../src/engine/index.js";
import { loadLibraryTemplates } from "../../../src/engine/runner/library.js";

const root = requireShared("corpora/gatekeeper-library/library", "the Gatekeeper library test");

const pod = (images: string[]) => ({
  review: { object: { kind: "Pod", spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
  parameters: { repos: ["gcr.io/ok/"] },
});

test("all Gatekeeper library templates (v0, with libs) compile into one module that loads", () => {
  if (!root) return;
  const lib = loadLibraryTemplates(root);
  assert.is(lib.templates.size, 49, "49 templates with Rego");
  const wasm = compile({ modules: lib.modules, entrypoints: lib.entrypoints, regoVersion: "v0" });
  const m = loadModule(wasm);
  assert.equal(Object.keys(m.entrypoints).sort(), lib.entrypoints);
  // Every entrypoint evaluates on an empty review without an engine error.
  for (const ep of lib.entrypoints) {
    const rs = m.evaluate({ review: { object: {} }, parameters: {} }, ep);
    assert.ok(Array.isArray(rs), ep);
  }
  const rs = m.evaluate(pod(["gcr.io/ok/a", "docker.io/evil:1"]), "k8sallowedrepos/violation");
  assert.equal(rs, [{ result: [{ msg: 'container <c1> has an invalid image repo <docker.io/evil:1>, allowed repos are ["gcr.io/ok/"]' }] }]);
  assert.equal(m.evaluate(pod(["gcr.io/ok/a"]), "k8sallowedrepos/violation"), [{ result: [] }]);
});

test.run();
