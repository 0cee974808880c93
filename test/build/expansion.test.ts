import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { compile } from "../../src/build/stages.js";
import { readExpansionTemplates } from "../../src/testing/gatekeeper/expansion/template.js";
import { ExpansionSystem } from "../../src/testing/gatekeeper/expansion/system.js";
import { makeProject, REGO, removeProject } from "./fixture.js";

const policy = `import { defineCheck, rego } from "policyc";
export const c = defineCheck({ kind: "K8sDemo", description: "demo", rego: ${REGO} });
`;
const config = (expansion: string) => `import { defineConfig } from "policyc";
export default defineConfig({ include: ["policies/**/*.ts"], ${expansion} });
`;

async function files(expansion: string) {
  const dir = makeProject({ "policies/p.ts": policy }, config(expansion));
  try {
    const r = await compile({ cwd: dir });
    return { r, byPath: new Map((r.files ?? []).map((f) => [f.path, f])) };
  } finally {
    removeProject(dir);
  }
}

test("expansion: true emits the default ExpansionTemplates, their kubeconform schema and kustomization entries", async () => {
  const { r, byPath } = await files("expansion: true");
  assert.equal(r.diagnostics.filter((d) => d.severity === "error"), []);
  const workloads = parse(byPath.get("manifests/expansiontemplate-policyc-expand-workloads.yaml")!.content);
  const cron = parse(byPath.get("manifests/expansiontemplate-policyc-expand-cronjobs.yaml")!.content);
  assert.equal(workloads.spec.applyTo.flatMap((a: any) => a.kinds), ["DaemonSet", "Deployment", "ReplicaSet", "StatefulSet", "ReplicationController", "Job"]);
  assert.is(cron.spec.templateSource, "spec.jobTemplate.spec.template");
  assert.ok(byPath.has("schemas/expansion.gatekeeper.sh/expansiontemplate_v1alpha1.json"));
  const kustomization = parse(byPath.get("manifests/kustomization.yaml")!.content);
  assert.ok(kustomization.resources.includes("expansiontemplate-policyc-expand-workloads.yaml"));
  // What was emitted is what the expansion engine accepts and uses: a CronJob expands to its Pod.
  const read = readExpansionTemplates([{ object: workloads }, { object: cron }]);
  assert.equal(read.diagnostics, []);
  const pods = new ExpansionSystem(read.templates).expand({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "nightly", namespace: "ops" },
    spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "c", image: "i" }] } } } } },
  });
  assert.equal(pods.map((p) => [p.template, (p.object.metadata as any).name, (p.object.metadata as any).namespace]), [["policyc-expand-cronjobs", "nightly-pod", "ops"]]);
});

test("expansion off (default) emits none; workloads and enforcementAction shape the set", async () => {
  const off = await files("");
  assert.not.ok([...off.byPath.keys()].some((p) => p.includes("expansiontemplate")));
  const some = await files('expansion: { workloads: ["Deployment", "CronJob"], enforcementAction: "warn" }');
  const w = parse(some.byPath.get("manifests/expansiontemplate-policyc-expand-workloads.yaml")!.content);
  assert.equal(w.spec.applyTo, [{ groups: ["apps"], kinds: ["Deployment"], versions: ["v1"] }]);
  assert.is(w.spec.enforcementAction, "warn");
  const onlyCron = await files('expansion: { workloads: ["CronJob"] }');
  assert.equal([...onlyCron.byPath.keys()].filter((p) => p.startsWith("manifests/expansiontemplate")), ["manifests/expansiontemplate-policyc-expand-cronjobs.yaml"]);
});

test("bad expansion options are config errors naming the field (PC1003)", async () => {
  const bad = await files('expansion: { enforcementAction: "block", workloads: ["Pod"], extra: 1 } as never');
  const msgs = bad.r.diagnostics.filter((d) => d.code === "PC1003").map((d) => d.message);
  assert.ok(msgs.some((m) => /expansion\.enforcementAction/.test(m)), msgs.join("\n"));
  assert.ok(msgs.some((m) => /`Pod` is not one of/.test(m)), msgs.join("\n"));
  assert.ok(msgs.some((m) => /unknown option `expansion\.extra`/.test(m)), msgs.join("\n"));
});

test.run();
