// TypeScript check bodies through the whole build: type errors (a misspelled field, a parameter of
// the wrong type) fail `policyc build` at the user's line; an unsupported construct fails with a
// PC7xxx diagnostic at its span; a supported body builds into a ConstraintTemplate whose Rego
// `policyc test --differential` proves equal to the TypeScript.
import path from "node:path";
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { build } from "../../src/build/stages.js";
import { command } from "../../src/cli/commands/test.js";
import { lowerings } from "../../src/transpile/lowerings.js";
import { build as rego } from "../../src/engine/rego/index.js";
import { makeProject, positionOf, removeProject } from "../build/fixture.js";

const CHECK = `import { defineCheck, defineConstraint, type Pod } from "policyc";

export const noPull = defineCheck<{ policy: string }, Pod>({
  kind: "K8sPullPolicy",
  description: "Containers must use the given imagePullPolicy.",
  violation(review, params, report) {
    for (const c of review.object.spec?.containers ?? []) {
      if (c.imagePullPolicy !== params.policy) report(\`container <\${c.name}> must pull \${params.policy}\`);
    }
  },
  tests: [
    { name: "missing", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "a", image: "x" }] } }, parameters: { policy: "Always" }, violations: 1 },
    { name: "set", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "a", image: "x", imagePullPolicy: "Always" }] } }, parameters: { policy: "Always" }, violations: "no" },
  ],
});

export const always = defineConstraint(noPull, { name: "always", parameters: { policy: "Always" } });
`;

test("a misspelled field (spec.containerz) fails the build with the TypeScript error at the user's line", async () => {
  const source = CHECK.replace("review.object.spec?.containers", "review.object.spec?.containerz");
  const dir = makeProject({ "policies/pull.ts": source });
  try {
    const r = await build({ cwd: dir });
    const d = r.diagnostics.find((x) => x.code === "PC1001");
    assert.ok(d, "a PC1001 TypeScript error");
    assert.match(d!.message, /TS2551: Property 'containerz' does not exist on type 'PodSpec'\. Did you mean 'containers'\?/);
    const at = positionOf(source, "containerz");
    assert.equal([d!.span?.file, d!.span?.line, d!.span?.col], ["policies/pull.ts", at.line, at.col]);
  } finally {
    removeProject(dir);
  }
});

test("a parameter of the wrong type fails the build at the comparison", async () => {
  const source = CHECK.replace("c.imagePullPolicy !== params.policy", "c.imagePullPolicy !== params.policy.length");
  const dir = makeProject({ "policies/pull.ts": source });
  try {
    const r = await build({ cwd: dir });
    const d = r.diagnostics.find((x) => x.code === "PC1001");
    assert.ok(d);
    assert.match(d!.message, /TS2367/);
    assert.is(d!.span?.line, positionOf(source, "params.policy.length").line);
  } finally {
    removeProject(dir);
  }
});

test("an unsupported construct fails the build with a PC7xxx diagnostic at its span", async () => {
  const source = CHECK.replace("for (const c of", "let n = 0;\n    for (const c of");
  const dir = makeProject({ "policies/pull.ts": source });
  try {
    const r = await build({ cwd: dir });
    const d = r.diagnostics.find((x) => x.code === "PC7006");
    assert.ok(d, JSON.stringify(r.diagnostics));
    const at = positionOf(source, "let n = 0");
    assert.equal([d!.span?.line, d!.span?.col], [at.line, at.col]);
    assert.match(d!.message, /use `const`/);
  } finally {
    removeProject(dir);
  }
});

