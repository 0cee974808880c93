// Front-end diagnostics: each code with its position in the user's file.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadProject } from "../../src/frontend/load.js";
import { makeProject, positionOf, REGO, removeProject } from "../build/fixture.js";

async function diagnosticsOf(files: Record<string, string>, config?: string, options?: { commonjs?: boolean }) {
  const dir = makeProject(files, config, options);
  try {
    return (await loadProject({ cwd: dir })).diagnostics;
  } finally {
    removeProject(dir);
  }
}

const CHECK = `import { defineCheck, defineConstraint, rego } from "policyc";
export const repos = defineCheck<{ repos: string[] }>({ kind: "K8sRepos", description: "d", rego: ${REGO} });
`;

test("PC1001: TypeScript errors in a policy file, with their position", async () => {
  const src = `${CHECK}const n: number = "text";\n`;
  const [d, ...rest] = await diagnosticsOf({ "policies/a.ts": src });
  assert.is(rest.length, 0);
  assert.is(d!.code, "PC1001");
  assert.match(d!.message, /^TS2322: /);
  assert.equal({ file: d!.span!.file, line: d!.span!.line, col: d!.span!.col }, { file: "policies/a.ts", ...positionOf(src, "n: number") });
});

test("PC1001: constraint parameters are type-checked against the check's Params", async () => {
  const src = `${CHECK}export const wrongType = defineConstraint(repos, { name: "a", parameters: { repos: [42] } });
export const wrongKey = defineConstraint(repos, { name: "b", parameters: { repos: [], extra: true } });
export const missing = defineConstraint(repos, { name: "c" });
`;
  const ds = await diagnosticsOf({ "policies/a.ts": src });
  const lines = ds.map((d) => `${d.code}@${d.span?.line}`).sort();
  assert.equal(lines, [
    `PC1001@${positionOf(src, "[42]").line}`,
    `PC1001@${positionOf(src, "extra: true").line}`,
    `PC1001@${positionOf(src, "missing =").line}`,
  ].sort());
  const wrong = ds.find((d) => d.span?.line === positionOf(src, "[42]").line)!;
  assert.is(wrong.span!.col, positionOf(src, "42").col);
});

test("readonly values (as const) are accepted for match, test cases and config, and for parameters a Params declares readonly; element types still checked", async () => {
  const config = `import { defineConfig } from "policyc";\nconst include = ["policies/**/*.ts"] as const;\nexport default defineConfig({ include, exemptNamespaces: ["kube-system"] as const });\n`;
  const ok = `import { defineCheck, defineConstraint, rego, type Match } from "policyc";
export const repos = defineCheck<{ repos: readonly string[] }>({ kind: "K8sRepos", description: "d", rego: ${REGO} });
const pods = { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], namespaces: ["prod-*"] } as const satisfies Match;
const allowed = ["registry.example.com/"] as const;
export const a = defineConstraint(repos, {
  name: "a",
  match: pods,
  parameters: { repos: allowed },
  tests: [{ name: "t", object: { apiVersion: "v1", kind: "Pod" }, parameters: { repos: ["x/"] as const }, violations: "no" }] as const,
});
`;
  const dir = makeProject({ "policies/a.ts": ok }, config);
  try {
    const loaded = await loadProject({ cwd: dir });
    assert.equal(loaded.diagnostics, []);
    assert.equal(loaded.project!.checks[0]!.parameters.properties!.repos, { type: "array", items: { type: "string" } });
  } finally {
    removeProject(dir);
  }
  const bad = `${ok}export const b = defineConstraint(repos, { name: "b", parameters: { repos: [1, 2] as const } });\n`;
  const ds = await diagnosticsOf({ "policies/a.ts": bad }, config);
  // One error per wrong element, each at its line.
  assert.equal(ds.map((d) => `${d.code}@${d.span?.line}`), Array(2).fill(`PC1001@${positionOf(bad, "[1, 2]").line}`));
});

test("PC1002: no config file", async () => {
  const ds = (await loadProject({ cwd: "/", configPath: "/nonexistent/policyc.config.ts" })).diagnostics;
  assert.equal(ds.map((d) => d.code), ["PC1002"]);
});

test("PC1003: an unknown config option", async () => {
  const config = `import { defineConfig } from "policyc";\nexport default defineConfig({ include: ["policies/**/*.ts"], outdir: "x" } as never);\n`;
  const ds = await diagnosticsOf({ "policies/a.ts": CHECK }, config);
  assert.equal(ds.map((d) => [d.code, d.span?.file]), [["PC1003", "policyc.config.ts"]]);
  assert.match(ds[0]!.message, /outdir/);
});

test("a mistyped config option is reported as TypeScript's error at its position", async () => {
  const config = `import { defineConfig } from "policyc";\nexport default defineConfig({\n  include: ["policies/**/*.ts"],\n  regoVersion: "v2",\n});\n`;
  const ds = await diagnosticsOf({ "policies/a.ts": CHECK }, config);
  assert.equal(ds.map((d) => [d.code, d.span?.file, d.span?.line]), [["PC1001", "policyc.config.ts", 4]]);
});

test("PC1003: exempt namespaces must be Gatekeeper globs", async () => {
  const config = `import { defineConfig } from "policyc";\nexport default defineConfig({ include: ["policies/**/*.ts"], exemptNamespaces: ["kube-system", "D8_*"] });\n`;
  const ds = await diagnosticsOf({ "policies/a.ts": CHECK }, config);
  assert.equal(ds.map((d) => d.code), ["PC1003"]);
  assert.match(ds[0]!.message, /D8_\*/);
});

