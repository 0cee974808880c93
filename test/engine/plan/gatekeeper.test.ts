// All Gatekeeper library templates (v0 Rego with libs) compile and plan into one policy, with a
// `<package>/violation` entrypoint each; one of them is evaluated through the test-only IR
// interpreter to check the plan means what the Rego says.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { requireShared } from "../../support/shared.js";
import { benchCompileTemplates, type BenchTemplate } from "../../../src/engine/plan/bench.js";
import { Interpreter, fromJSON } from "./ir-interpreter.js";

function findTemplates(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) findTemplates(p, out);
    else if (f === "template.yaml") out.push(p);
  }
  return out;
}

function loadTemplates(root: string): BenchTemplate[] {
  return findTemplates(root).map((file) => {
    // One upstream template has a (technically invalid) multi-line quoted description: parse leniently.
    const doc = parseDocument(readFileSync(file, "utf8")).toJS() as {
      metadata: { name: string };
      spec: { targets: { rego?: string; libs?: string[]; code?: { engine: string; source: { rego?: string; libs?: string[] } }[] }[] };
    };
    const target = doc.spec.targets[0]!;
    const code = target.code?.find((c) => c.engine === "Rego")?.source;
    const t: BenchTemplate = { name: doc.metadata.name, rego: target.rego ?? code?.rego ?? "" };
    const libs = target.libs ?? code?.libs;
    if (libs) t.libs = libs;
    return t;
  });
}

test("all 49 library templates compile and plan into one policy", () => {
  const root = requireShared("corpora/gatekeeper-library/library", "the Gatekeeper library compile test");
  if (!root) return;
  const templates = loadTemplates(root);
  assert.is(templates.length, 49);
  assert.ok(templates.every((t) => t.rego.includes("violation")), "every template defines violation");
  const r = benchCompileTemplates(templates);
  const names = new Set(r.policy.plans.plans.map((p) => p.name));
  for (const t of templates) {
    const pkg = /^package\s+([\w.]+)/m.exec(t.rego)![1]!.replace(/\./g, "/");
    assert.ok(names.has(`${pkg}/violation`), `plan for ${pkg}/violation`);
  }
  assert.ok(r.policy.funcs.funcs.length > 49, "rule functions were planned");
});

test("k8sallowedrepos: plan evaluates to violations only for disallowed images", () => {
  const root = requireShared("corpora/gatekeeper-library/library", "the Gatekeeper evaluation test");
  if (!root) return;
  const t = loadTemplates(root).find((x) => x.name === "k8sallowedrepos");
  assert.ok(t, "k8sallowedrepos template present");
  const { policy } = benchCompileTemplates([t!]);
  const run = (image: string) =>
    new Interpreter(policy).eval(
      "k8sallowedrepos/violation",
      fromJSON({ review: { object: { spec: { containers: [{ name: "c", image }] } } }, parameters: { repos: ["good.io/"] } }),
      fromJSON({}),
    ) as { result: { msg: string }[] }[];
  const bad = run("evil.io/app");
  assert.is(bad.length, 1);
  assert.is(bad[0]!.result.length, 1);
  assert.ok(bad[0]!.result[0]!.msg.includes("evil.io/app"), bad[0]!.result[0]!.msg);
  const good = run("good.io/app");
  assert.equal(good, [{ result: [] }]);
});

test.run();
