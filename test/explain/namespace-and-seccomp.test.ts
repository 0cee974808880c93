/**
 * `explain` for restricted lists the seccomp profile every container must set, and `--namespace`
 * takes the labels of a Namespace the project defines.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { explain } from "../../src/explain/explain.js";
import { command } from "../../src/cli/commands/explain.js";
import { makeProject, removeProject } from "../build/fixture.js";

const PP = "security.deckhouse.io/pod-policy";

test("restricted: every container must set seccompProfile.type RuntimeDefault; baseline (unset allowed) need not", () => {
  const restricted = explain([], { namespaceLabels: { [PP]: "restricted" }, podLabels: {} });
  assert.equal((restricted.effective.container.securityContext as Record<string, unknown>).seccompProfile, { type: "RuntimeDefault" });
  const baseline = explain([], { namespaceLabels: { [PP]: "baseline" }, podLabels: {} });
  assert.is((baseline.effective.container.securityContext as Record<string, unknown> | undefined)?.seccompProfile, undefined);
});

test("--namespace NAME uses the labels of the project's Namespace NAME; given labels win", async () => {
  const src = `import { defineResource } from "policyc";
export const team = defineResource({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team", labels: { "${PP}": "restricted", "security.deckhouse.io/pod-policy-action": "warn" } } });
`;
  const objects = [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "team", labels: { [PP]: "restricted" } } }];
  const fromProject = explain(objects, { namespace: "team", namespaceLabels: {}, podLabels: {} });
  assert.equal([fromProject.podSecurityStandard.level, fromProject.namespace.labels[PP]], ["restricted", "restricted"]);
  const overridden = explain(objects, { namespace: "team", namespaceLabels: { [PP]: "baseline" }, podLabels: {} });
  assert.is(overridden.podSecurityStandard.level, "baseline");
  const other = explain(objects, { namespace: "other", namespaceLabels: {}, podLabels: {} });
  assert.is(other.namespace.labels[PP], undefined);

  const dir = makeProject({ "policies/ns.ts": src });
  try {
    let out = "";
    let err = "";
    const io = { stdout: (s: string) => (out += s), stderr: (s: string) => (err += s), cwd: dir };
    const code = await command.run(["--namespace", "team", "--output", "json"], io);
    assert.is(code, 0, err);
    const json = JSON.parse(out);
    assert.equal([json.podSecurityStandard.level, json.podSecurityStandard.action], ["restricted", "warn"]);
  } finally {
    removeProject(dir);
  }
});

test.run();
