/**
 * Rego versions per check: the config sets the default, a check's `regoVersion` overrides it; v0
 * goes in the legacy `rego:` field, v1 in `code[]` with `source.version: "v1"`, and each check is
 * parsed, compiled at build and tested in its own version. `policyc import` keeps a template's
 * version on its check (the product docs' v0 template and the whole Gatekeeper library build in a v1
 * project), and `--rego-v1` ports them.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import YAML from "yaml";
import { build } from "../../src/build/stages.js";
import { main } from "../../src/cli/main.js";
import { makeProject, positionOf, removeProject } from "./fixture.js";
import { requireShared } from "../support/shared.js";
import { productDocExamples } from "../deckhouse/support/product-docs.js";

const V1_CONFIG = `import { defineConfig } from "policyc";\nexport default defineConfig({ regoVersion: "v1" });\n`;

const V0_CHECK = `import { defineCheck, rego } from "policyc";
export const old = defineCheck({
  kind: "K8sOld",
  description: "written before OPA 1.0",
  regoVersion: "v0",
  rego: rego\`
    package k8sold
    violation[{"msg": "old"}] { input.review.object.kind == "Pod" }
  \`,
  tests: [{ name: "pod", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }, violations: 1 }],
});
`;

const TS_CHECK = `import { defineCheck, type Pod } from "policyc";
export const ts = defineCheck<{}, Pod>({
  kind: "K8sTs",
  description: "TypeScript body",
  regoVersion: "v0",
  violation(review, _params, report) {
    if (review.object.spec?.hostNetwork) report("host network");
  },
  tests: [{ name: "hn", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [], hostNetwork: true } }, violations: 1 }],
});
`;

const V1_CHECK = `import { defineCheck, rego } from "policyc";
export const modern = defineCheck({
  kind: "K8sModern",
  description: "v1",
  rego: rego\`
    package k8smodern
    violation contains {"msg": "new"} if input.review.object.kind == "Pod"
  \`,
  tests: [{ name: "pod", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }, violations: 1 }],
});
`;

async function cli(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { cwd, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

function target(dir: string, name: string): Record<string, any> {
  const t = YAML.parse(readFileSync(path.join(dir, "generated", "manifests", `constrainttemplate-${name}.yaml`), "utf8"));
  return t.spec.targets[0];
}

test("a v1 project keeps a check at v0: legacy field for it, code[] for the others; tests run each in its version", async () => {
  const dir = makeProject({ "policies/old.ts": V0_CHECK, "policies/ts.ts": TS_CHECK, "policies/modern.ts": V1_CHECK }, V1_CONFIG);
  try {
    const r = await cli(["build"], dir);
    assert.is(r.code, 0, r.stderr);
    const old = target(dir, "k8sold");
    assert.ok(old.rego.includes('violation[{"msg": "old"}]'));
    assert.is(old.code, undefined);
    const ts = target(dir, "k8sts");
    assert.ok(ts.rego.includes("violation[{\"msg\": msg}] {"), ts.rego);
    const modern = target(dir, "k8smodern");
    assert.is(modern.rego, undefined);
    assert.equal(modern.code[0].engine, "Rego");
    assert.equal(modern.code[0].source.version, "v1");
    const u = await cli(["test", "--update"], dir);
    assert.is(u.code, 0, u.stdout + u.stderr);
    const t = await cli(["test"], dir);
    assert.is(t.code, 0, t.stdout + t.stderr);
    const golden = (k: string) => readFileSync(path.join(dir, "generated", "tests", k, "golden.json"), "utf8");
    for (const k of ["k8sold", "k8sts", "k8smodern"]) assert.match(golden(k), /"violations": 1|"count": 1|msg/, k);
    assert.match(t.stdout + t.stderr, /3 passed, 0 failed/);
  } finally {
    removeProject(dir);
  }
});

test("v0 Rego in a v1 check fails the build at its line and says how to keep or port it", async () => {
  const src = V0_CHECK.replace('  regoVersion: "v0",\n', "");
  const dir = makeProject({ "policies/old.ts": src }, V1_CONFIG);
  try {
    const r = await build({ cwd: dir });
    const d = r.diagnostics.find((x) => x.code === "PC5005");
    assert.ok(d, JSON.stringify(r.diagnostics));
    assert.is(d!.span?.file, "policies/old.ts");
    assert.is(d!.span?.line, positionOf(src, "violation[").line);
    assert.match(d!.message, /regoVersion: "v0"/);
    assert.match(d!.message, /policyc fmt --v0-v1/);
  } finally {
    removeProject(dir);
  }
});

test("a check's regoVersion must be v0 or v1 (PC1031 at the field)", async () => {
  const src = V0_CHECK.replace('regoVersion: "v0"', 'regoVersion: "v2" as never');
  const dir = makeProject({ "policies/old.ts": src });
  try {
    const r = await build({ cwd: dir });
    const d = r.diagnostics.find((x) => x.code === "PC1031");
    assert.ok(d, JSON.stringify(r.diagnostics));
    assert.is(d!.span?.line, positionOf(src, "regoVersion").line);
  } finally {
    removeProject(dir);
  }
});

test("import into a v1 project: the product docs' v0 template keeps v0 on its check and builds; --rego-v1 cannot port `any` and says so", async () => {
  const docs = requireShared("product-docs", "the product docs' ConstraintTemplate");
  if (!docs) return;
  const tpl = productDocExamples(docs).find((e) => e.object.kind === "ConstraintTemplate");
  assert.ok(tpl, "the product docs show a ConstraintTemplate");
  for (const flags of [[], ["--rego-v1"]]) {
    const dir = makeProject({ "in/template.yaml": YAML.stringify(tpl!.object) }, V1_CONFIG);
    try {
      const r = await cli(["import", ...flags, "--out", "policies", "in"], dir);
      assert.is(r.code, 0, r.stderr);
      if (flags.length) assert.match(r.stderr, /PC8008.*deprecated built-in function any/);
      const ts = readFileSync(path.join(dir, "policies", "k8sallowedrepos.ts"), "utf8");
      assert.match(ts, /regoVersion: "v0"/);
      const b = await cli(["build"], dir);
      assert.is(b.code, 0, b.stderr);
      assert.ok(typeof target(dir, "k8sallowedrepos").rego === "string");
    } finally {
      removeProject(dir);
    }
  }
});

test("import --rego-v1 ports every Gatekeeper library template; the v1 project builds them all into code[] v1", async () => {
  const lib = requireShared("corpora/gatekeeper-library/library", "the Gatekeeper library import");
  if (!lib) return;
  const dir = makeProject({}, V1_CONFIG);
  try {
    const r = await cli(["import", "--rego-v1", "--out", "policies", lib], dir);
    assert.is(r.code, 0, r.stderr);
    assert.not.match(r.stderr, /PC8008/);
    const tsFiles = readdirSync(path.join(dir, "policies")).filter((f) => f.endsWith(".ts"));
    assert.ok(tsFiles.length >= 49);
    for (const f of tsFiles) assert.not.match(readFileSync(path.join(dir, "policies", f), "utf8"), /regoVersion/, f);
    const b = await cli(["build"], dir);
    assert.is(b.code, 0, b.stderr);
    const manifests = readdirSync(path.join(dir, "generated", "manifests")).filter((f) => f.startsWith("constrainttemplate-"));
    assert.is(manifests.length, tsFiles.length);
    for (const m of manifests) {
      const t = target(dir, m.slice("constrainttemplate-".length, -".yaml".length));
      // Templates with CEL list their K8sNativeValidation entry first, as the library does.
      assert.is(t.code?.find((c: { engine: string }) => c.engine === "Rego")?.source?.version, "v1", m);
    }
  } finally {
    removeProject(dir);
  }
});

test("import without --rego-v1 into a v1 project: v0 templates carry regoVersion v0 and build", async () => {
  const lib = requireShared("corpora/gatekeeper-library/library/general/allowedrepos", "the Gatekeeper library import");
  if (!lib) return;
  const dir = makeProject({}, V1_CONFIG);
  try {
    const r = await cli(["import", "--out", "policies", lib], dir);
    assert.is(r.code, 0, r.stderr);
    assert.match(readFileSync(path.join(dir, "policies", "k8sallowedrepos.ts"), "utf8"), /regoVersion: "v0"/);
    const b = await cli(["build"], dir);
    assert.is(b.code, 0, b.stderr);
  } finally {
    removeProject(dir);
  }
});

test.run();
