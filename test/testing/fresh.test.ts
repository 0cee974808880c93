/**
 * `policyc test` compiles the project first: it refuses an output that differs from the sources,
 * reports a failing case at its line in the `.ts` file (then at the emitted suite), and lists the
 * checks that have no case.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { build } from "../../src/build/stages.js";
import { projectTest } from "../../src/testing/project-test.js";
import { allDiagnostics, countResults } from "../../src/testing/run/results.js";
import { renderPretty } from "../../src/testing/report/pretty.js";
import { makeProject, positionOf, removeProject } from "../build/fixture.js";

const src = `import { defineCheck, rego } from "policyc";
const pod = (name: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "a" } });
export const named = defineCheck({
  kind: "K8sNoBad",
  description: "d",
  rego: rego\`package k8snobad
violation[{"msg": "bad name"}] { input.review.object.metadata.name == "bad" }\`,
  tests: [
    { name: "good", object: pod("good"), violations: "no" },
    { name: "bad", object: pod("bad"), violations: 1 },
  ],
});
export const untested = defineCheck({
  kind: "K8sUntested",
  description: "d",
  rego: rego\`package k8suntested
violation[{"msg": "x"}] { false }\`,
});
`;

test("a case edited without a build is not run on the stale output: PC4040 names the files", async () => {
  const dir = makeProject({ "policies/a.ts": src });
  try {
    await build({ cwd: dir });
    await projectTest({ cwd: dir, update: true });
    const ok = await projectTest({ cwd: dir });
    assert.equal(countResults(ok), { passed: 2, failed: 0, skipped: 0 });
    writeFileSync(path.join(dir, "policies/a.ts"), src.replace("violations: 1", "violations: 2"));
    const stale = await projectTest({ cwd: dir });
    assert.equal(countResults(stale).failed, 1);
    assert.equal(countResults(stale).passed, 0);
    const d = stale.diagnostics.find((x) => x.code === "PC4040");
    assert.ok(d, JSON.stringify(stale.diagnostics));
    assert.match(d!.message, /generated\/ is out of date .*changed tests\/k8snobad\/suite\.yaml.*policyc build/);
    // A build error is reported as such, not as a stale output.
    writeFileSync(path.join(dir, "policies/a.ts"), src.replace('kind: "K8sNoBad"', 'kind: "k8s_bad"'));
    const broken = await projectTest({ cwd: dir });
    assert.equal(broken.diagnostics.filter((x) => x.severity === "error").map((x) => x.code), ["PC2001"]);
  } finally {
    removeProject(dir);
  }
});

test("a failing case is reported at its line in the .ts file, then at the emitted suite; untested checks are listed", async () => {
  const edited = src.replace("violations: 1", "violations: 2");
  const dir = makeProject({ "policies/a.ts": edited });
  try {
    await build({ cwd: dir });
    const run = await projectTest({ cwd: dir, update: true });
    assert.equal(countResults(run), { passed: 1, failed: 1, skipped: 0 });
    const failed = allDiagnostics(run).find((d) => d.code === "PC4041");
    assert.ok(failed, JSON.stringify(allDiagnostics(run)));
    assert.is(failed!.span!.file, "policies/a.ts");
    assert.is(failed!.span!.line, positionOf(edited, '{ name: "bad"').line);
    assert.match(failed!.message, /'bad' fails \(emitted as generated\/tests\/k8snobad\/suite\.yaml\)/);
    assert.equal(run.untested, ["K8sUntested"]);
    const untested = run.diagnostics.find((d) => d.code === "PC4042")!;
    assert.equal([untested.severity, untested.span!.file, untested.span!.line], ["warning", "policies/a.ts", positionOf(edited, "export const untested").line]);
    const text = renderPretty(run);
    const at = text.indexOf("policies/a.ts:");
    const suiteAt = text.indexOf("generated/tests/k8snobad/suite.yaml:");
    assert.ok(at >= 0 && suiteAt > at, text);
    assert.ok(readFileSync(path.join(dir, "generated/tests/k8snobad/suite.yaml"), "utf8").includes("violations: 2"));
  } finally {
    removeProject(dir);
  }
});

test("an untested check is a PC2041 warning at build, an error with strict: true (nothing written)", async () => {
  const dir = makeProject({ "policies/a.ts": src });
  const strict = makeProject(
    { "policies/a.ts": src },
    `import { defineConfig } from "policyc";\nexport default defineConfig({ include: ["policies/**/*.ts"], strict: true });\n`,
  );
  try {
    const warned = await build({ cwd: dir });
    assert.equal(warned.diagnostics.map((d) => [d.code, d.severity, d.span?.line]), [["PC2041", "warning", positionOf(src, "export const untested").line]]);
    assert.ok(warned.written);
    const failed = await build({ cwd: strict });
    assert.equal(failed.diagnostics.map((d) => [d.code, d.severity]), [["PC2041", "error"]]);
    assert.not.ok(existsSync(path.join(strict, "generated")));
  } finally {
    removeProject(dir);
    removeProject(strict);
  }
});

test.run();