test("PC1004: include globs that match nothing (warning)", async () => {
  const ds = await diagnosticsOf({ "other/a.ts": CHECK });
  assert.equal(ds.map((d) => [d.code, d.severity]), [["PC1004", "warning"]]);
});

test("PC1005: a policy file that throws, at the throwing line", async () => {
  const src = `${CHECK}\nif (repos) throw new Error("boom");\n`;
  const ds = await diagnosticsOf({ "policies/a.ts": src });
  assert.equal(ds.map((d) => [d.code, d.span?.file, d.span?.line]), [["PC1005", "policies/a.ts", positionOf(src, "throw").line]]);
  assert.match(ds[0]!.message, /boom/);
});

test("PC1006: a missing Rego file, at the rego property", async () => {
  const src = `import { defineCheck, regoFile } from "policyc";
export const c = defineCheck({
  kind: "K8sFile",
  description: "d",
  rego: regoFile("./missing.rego"),
});
`;
  const ds = await diagnosticsOf({ "policies/a.ts": src });
  assert.equal(ds.map((d) => [d.code, d.span?.line, d.span?.col]), [["PC1006", positionOf(src, "rego:").line, positionOf(src, "rego:").col]]);
});

test("PC1008: a test case whose object file is missing", async () => {
  const src = `import { defineCheck, rego } from "policyc";
export const c = defineCheck({
  kind: "K8sT",
  description: "d",
  rego: ${REGO},
  tests: [{ name: "t", object: "./nope.yaml", violations: "no" }],
});
`;
  const ds = await diagnosticsOf({ "policies/a.ts": src });
  assert.equal(ds.map((d) => [d.code, d.span?.line]), [["PC1008", positionOf(src, "object:").line]]);
});

test("test case YAML files are read relative to the policy file", async () => {
  const src = `import { defineCheck, rego } from "policyc";
export const c = defineCheck({
  kind: "K8sT",
  description: "d",
  rego: ${REGO},
  tests: [{ name: "t", object: "./cases/pod.yaml", violations: 2, messages: ["x"] }],
});
`;
  const dir = makeProject({ "policies/a.ts": src, "policies/cases/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n" });
  try {
    const r = await loadProject({ cwd: dir });
    assert.equal(r.diagnostics, []);
    const t = r.project!.checks[0]!.tests[0]!;
    assert.equal(t.object, { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } });
    assert.is(t.objectFile, "policies/cases/pod.yaml");
    assert.is(t.violations, 2);
    assert.equal(t.messages, ["x"]);
  } finally {
    removeProject(dir);
  }
});

test("origins point at the define call and its properties, also in a CommonJS project", async () => {
  const src = `${CHECK}export const c = defineConstraint(repos, {
  name: "prod",
  parameters: { repos: ["a"] },
});
`;
  for (const commonjs of [false, true]) {
    const dir = makeProject({ "policies/a.ts": src }, undefined, { commonjs });
    try {
      const r = await loadProject({ cwd: dir });
      assert.equal(r.diagnostics, []);
      const c = r.project!.constraints[0]!;
      assert.is(c.origin.file, "policies/a.ts");
      assert.is(c.origin.line, positionOf(src, "defineConstraint(repos").line);
      assert.equal([c.fields.name!.line, c.fields.name!.col], [positionOf(src, 'name: "prod"').line, positionOf(src, 'name: "prod"').col]);
      assert.is(c.fields["parameters.repos.0"]!.line, positionOf(src, '["a"]').line);
      assert.is(r.project!.checks[0]!.exportName, "repos");
    } finally {
      removeProject(dir);
    }
  }
});

test("files that need ES module semantics (top-level await) still load", async () => {
  const src = `import { defineCheck, rego } from "policyc";
const kind = await Promise.resolve("K8sAwaited");
export const c = defineCheck({ kind, description: "esm", rego: rego\`package a\` });
`;
  const dir = makeProject({ "policies/a.ts": src });
  try {
    const r = await loadProject({ cwd: dir });
    assert.equal(r.diagnostics, []);
    assert.equal(r.project!.checks.map((c) => [c.kind, c.description]), [["K8sAwaited", "esm"]]);
    assert.is(r.project!.checks[0]!.origin.line, 3);
  } finally {
    removeProject(dir);
  }
});

test("PC1007: a check defined outside the program has no readable Params; PC2009: a constraint of an unknown check", async () => {
  const helper = `import { defineCheck, rego } from "policyc";
export function make(kind) {
  return defineCheck({ kind, description: "d", rego: rego\`package x\` });
}
`;
  const src = `// @ts-ignore: plain JavaScript helper without types
import { make } from "./helper.js";
import { defineConstraint, type Check } from "policyc";
export const c = make("K8s" + "Js");
export const k = defineConstraint({ kind: "K8sFake" } as unknown as Check<{}>, { name: "fake" });
`;
  const ds = await diagnosticsOf({ "policies/a.ts": src, "policies/helper.js": helper });
  assert.equal(ds.map((d) => [d.code, d.span?.file]).sort(), [["PC1007", "policies/helper.js"], ["PC2009", "policies/a.ts"]]);
});

test.run();
