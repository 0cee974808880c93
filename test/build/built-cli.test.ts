/**
 * The built CLI (dist/, what users run) on a user project: its policy files run as one bundle that
 * imports the CLI's own API, so this checks the path the source-level tests cannot reach. A call
 * site only the stack can tell (a helper that calls defineConstraint, its name passed in) must still
 * be found in the user's sources.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "../support/shared.js";
import { makeProject, positionOf, REGO, removeProject } from "./fixture.js";

const cli = path.join(projectRoot, "bin", "policyc.js");
const built = existsSync(path.join(projectRoot, "dist", "cli", "main.js"));

const HELPER = `import { defineConstraint, type Check } from "policyc";
export function podConstraint<P extends object>(check: Check<P>, name: string, parameters: P) {
  return defineConstraint(check, { name, match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] }, parameters } as never);
}
`;

const policy = (constraint: string) => `import { defineCheck, rego } from "policyc";
import { podConstraint } from "../lib/helper.ts";
export interface Params { repos: string[] }
export const repos = defineCheck<Params>({ kind: "K8sRepos", description: "Repos.", rego: ${REGO} });
export const c = podConstraint(repos, "${constraint}", { repos: ["a/"] });
`;

function run(dir: string) {
  return spawnSync(process.execPath, [cli, "build"], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
}

// `npm test` builds dist/ first; without it there is nothing to run (reported as skipped).
(built ? test : test.skip)("built CLI: a project builds; a diagnostic known only from the stack points at the user's line", () => {
  const ok = makeProject({ "policies/repos.ts": policy("repos-one"), "lib/helper.ts": HELPER });
  const bad = makeProject({ "policies/repos.ts": policy("Not_A_Name"), "lib/helper.ts": HELPER });
  try {
    const r = run(ok);
    assert.is(r.status, 0, r.stderr);
    assert.ok(readdirSync(path.join(ok, "generated", "manifests")).includes("k8srepos-repos-one.yaml"));
    const f = run(bad);
    assert.is(f.status, 1);
    // The `name` property of the literal in the helper's defineConstraint call.
    const at = positionOf(HELPER, "name, match");
    assert.match(f.stdout + f.stderr, `lib/helper.ts:${at.line}:${at.col}: error PC2004`);
    assert.not.ok(existsSync(path.join(bad, "generated")));
  } finally {
    removeProject(ok);
    removeProject(bad);
  }
});

test.run();
