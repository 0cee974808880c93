// policyc check with Gatekeeper's mutation in front of validation: an AssignImage that rewrites the
// registry makes K8sAllowedRepos pass, and --show-mutated prints the objects as the webhook would
// store them (golden file beside the input; rewrite with UPDATE_GOLDEN=1 or `--update`).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { main } from "../../src/cli/main.js";
import { projectRoot } from "../support/shared.js";

const update = process.env.UPDATE_GOLDEN === "1" || process.argv.includes("--update");
const manifests = path.join(projectRoot, "generated/manifests");
const app = path.join(projectRoot, "test/testing/show-mutated/app.yaml");
const golden = path.join(projectRoot, "test/testing/show-mutated/check.golden.yaml");

async function cli(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { cwd, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

/** A policy folder: the K8sAllowedRepos template, a constraint allowing only the mirror, and (optionally) the mirror mutator. */
function policies(withMirror: boolean): string {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-mutate-"));
  cpSync(path.join(manifests, "constrainttemplate-k8sallowedrepos.yaml"), path.join(dir, "template.yaml"));
  writeFileSync(
    path.join(dir, "constraint.yaml"),
    "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sAllowedRepos\nmetadata:\n  name: mirror-only\nspec:\n  match:\n    kinds: [{apiGroups: [\"\"], kinds: [Pod]}]\n    excludedNamespaces: [kube-system]\n  parameters:\n    repos: [mirror.example.com/]\n",
  );
  if (withMirror) cpSync(path.join(manifests, "assignimage-use-registry-mirror.yaml"), path.join(dir, "mirror.yaml"));
  return dir;
}

test("an AssignImage that rewrites the registry makes K8sAllowedRepos pass through policyc check", async () => {
  const without = policies(false);
  const withMirror = policies(true);
  try {
    const denied = await cli(["check", "--policies", without, "--no-color", app], projectRoot);
    assert.is(denied.code, 1, denied.stdout + denied.stderr);
    assert.match(denied.stdout, /invalid image repo <nginx:1\.27>/);
    const admitted = await cli(["check", "--policies", withMirror, "--no-color", app], projectRoot);
    assert.is(admitted.code, 0, admitted.stdout + admitted.stderr);
    assert.not.match(admitted.stdout, /invalid image repo/);
    const shown = await cli(["check", "--policies", withMirror, "--show-mutated", app], projectRoot);
    assert.is(shown.code, 0);
    const out = shown.stdout.replaceAll(projectRoot + path.sep, "");
    if (update) writeFileSync(golden, out);
    assert.fixture(out, readFileSync(golden, "utf8"));
  } finally {
    rmSync(without, { recursive: true, force: true });
    rmSync(withMirror, { recursive: true, force: true });
  }
});

test.run();
