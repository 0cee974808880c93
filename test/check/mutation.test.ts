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


test("mutators alone are a policy set: --show-mutated prints what the webhook would store, with no constraint to judge it", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-mutators-only-"));
  const files: Record<string, string> = {
    // AssignMetadata on ConfigMaps chosen by a labelSelector expression.
    "owner.yaml":
      'apiVersion: mutations.gatekeeper.sh/v1beta1\nkind: AssignMetadata\nmetadata: {name: owner}\nspec:\n  match:\n    scope: Namespaced\n    kinds: [{apiGroups: [""], kinds: [ConfigMap]}]\n    labelSelector:\n      matchExpressions: [{key: team/mutate, operator: In, values: ["yes"]}]\n  location: metadata.labels.owner\n  parameters: {assign: {value: platform}}\n',
    "cm.yaml": 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: chosen\n  labels: {team/mutate: "yes"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: left-alone\n  labels: {team/mutate: "no"}\n',
    // Assign of an empty list replaces the list.
    "no-external-ips.yaml":
      'apiVersion: mutations.gatekeeper.sh/v1\nkind: Assign\nmetadata: {name: no-external-ips}\nspec:\n  applyTo: [{groups: [""], kinds: [Service], versions: [v1]}]\n  location: spec.externalIPs\n  parameters: {assign: {value: []}}\n',
    "svc.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n  externalIPs: [203.0.113.7]\n",
    // AssignImage sets the domain and a digest on every container.
    "pin.yaml":
      'apiVersion: mutations.gatekeeper.sh/v1alpha1\nkind: AssignImage\nmetadata: {name: pin}\nspec:\n  applyTo: [{groups: [""], kinds: [Pod], versions: [v1]}]\n  location: "spec.containers[name:*].image"\n  parameters: {assignDomain: registry.example.com, assignTag: "@sha256:0123456789abcdef0123456789abcdef"}\n  match: {source: All, scope: Namespaced, kinds: [{apiGroups: ["*"], kinds: [Pod]}]}\n',
    "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: 'nginx:latest'}, {name: b, image: 'quay.io/x/y:1'}]\n",
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  try {
    const shown = await cli(["check", "--no-project", "--show-mutated", "owner.yaml", "cm.yaml", "no-external-ips.yaml", "svc.yaml", "pin.yaml", "pod.yaml"], dir);
    assert.is(shown.code, 0, shown.stderr);
    assert.not.match(shown.stderr, /PC4113/);
    const docs = shown.stdout.split(/^---\n/m).map((d) => d.replace(/^#.*\n/, ""));
    assert.is(docs.length, 3, shown.stdout);
    assert.match(shown.stdout, /name: chosen\n  labels:\n    team\/mutate: "yes"\n    owner: platform/);
    assert.not.match(shown.stdout, /left-alone/);
    assert.match(shown.stdout, /externalIPs: \[\]/);
    assert.match(shown.stdout, /image: registry\.example\.com\/nginx@sha256:0123456789abcdef0123456789abcdef/);
    assert.match(shown.stdout, /image: registry\.example\.com\/x\/y@sha256:0123456789abcdef0123456789abcdef/);
    // The report counts the objects (the mutator among them, reviewed as the webhook reviews it) as not matched and admits them.
    const report = await cli(["check", "--no-project", "--no-color", "owner.yaml", "cm.yaml", "pod.yaml"], dir);
    assert.is(report.code, 0, report.stderr);
    assert.match(report.stdout, /4 objects, 0 with violations, 0 passed, 4 not matched/);
    // With nothing at all to apply, check still refuses to pass silently.
    const nothing = await cli(["check", "--no-project", "cm.yaml"], dir);
    assert.is(nothing.code, 1);
    assert.match(nothing.stderr, /PC4113/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