test("a TypeScript body builds into a ConstraintTemplate; test --differential passes, and fails on a mis-compiled !==", async () => {
  const dir = makeProject({ "policies/pull.ts": CHECK });
  try {
    const r = await build({ cwd: dir });
    assert.equal(r.diagnostics.filter((d) => d.severity === "error"), []);
    const template = parse(readFileSync(path.join(dir, "generated", "manifests", "constrainttemplate-k8spullpolicy.yaml"), "utf8"));
    const text: string = template.spec.targets[0].rego;
    assert.match(text, /^package k8spullpolicy\n/);
    assert.match(text, /# policies\/pull\.ts:8\nviolation\[\{"msg": msg\}\] \{/);
    assert.match(text, /not c\.imagePullPolicy == input\.parameters\.policy/);

    const run = async (argv = ["--differential"]) => {
      let stdout = "";
      const code = await command.run(argv, { stdout: (s) => (stdout += s), stderr: () => {}, cwd: dir, isTTY: false });
      return { code, stdout };
    };
    assert.is((await run(["--update"])).code, 0, "record the golden files first");
    const ok = await run();
    assert.is(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /PASS\s+differential: policies\/pull\.ts › K8sPullPolicy/);

    const original = lowerings.notEqual;
    lowerings.notEqual = (left, right) => [rego.expr(rego.call("neq", [left, right]))];
    try {
      const bad = await run();
      assert.is(bad.code, 1);
      assert.match(bad.stdout, /TypeScript(, Rego and CEL| and Rego) decide differently/);
      assert.match(bad.stdout, /container <a> must pull Always/);
    } finally {
      lowerings.notEqual = original;
    }
  } finally {
    removeProject(dir);
  }
});

test("in a Rego v1 project the body compiles to v1 syntax, and the differential run agrees", async () => {
  const config = `import { defineConfig } from "policyc";\nexport default defineConfig({ include: ["policies/**/*.ts"], regoVersion: "v1" });\n`;
  const dir = makeProject({ "policies/pull.ts": CHECK }, config);
  try {
    const r = await build({ cwd: dir });
    assert.equal(r.diagnostics.filter((d) => d.severity === "error"), []);
    const text = readFileSync(path.join(dir, "generated", "manifests", "constrainttemplate-k8spullpolicy.yaml"), "utf8");
    assert.match(text, /violation contains \{"msg": msg\} if \{/);
    assert.not.match(text, /future\.keywords/);
    const { differentialProject } = await import("../../src/differential/project.js");
    const d = await differentialProject({ cwd: dir, runs: 100 });
    assert.is(d.outcomes.length, 1);
    assert.equal(d.suites.map((s) => s.status), ["pass"]);
  } finally {
    removeProject(dir);
  }
});

test("regoPackage names the module's package (the differential run and policyc test use it); a malformed one is PC7025 at the field", async () => {
  const named = CHECK.replace(`kind: "K8sPullPolicy",`, `kind: "K8sPullPolicy",\n  regoPackage: "platform.pull_policies",`);
  const dir = makeProject({ "policies/pull.ts": named });
  try {
    const r = await build({ cwd: dir });
    assert.equal(r.diagnostics.filter((d) => d.severity === "error"), []);
    const template = parse(readFileSync(path.join(dir, "generated", "manifests", "constrainttemplate-k8spullpolicy.yaml"), "utf8"));
    assert.match(template.spec.targets[0].rego, /^package platform\.pull_policies\n/);
    const run = async (argv: string[]) => {
      let stdout = "";
      const code = await command.run(argv, { stdout: (s) => (stdout += s), stderr: () => {}, cwd: dir, isTTY: false });
      return { code, stdout };
    };
    assert.is((await run(["--update"])).code, 0, "record the golden files first");
    const ok = await run(["--differential"]);
    assert.is(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /PASS\s+differential: policies\/pull\.ts › K8sPullPolicy/);
    assert.match(ok.stdout, / 0 failed/);
  } finally {
    removeProject(dir);
  }
  for (const bad of ["platform.pull-policies", "platform.if", ".x"]) {
    const source = CHECK.replace(`kind: "K8sPullPolicy",`, `kind: "K8sPullPolicy",\n  regoPackage: "${bad}",`);
    const broken = makeProject({ "policies/pull.ts": source });
    try {
      const r = await build({ cwd: broken });
      const d = r.diagnostics.find((x) => x.code === "PC7025");
      assert.ok(d, `${bad}: ${JSON.stringify(r.diagnostics)}`);
      assert.match(d!.message, new RegExp(`regoPackage \`${bad.replace(".", "\\.")}\``));
      assert.equal([d!.span?.file, d!.span?.line], ["policies/pull.ts", positionOf(source, "regoPackage").line]);
    } finally {
      removeProject(broken);
    }
  }
});

test.run();
