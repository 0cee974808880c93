// Policy files are code that runs at build time; the build bounds it: each file runs once, a file
// that runs too long is stopped with its line named, and exits, uncaught exceptions and unhandled
// rejections inside it are reported as that file's failure, never a silent success.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { build } from "../../src/build/stages.js";
import { projectRoot } from "../support/shared.js";
import { makeProject, REGO, removeProject } from "../build/fixture.js";

const cli = path.join(projectRoot, "bin", "policyc.js");
const built = existsSync(path.join(projectRoot, "dist", "cli", "main.js"));

const policy = (extra: string) => `import { defineCheck, rego } from "policyc";
const g = globalThis as any;
export const c = defineCheck({ kind: "K8sA", description: "d", rego: ${REGO} });
${extra}
`;

function cliRun(dir: string, args: string[]) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1" } });
  return { ...r, ms: Date.now() - started };
}

test("a throwing policy file runs once; its side effects happen once", async () => {
  const dir = makeProject({ "policies/.keep": "" });
  writeFileSync(path.join(dir, "policies/a.ts"), policy(`g.process.getBuiltinModule("node:fs").appendFileSync(${JSON.stringify(path.join(dir, "ran.txt"))}, "ran\\n");
throw new Error("boom");`));
  try {
    const r = await build({ cwd: dir });
    assert.equal(r.diagnostics.map((d) => [d.code, d.span?.line]), [["PC1005", 6]]);
    assert.match(r.diagnostics[0]!.message, /boom/);
    assert.is(readFileSync(path.join(dir, "ran.txt"), "utf8"), "ran\n");
  } finally {
    removeProject(dir);
  }
});

test("the same for a file that cannot be bundled (it runs as an ES module, still once)", async () => {
  const dir = makeProject({ "policies/.keep": "" });
  writeFileSync(path.join(dir, "policies/a.ts"), policy(`g.process.getBuiltinModule("node:fs").appendFileSync(${JSON.stringify(path.join(dir, "ran.txt"))}, "ran\\n");
await Promise.resolve();
throw new Error("after await");`));
  try {
    const r = await build({ cwd: dir });
    assert.equal(r.diagnostics.map((d) => d.code), ["PC1005"]);
    assert.match(r.diagnostics[0]!.message, /after await/);
    assert.is(readFileSync(path.join(dir, "ran.txt"), "utf8"), "ran\n");
  } finally {
    removeProject(dir);
  }
});

test("process.exit, a late process.exit, an unhandled rejection and a throw in a callback fail the build at the user's line", async () => {
  const cases: [string, RegExp, number][] = [
    ["g.process.exit(0);", /process\.exit\(0\)/, 5],
    ["g.setTimeout(() => g.process.exit(0), 0);", /process\.exit\(0\)/, 5],
    ['Promise.reject(new Error("nobody catches me"));', /nobody catches me/, 5],
    ['g.setImmediate(() => { throw new Error("in a callback"); });', /in a callback/, 5],
  ];
  for (const [code, message, line] of cases) {
    const dir = makeProject({ "policies/a.ts": policy(code) });
    try {
      const r = await build({ cwd: dir, check: true });
      assert.equal(r.diagnostics.map((d) => d.code), ["PC1005"], code);
      assert.match(r.diagnostics[0]!.message, message);
      assert.is(r.diagnostics[0]!.span?.line, line, code);
      assert.is(r.changes, undefined, "no comparison was made");
    } finally {
      removeProject(dir);
    }
  }
});

(built ? test : test.skip)("built CLI: process.exit(0) in a policy fails build --check", () => {
  const dir = makeProject({ "policies/a.ts": policy("") });
  try {
    assert.is(cliRun(dir, ["build"]).status, 0);
    writeFileSync(path.join(dir, "policies/a.ts"), policy('export const later = defineCheck({ kind: "K8sB", description: "d", rego: c.rego! });\ng.process.exit(0);'));
    const r = cliRun(dir, ["build", "--check"]);
    assert.is(r.status, 1, r.stderr);
    assert.match(r.stderr, /PC1005.*process\.exit\(0\)/);
  } finally {
    removeProject(dir);
  }
});

(built ? test : test.skip)("built CLI: a policy file that never finishes is stopped at the timeout, naming its line", () => {
  const spin = "function spin(): void {\n  while (true) {}\n}\nspin();";
  const dir = makeProject({ "policies/a.ts": policy(spin) });
  try {
    const r = cliRun(dir, ["build", "--timeout", "1"]);
    assert.is(r.status, 1, r.stderr);
    assert.match(r.stderr, /^policies\/a\.ts:6:3: error PC1020: policies\/a\.ts ran longer than the 1 s time limit .*still running at policies\/a\.ts:6:3/m);
    assert.not.match(r.stderr, /debugger/);
    assert.not.ok(existsSync(path.join(dir, "generated")));
    // The config's limit, and a promise that never settles.
    const waits = makeProject(
      { "policies/a.ts": policy("await new Promise(() => {});") },
      'import { defineConfig } from "policyc";\nexport default defineConfig({ include: ["policies/**/*.ts"], timeout: 0.5 });\n',
    );
    try {
      const w = cliRun(waits, ["build"]);
      assert.is(w.status, 1, w.stderr);
      assert.match(w.stderr, /PC1020: policies\/a\.ts ran longer than the 0\.5 s time limit .*never settles/);
    } finally {
      removeProject(waits);
    }
    const bad = cliRun(dir, ["build", "--timeout", "soon"]);
    assert.is(bad.status, 1);
    assert.match(bad.stderr, /error PC1091: `--timeout` value `soon` is not a duration/);
  } finally {
    removeProject(dir);
  }
});

test.run();
