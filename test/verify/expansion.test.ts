import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { verify } from "../../src/testing/verify.js";
import { allDiagnostics, countResults } from "../../src/testing/run/results.js";
import { tempTree } from "./fixtures.js";

const dir = "test/verify/expansion";
const read = (f: string) => readFileSync(`${dir}/${f}`, "utf8");

test("the expansion suites pass with gator's semantics (real templates through the Wasm engine)", async () => {
  const run = await verify([dir], { cwd: process.cwd() });
  assert.equal(allDiagnostics(run), []);
  assert.equal(countResults(run), { passed: 16, failed: 0, skipped: 0 });
  const cases = run.suites[0]!.tests.flatMap((t) => t.cases.map((c) => ({ test: t.name, ...c })));
  const warned = cases.find((c) => c.name === "deployment-warns")!;
  assert.equal(warned.violations!.map((v) => v.enforcementAction), ["warn"], "the ExpansionTemplate's enforcementAction replaces the constraint's");
  const denied = cases.find((c) => c.name === "deployment-with-privileged-pod")!;
  assert.equal(denied.violations!.map((v) => v.enforcementAction), ["deny"]);
});

test("control: without `expansion:` the same workload cases fail, so the suites measure expansion", async () => {
  const files: Record<string, string> = {};
  for (const f of ["privileged-template.yaml", "privileged-pods.yaml", "samples/deployment-privileged.yaml", "samples/cronjob-privileged.yaml"]) files[f] = read(f);
  files["suite.yaml"] = read("suite.yaml")
    .split("\n")
    .filter((l) => !l.includes("expansion:"))
    .join("\n")
    .replace(/tests:[^]*/, (all) => all.split("  - name: enforcement-action-override")[0]!)
    .replace(/ {6}- name: statefulset[^]*?(?= {6}- name: cronjob)/, "")
    .replace(/ {6}- name: deployment-fine[^]*/, "");
  const t = tempTree(files);
  const run = await verify([t.dir], { cwd: t.dir });
  t.cleanup();
  assert.equal(countResults(run), { passed: 0, failed: 2, skipped: 0 });
});

const suite = (expansionFile: string, object: string) => `apiVersion: test.gatekeeper.sh/v1alpha1
kind: Suite
tests:
- name: t
  template: privileged-template.yaml
  constraint: privileged-pods.yaml
  expansion: ${expansionFile}
  cases:
  - name: c
    object: ${object}
    assertions: [{violations: "no"}]
`;

async function runWith(expansion: string, object = "samples/deployment-privileged.yaml", extra: Record<string, string> = {}) {
  const t = tempTree({
    "privileged-template.yaml": read("privileged-template.yaml"),
    "privileged-pods.yaml": read("privileged-pods.yaml"),
    "samples/deployment-privileged.yaml": read("samples/deployment-privileged.yaml"),
    "samples/deployment-no-template.yaml": read("samples/deployment-no-template.yaml"),
    "x.yaml": expansion,
    "suite.yaml": suite("x.yaml", object),
    ...extra,
  });
  const run = await verify([t.dir], { cwd: t.dir });
  t.cleanup();
  return { run, ds: allDiagnostics(run) };
}

const et = (name: string, applyKinds: string, gen: string, source = "spec.template") => `apiVersion: expansion.gatekeeper.sh/v1alpha1
kind: ExpansionTemplate
metadata: {name: ${name}}
spec:
  applyTo: [${applyKinds}]
  templateSource: ${source}
  generatedGVK: ${gen}
`;

test("ExpansionTemplates Gatekeeper refuses fail the test with PC4031 naming the reason", async () => {
  const self = await runWith(et("self", '{groups: [""], kinds: ["Pod"], versions: ["v1"]}', '{group: "", version: v1, kind: Pod}'));
  assert.equal(self.ds.map((d) => d.code), ["PC4031"]);
  assert.match(self.ds[0]!.message, /generates \/v1\/Pod and also applies to it/);
  const cycle = await runWith(
    et("a", '{groups: ["apps"], kinds: ["Deployment"], versions: ["v1"]}', '{group: "", version: v1, kind: Pod}') +
      "---\n" +
      et("b", '{groups: [""], kinds: ["Pod"], versions: ["v1"]}', '{group: apps, version: v1, kind: Deployment}'),
  );
  assert.match(cycle.ds[0]!.message, /expansion cycle/);
  const empty = await runWith(et("e", '{groups: ["apps"], kinds: ["Deployment"], versions: ["v1"]}', "{}"));
  assert.match(empty.ds[0]!.message, /generatedGVK is empty/);
});

test("a workload without the template source fails its case (PC4032), as gator's expansion error does", async () => {
  const { ds, run } = await runWith(read("expansion.yaml"), "samples/deployment-no-template.yaml");
  assert.equal(ds.map((d) => d.code), ["PC4032"]);
  assert.match(ds[0]!.message, /Deployment broken has no spec\.template/);
  assert.equal(countResults(run).failed, 1);
});

test.run();
