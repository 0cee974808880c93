// A scaffold installs without policyc in any registry: `npm pack` this repo, `policyc init` a project
// that depends on the tarball, `npm install --offline` (policyc's dependencies come from the npm cache,
// which `npm ci` filled, by the integrity pinned in the project's package-lock.json), then the
// project's own `npx policyc build` and `npx policyc test` pass. Needs `npm` on PATH.
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "../support/shared.js";

function sh(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 180_000, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

const npm = spawnSync("npm", ["--version"], { encoding: "utf8" });

test("init --policyc TARBALL: npm install --offline, npx policyc build and test succeed in the new project", () => {
  if (npm.status !== 0) {
    console.log("  skipped: the scaffold install test needs npm on PATH");
    return;
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), "policyc-scaffold-"));
  try {
    const packed = sh("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", tmp], projectRoot);
    assert.is(packed.code, 0, packed.out);
    const tarball = packed.out.trim().split("\n").pop()!;
    assert.ok(existsSync(path.join(tmp, tarball)), `npm pack wrote ${tarball}`);

    const init = sh(process.execPath, [path.join(projectRoot, "bin/policyc.js"), "init", "demo", "--policyc", `./${tarball}`], tmp);
    assert.is(init.code, 0, init.out);
    assert.match(init.out, /pinned in package-lock\.json/);
    const project = path.join(tmp, "demo");
    const manifest = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8"));
    assert.is(manifest.devDependencies.policyc, `file:../${tarball}`);
    assert.is(manifest.scripts.test, "policyc build && policyc test");

    const install = sh("npm", ["install", "--offline", "--no-audit", "--no-fund"], project);
    assert.is(install.code, 0, `npm install --offline failed:\n${install.out}`);
    // The tarball's copy, not a link back to this clone.
    assert.ok(lstatSync(path.join(project, "node_modules/policyc")).isDirectory());
    assert.not.ok(lstatSync(path.join(project, "node_modules/policyc")).isSymbolicLink());

    const build = sh("npx", ["--offline", "policyc", "build"], project);
    assert.is(build.code, 0, build.out);
    assert.ok(existsSync(path.join(project, "generated/manifests/constrainttemplate-k8sdisallowedtags.yaml")));
    const run = sh("npx", ["--offline", "policyc", "test"], project);
    assert.is(run.code, 0, run.out);
    assert.match(run.out, /^2 passed, 0 failed$/m);
    const ci = sh("npm", ["run", "ci", "--silent"], project);
    assert.is(ci.code, 0, ci.out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
