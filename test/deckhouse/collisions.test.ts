/**
 * What Deckhouse owns stays Deckhouse's: a check of a kind Deckhouse's own templates use is an error
 * (PC2042), another D8 kind a warning (PC2043); mutators skip the exempt namespaces as constraints
 * do, unless they opt out, and `explain` shows that for a d8-* namespace.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile } from "../../src/build/stages.js";
import { explain } from "../../src/explain/explain.js";
import { makeProject, positionOf, removeProject, REGO } from "../build/fixture.js";

test("a check of Deckhouse's kind is PC2042 at the kind, a D8 prefix PC2043; a policy pack may use them", async () => {
  const src = `import { defineCheck, rego } from "policyc";
export const a = defineCheck({ kind: "D8PrivilegedContainer", description: "d", rego: ${REGO} });
export const b = defineCheck({ kind: "D8DenyExecHeritage", description: "d", rego: ${REGO} });
export const c = defineCheck({ kind: "D8MyCompanyRule", description: "d", rego: ${REGO} });
`;
  const dir = makeProject({ "policies/a.ts": src });
  const pack = makeProject({ "policies/a.ts": src }, `import { defineConfig } from "policyc";\nexport default defineConfig({ include: ["policies/**/*.ts"], deckhouse: { policyPack: true } });\n`);
  try {
    const ds = (await compile({ cwd: dir })).diagnostics.filter((d) => d.code === "PC2042" || d.code === "PC2043");
    assert.equal(ds.map((d) => [d.code, d.severity, d.span?.line, d.span?.col]), [
      ["PC2042", "error", positionOf(src, 'kind: "D8PrivilegedContainer"').line, positionOf(src, 'kind: "D8PrivilegedContainer"').col],
      ["PC2042", "error", positionOf(src, 'kind: "D8DenyExecHeritage"').line, positionOf(src, 'kind: "D8DenyExecHeritage"').col],
      ["PC2043", "warning", positionOf(src, 'kind: "D8MyCompanyRule"').line, positionOf(src, 'kind: "D8MyCompanyRule"').col],
    ]);
    assert.match(ds[0]!.message, /d8privilegedcontainer/);
    const packed = await compile({ cwd: pack });
    assert.equal(packed.diagnostics.filter((d) => d.code.startsWith("PC204") && d.code !== "PC2041"), []);
  } finally {
    removeProject(dir);
    removeProject(pack);
  }
});

test("an AssignImage without match skips kube-system and d8-*; exemptSystemNamespaces: false opts out; explain agrees", async () => {
  const src = `import { assignImage } from "policyc";
export const mirror = assignImage({
  name: "mirror",
  applyTo: [{ groups: [""], kinds: ["Pod"], versions: ["v1"] }],
  location: "spec.containers[name: *].image",
  parameters: { assignDomain: "mirror.example.com" },
});
export const everywhere = assignImage({
  name: "everywhere",
  applyTo: [{ groups: [""], kinds: ["Pod"], versions: ["v1"] }],
  match: { excludedNamespaces: ["scratch"] },
  location: "spec.initContainers[name: *].image",
  parameters: { assignDomain: "mirror.example.com" },
  exemptSystemNamespaces: false,
});
`;
  const dir = makeProject({ "policies/a.ts": src });
  try {
    const built = await compile({ cwd: dir });
    assert.equal(built.diagnostics.filter((d) => d.severity === "error"), []);
    const objects = built.files!.filter((f) => f.path.startsWith("manifests/")).map((f) => f.object as Record<string, any>);
    const byName = new Map(objects.filter((o) => o.metadata).map((o) => [o.metadata.name, o]));
    assert.equal(byName.get("mirror")!.spec.match.excludedNamespaces, ["kube-system", "d8-*"]);
    assert.equal(byName.get("everywhere")!.spec.match.excludedNamespaces, ["scratch"]);
    assert.is("exemptSystemNamespaces" in byName.get("everywhere")!.spec, false);
    const inMonitoring = explain(objects, { namespace: "d8-monitoring", namespaceLabels: {}, podLabels: {} });
    assert.equal(inMonitoring.mutations.map((m) => m.name), ["everywhere"]);
    const inApp = explain(objects, { namespace: "app", namespaceLabels: {}, podLabels: {} });
    assert.equal(inApp.mutations.map((m) => m.name), ["everywhere", "mirror"]);
  } finally {
    removeProject(dir);
  }
});

test.run();
