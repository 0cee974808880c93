import { test } from "uvu";
import * as assert from "uvu/assert";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { requireShared } from "../support/shared.js";
import { verify } from "../../src/testing/verify.js";
import { countResults } from "../../src/testing/run/results.js";

/** Directories of the library whose template.yaml has a `K8sNativeValidation` code entry. */
function celTemplateDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      // A line scan: one of the library's templates is not strict YAML; the emulation reads it leniently.
      else if (e.name === "template.yaml" && /^\s*-?\s*engine:\s*K8sNativeValidation\s*$/m.test(readFileSync(p, "utf8"))) out.push(dir);
    }
  };
  walk(root);
  return out.sort();
}

const failures = (run: Awaited<ReturnType<typeof verify>>) =>
  run.suites.flatMap((s) => s.tests.flatMap((t) => t.cases.filter((k) => k.status === "fail").map((k) => `${s.display}/${t.name}/${k.name}: ${k.reasons.join("; ")}`)));

test("verify --enable-k8s-native-validation: every suite of the library's CEL templates passes on CEL", async () => {
  const lib = requireShared("corpora/gatekeeper-library/library", "the Gatekeeper library CEL verify run");
  if (!lib) return;
  const celDirs = celTemplateDirs(lib);
  assert.ok(celDirs.length > 0, "the library has templates with K8sNativeValidation");
  const run = await verify([lib], { cwd: process.cwd(), k8sNativeValidation: true });
  const c = countResults(run);
  assert.is(c.failed, 0, failures(run).join("\n"));
  assert.is(c.skipped, 0);
  const celSuites = run.suites.filter((s) => celDirs.includes(path.dirname(s.path)));
  assert.is(celSuites.length, celDirs.length, "each CEL template has its suite");
  const celCases = celSuites.reduce((n, s) => n + s.tests.reduce((m, t) => m + t.cases.length, 0), 0);
  console.log(`  CEL: ${celSuites.length} suites, ${celCases} cases on K8sNativeValidation; library ${c.passed}/${c.passed + c.failed} passed`);
  for (const s of celSuites) assert.is(s.status, "pass", s.display);
});

test("both engines (as policyc test runs them): every case of the library's CEL templates passes on Rego and on CEL", async () => {
  const lib = requireShared("corpora/gatekeeper-library/library", "the Gatekeeper library two-engine run");
  if (!lib) return;
  const celDirs = celTemplateDirs(lib);
  const run = await verify(celDirs, { cwd: process.cwd(), bothEngines: true });
  const c = countResults(run);
  assert.is(c.failed, 0, failures(run).join("\n"));
  const cases = run.suites.flatMap((s) => s.tests.flatMap((t) => t.cases));
  const onBoth = cases.filter((k) => k.engines?.K8sNativeValidation !== undefined).length;
  console.log(`  both engines: ${run.suites.length} suites, ${onBoth}/${cases.length} cases on Rego and CEL`);
  assert.ok(onBoth > 100 && onBoth === cases.length - cases.filter((k) => k.status === "skip").length);
});

test("the flag really evaluates the CEL: a template whose CEL allows everything fails its suite only with the flag", async () => {
  const src = requireShared("corpora/gatekeeper-library/library/pod-security-policy/privileged-containers", "the CEL engine switch test");
  if (!src) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), "policyc-cel-"));
  try {
    cpSync(src, dir, { recursive: true });
    const file = path.join(dir, "template.yaml");
    const doc = YAML.parseDocument(readFileSync(file, "utf8"));
    const code = doc.getIn(["spec", "targets", 0, "code"]) as YAML.YAMLSeq;
    const idx = code.items.findIndex((c) => (c as YAML.YAMLMap).get("engine") === "K8sNativeValidation");
    doc.setIn(["spec", "targets", 0, "code", idx, "source", "validations"], [{ expression: "true" }]);
    writeFileSync(file, doc.toString());
    const onCel = countResults(await verify([dir], { cwd: dir, k8sNativeValidation: true }));
    const onRego = countResults(await verify([dir], { cwd: dir }));
    assert.ok(onCel.failed > 0, "CEL that never rejects must fail the disallowed cases");
    assert.is(onRego.failed, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
