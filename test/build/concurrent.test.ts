// Twenty builds of one output at once (CI jobs sharing a workspace, an editor's watcher and a
// terminal): each waits for the output's lock or finds the output up to date; none fails as a
// defect (exit 2), and the output ends complete, without debris.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "../support/shared.js";
import { makeProject, REGO, removeProject } from "./fixture.js";

const cli = path.join(projectRoot, "bin", "policyc.js");
const built = existsSync(path.join(projectRoot, "dist", "cli", "main.js"));

function build(dir: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, "build"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

(built ? test : test.skip)("20 concurrent builds of one output never exit 2 and leave a complete output", async () => {
  const policy = `import { defineCheck, defineConstraint, rego } from "policyc";
export const c = defineCheck<{ repos: string[] }>({ kind: "K8sRepos", description: "d", rego: ${REGO} });
export const k = defineConstraint(c, { name: "one", parameters: { repos: ["a"] } });
`;
  const dir = makeProject({ "policies/a.ts": policy });
  try {
    const runs = await Promise.all(Array.from({ length: 20 }, () => build(dir)));
    for (const r of runs) assert.is(r.status, 0, r.stderr);
    const out = path.join(dir, "generated");
    assert.equal(readdirSync(out).filter((n) => n.startsWith(".policyc-") && n !== ".policyc-output"), [], "no lock, journal or staging left");
    const check = await new Promise<number | null>((resolve) => spawn(process.execPath, [cli, "build", "--check"], { cwd: dir }).on("close", resolve));
    assert.is(check, 0);
  } finally {
    removeProject(dir);
  }
});

test.run();
