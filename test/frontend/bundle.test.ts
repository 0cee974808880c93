/**
 * The bundled execution path (src/frontend/bundle.ts) must mean what running the files one by one
 * means: same definitions, same call sites (through the source map), same build output; and it must
 * step aside for the constructs a bundle would change.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DEFINITION, type Definition } from "../../src/api/definition.js";
import { compile } from "../../src/build/stages.js";
import { bundleFiles } from "../../src/frontend/bundle.js";
import { executeAsEsm, executeBundled, executeFiles } from "../../src/frontend/execute.js";
import { makeProject, positionOf, removeProject, REGO } from "../build/fixture.js";
import { projectRoot } from "../support/shared.js";

const HELPER = `import { defineConstraint, type Check } from "policyc";
export function strict<P>(check: Check<P>, name: string, parameters: P) {
  return defineConstraint(check, { name, match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] }, parameters } as never);
}
`;

const CHECK = `import { defineCheck, rego } from "policyc";
import { strict } from "../lib/helper.ts";
export interface Params { repos: string[] }
export const repos = defineCheck<Params>({ kind: "K8sRepos", description: "Repos.", rego: ${REGO} });
export const c1 = strict(repos, "repos-one", { repos: ["a/"] });
export const c2 = strict(repos, "repos-two", { repos: ["b/"] });
`;

const OTHER = `import { defineCheck, rego } from "policyc";
import { repos } from "./check.ts";
export const labels = defineCheck({ kind: "K8sLabels", description: "Labels.", rego: ${REGO} });
export const same = repos;
`;

function summary(defs: Definition[]) {
  return defs.map((d) => {
    const meta = d[DEFINITION];
    const v = d as unknown as { kind?: string; name?: string };
    return { kind: meta.kind, id: v.kind ?? v.name, site: meta.site };
  });
}

test("a bundle registers the same definitions, with the same source-mapped call sites, as one file at a time", async () => {
  const dir = makeProject({ "policies/check.ts": CHECK, "policies/other.ts": OTHER, "lib/helper.ts": HELPER });
  try {
    const files = [path.join(dir, "policies/check.ts"), path.join(dir, "policies/other.ts")];
    assert.ok(await bundleFiles(files), "this project can be bundled");
    const bundled = await executeBundled(files);
    const oneByOne = await executeAsEsm(files);
    assert.ok(bundled && oneByOne);
    assert.equal(summary(bundled.definitions), summary(oneByOne.definitions));
    assert.equal(bundled.definitions.length, 4);
    // The helper's defineConstraint call, as the stack reports it: a line of lib/helper.ts.
    const site = bundled.definitions[1]![DEFINITION].site!;
    assert.equal(site.file, path.join(dir, "lib/helper.ts"));
    assert.equal(site.line, positionOf(HELPER, "defineConstraint(check").line);
    // Modules are shared, not re-run: `same` is the very object check.ts exported.
    assert.is(bundled.modules.get(files[1]!)!.same, bundled.modules.get(files[0]!)!.repos);
  } finally {
    removeProject(dir);
  }
});

test("constructs a bundle would change fall back to running the files one by one; a throw does not", async () => {
  const cases: Record<string, string> = {
    dirname: `export const here = __dirname;\n`,
    importMeta: `export const here = import.meta.url;\n`,
    dynamicRequire: `const r = require; export const fs = r("node:fs");\n`,
    throws: `throw new Error("boom");\n`,
  };
  for (const [name, body] of Object.entries(cases)) {
    const dir = makeProject({ "policies/a.ts": body }, undefined, { commonjs: name === "dirname" || name === "dynamicRequire" });
    try {
      const file = path.join(dir, "policies/a.ts");
      if (name === "throws") {
        // The bundle ran the file: its throw is the file's failure, and it is not run again.
        assert.equal((await executeBundled([file]))?.failures.length, 1);
        continue;
      }
      assert.is(await executeBundled([file]), undefined, name);
      const run = await executeFiles([file]);
      if (name === "throws") assert.equal(run.failures.length, 1, name);
      else {
        assert.equal(run.failures, [], name);
        assert.ok(run.modules.get(file)!.here ?? run.modules.get(file)!.fs, name);
      }
      if (name === "dirname") assert.is(run.modules.get(file)!.here, path.join(dir, "policies"));
    } finally {
      removeProject(dir);
    }
  }
});

test("a package that a file would resolve from a nearer node_modules is not bundled", async () => {
  const body = `import { defineCheck } from "policyc";\nexport const x = typeof defineCheck;\n`;
  const dir = makeProject({ "policies/team/a.ts": body, "policies/b.ts": body });
  try {
    const files = [path.join(dir, "policies/team/a.ts"), path.join(dir, "policies/b.ts")];
    assert.ok(await bundleFiles(files));
    // Both files resolve packages from policies/ ... unless team/ has its own node_modules.
    mkdirSync(path.join(dir, "policies/team/node_modules"));
    assert.is(await bundleFiles(files), undefined);
    const run = await executeFiles(files);
    assert.equal(run.modules.get(files[0]!)!.x, "function");
  } finally {
    removeProject(dir);
  }
});

test("the examples build to the same files with and without the bundle", async () => {
  const bundled = await compile({ cwd: projectRoot });
  process.env.POLICYC_NO_BUNDLE = "1";
  let oneByOne;
  try {
    oneByOne = await compile({ cwd: projectRoot });
  } finally {
    delete process.env.POLICYC_NO_BUNDLE;
  }
  assert.equal(bundled.diagnostics.filter((d) => d.severity === "error"), []);
  // Not vacuous: the examples do take the bundled path.
  assert.ok(await bundleFiles(bundled.project!.files.map((f) => path.join(projectRoot, f))));
  assert.ok((bundled.files ?? []).length > 10);
  const contents = (r: typeof bundled) => (r.files ?? []).map((f) => [f.path, f.content]);
  assert.equal(contents(bundled), contents(oneByOne));
  assert.equal(bundled.diagnostics, oneByOne.diagnostics);
});

test("bundling happens in memory: nothing is written beside the sources", async () => {
  const dir = makeProject({ "policies/check.ts": CHECK, "lib/helper.ts": HELPER });
  try {
    writeFileSync(path.join(dir, "policies/.keep"), "");
    assert.ok(await executeBundled([path.join(dir, "policies/check.ts")]));
    assert.equal(readdirSync(path.join(dir, "policies")).sort(), [".keep", "check.ts"]);
    assert.equal(readdirSync(dir).sort(), ["lib", "node_modules", "package.json", "policies", "policyc.config.ts"]);
  } finally {
    removeProject(dir);
  }
});

test.run();
