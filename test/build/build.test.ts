// Whole builds: determinism, the committed generated/ is fresh, failed builds keep the old output,
// diagnostics from later stages point at the user's source.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { build, compile } from "../../src/build/stages.js";
import { projectRoot } from "../support/shared.js";
import { makeProject, positionOf, REGO, removeProject, tree } from "./fixture.js";


test("the repo's examples build without diagnostics, twice byte-identically, with no absolute paths", async () => {
  const a = await compile({ cwd: projectRoot });
  const b = await compile({ cwd: projectRoot });
  assert.equal(a.diagnostics.filter((d) => d.severity === "error"), []);
  const files = a.files!.map((f) => [f.path, f.content]);
  assert.equal(files, b.files!.map((f) => [f.path, f.content]));
  assert.ok(files.length >= 12);
  for (const [p, content] of files) {
    assert.not.ok(content!.includes(projectRoot), `${p} contains an absolute path`);
    assert.ok(content!.endsWith("\n") && !content!.endsWith("\n\n") && !content!.includes("\r"), `${p} line endings`);
  }
});

test("the committed generated/ equals a fresh build (policyc build --check)", async () => {
  const r = await build({ cwd: projectRoot, check: true });
  assert.equal(r.diagnostics.filter((d) => d.severity === "error"), []);
  assert.equal(r.changes, { added: [], changed: [], removed: [] }, "run `node bin/policyc.js build` to regenerate generated/");
});

test("product docs example: k8sallowedrepos template and the prod-repo constraint", () => {
  const dir = path.join(projectRoot, "generated", "manifests");
  const t = parse(readFileSync(path.join(dir, "constrainttemplate-k8sallowedrepos.yaml"), "utf8"));
  assert.is(t.metadata.name, "k8sallowedrepos");
  assert.is(t.spec.crd.spec.names.kind, "K8sAllowedRepos");
  assert.equal(t.spec.crd.spec.validation.openAPIV3Schema.properties.repos.type, "array");
  assert.equal(t.spec.crd.spec.validation.openAPIV3Schema.properties.repos.items, { type: "string" });
  assert.match(t.spec.targets[0].rego, /initContainers/);
  const c = parse(readFileSync(path.join(dir, "k8sallowedrepos-prod-repo.yaml"), "utf8"));
  assert.is(c.kind, "K8sAllowedRepos");
  assert.is(c.metadata.name, "prod-repo");
  assert.equal(c.spec.parameters, { repos: ["mycompany.registry.com"] });
  assert.equal(c.spec.match.kinds, [{ apiGroups: [""], kinds: ["Pod"] }]);
  assert.ok(
    c.spec.match.namespaceSelector.matchExpressions.some(
      (e: { key: string; operator: string; values: string[] }) =>
        e.key === "security.deckhouse.io/pod-policy" && e.operator === "In" && e.values.join() === "restricted",
    ),
  );
});

test("kustomization.yaml lists exactly the manifest files present", () => {
  const dir = path.join(projectRoot, "generated", "manifests");
  const k = parse(readFileSync(path.join(dir, "kustomization.yaml"), "utf8"));
  const present = Object.keys(tree(dir)).filter((f) => f !== "kustomization.yaml").sort();
  assert.equal([...k.resources].sort(), present);
  assert.ok(present.length > 0);
});

test("a failing build leaves the previous output untouched", async () => {
  const good = `import { defineCheck, defineConstraint, rego } from "policyc";
export const c = defineCheck<{ repos: string[] }>({ kind: "K8sRepos", description: "d", rego: ${REGO} });
export const k = defineConstraint(c, { name: "one", parameters: { repos: ["a"] } });
`;
  const dir = makeProject({ "policies/a.ts": good });
  try {
    const first = await build({ cwd: dir });
    assert.equal(first.diagnostics.filter((d) => d.code !== "PC2041"), []);
    const before = tree(path.join(dir, "generated"));
    // Template, constraint, kustomization, the two kubeconform schemas and the ownership marker.
    assert.ok(Object.keys(before).length === 6, Object.keys(before).join(" "));
    // An unchanged rebuild writes nothing.
    const stamp = statSync(path.join(dir, "generated/manifests/kustomization.yaml")).mtimeMs;
    const again = await build({ cwd: dir });
    assert.ok(again.unchanged);
    assert.is(statSync(path.join(dir, "generated/manifests/kustomization.yaml")).mtimeMs, stamp);
    // A later stage fails (Gatekeeper naming rule) after loading succeeded.
    writeFileSync(path.join(dir, "policies/a.ts"), good.replace('name: "one"', 'name: "Bad_Name"'));
    const second = await build({ cwd: dir });
    assert.equal(second.diagnostics.map((d) => d.code).filter((c) => c !== "PC2041"), ["PC2004"]);
    // The front end fails.
    writeFileSync(path.join(dir, "policies/a.ts"), `${good}const x: string = 1;\n`);
    assert.equal((await build({ cwd: dir })).diagnostics.map((d) => d.code), ["PC1001"]);
    assert.equal(tree(path.join(dir, "generated")), before);
  } finally {
    removeProject(dir);
  }
});

test("PC2004 points at the name property; PC3006/PC3007 refuse outDirs that are not policyc's", async () => {
  const src = `import { defineCheck, defineConstraint, rego } from "policyc";
export const c = defineCheck({ kind: "K8sA", description: "d", rego: ${REGO} });
export const k = defineConstraint(c, {
  name: "Bad_Name",
});
`;
  const dir = makeProject({ "policies/a.ts": src });
  try {
    const [d] = (await compile({ cwd: dir })).diagnostics;
    const at = positionOf(src, 'name: "Bad_Name"');
    assert.equal([d!.code, d!.span!.line, d!.span!.col, d!.span!.endCol], ["PC2004", at.line, at.col, at.col + 'name: "Bad_Name"'.length]);
    writeFileSync(path.join(dir, "policies/a.ts"), src.replace("Bad_Name", "good"));
    // (PC2041: the fixture's check has no test cases.)
    const codes = (r: { diagnostics: { code: string }[] }) => r.diagnostics.map((x) => x.code).filter((c) => c !== "PC2041");
    assert.equal(codes(await build({ cwd: dir, outDir: "." })), ["PC3006"]);
    assert.equal(codes(await build({ cwd: dir, outDir: ".." })), ["PC3006"]);
    // PC3007: a non-empty folder policyc did not write is never replaced.
    assert.equal(codes(await build({ cwd: dir, outDir: "policies" })), ["PC3007"]);
    assert.ok(readFileSync(path.join(dir, "policies/a.ts"), "utf8").includes("good"));
  } finally {
    removeProject(dir);
  }
});

test("Rego parse errors point into the rego template and into .rego files", async () => {
  const src = `import { defineCheck, rego, regoFile } from "policyc";
export const inline = defineCheck({
  kind: "K8sInline",
  description: "d",
  rego: rego\`
    package inline

    violation[{"msg": msg}] {
      msg := = "broken"
    }
  \`,
});
export const file = defineCheck({ kind: "K8sFile", description: "d", rego: regoFile("./broken.rego") });
`;
  const rego = 'package file\n\nviolation[{"msg": "x"}] {\n  x := [1,\n}\n';
  const dir = makeProject({ "policies/a.ts": src, "policies/broken.rego": rego });
  try {
    const ds = (await compile({ cwd: dir })).diagnostics;
    const files = [...new Set(ds.map((d) => d.span?.file))].sort();
    assert.equal(files, ["policies/a.ts", "policies/broken.rego"]);
    const inline = ds.find((d) => d.span?.file === "policies/a.ts")!;
    assert.is(inline.span!.line, positionOf(src, 'msg := = "broken"').line);
    assert.ok(inline.span!.col >= positionOf(src, 'msg := = "broken"').col, `col ${inline.span!.col}`);
    assert.match(inline.code, /^PC5/);
    const file = ds.find((d) => d.span?.file === "policies/broken.rego")!;
    assert.ok(file.span!.line >= 4 && file.span!.line <= 5, `line ${file.span!.line}`);
  } finally {
    removeProject(dir);
  }
});

test("PC2010: an emitted resource that does not match its schema is not written", async () => {
  const src = `import { defineResource } from "policyc";
export const r = defineResource(
  { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", metadata: { name: "x" } },
  { schema: "kustomize/kustomization.json" },
);
`;
  const dir = makeProject({ "policies/a.ts": src });
  try {
    const r = await build({ cwd: dir });
    assert.equal(r.diagnostics.map((d) => [d.code, d.span?.file, d.span?.line]), [["PC2010", "policies/a.ts", 2]]);
    assert.equal(readdirSync(dir).includes("generated"), false);
  } finally {
    removeProject(dir);
  }
});

test("a resource's Argo CD sync wave defaults to the constraints' wave; syncWave sets it; argocd: false drops it", async () => {
  const src = `import { assignMetadata, defineResource } from "policyc";
export const plain = assignMetadata({ name: "plain", location: "metadata.labels.team", parameters: { assign: { value: "a" } } });
export const early = defineResource(
  { apiVersion: "mutations.gatekeeper.sh/v1", kind: "AssignMetadata", metadata: { name: "early" },
    spec: { location: "metadata.labels.tier", parameters: { assign: { value: "b" } } } },
  { schema: "mutations/assignmetadata.json", syncWave: -2 },
);
`;
  const waves = (config: string) => {
    const dir = makeProject({ "policies/a.ts": src }, config);
    return build({ cwd: dir })
      .then((r) => {
        assert.equal(r.diagnostics.filter((d) => d.severity === "error"), []);
        const wave = (name: string) => (parse(readFileSync(path.join(dir, `generated/manifests/assignmetadata-${name}.yaml`), "utf8")) as any).metadata.annotations?.["argocd.argoproj.io/sync-wave"];
        return [wave("plain"), wave("early")];
      })
      .finally(() => removeProject(dir));
  };
  assert.equal(await waves(`import { defineConfig } from "policyc";\nexport default defineConfig({ include: ["policies/**/*.ts"] });\n`), ["1", "-2"]);
  assert.equal(await waves(`import { defineConfig } from "policyc";\nexport default defineConfig({ include: ["policies/**/*.ts"], argocd: { constraintsWave: 3 } });\n`), ["3", "-2"]);
  assert.equal(await waves(`import { defineConfig } from "policyc";\nexport default defineConfig({ include: ["policies/**/*.ts"], argocd: false });\n`), [undefined, undefined]);
});

test("Rego v1 config emits code[] and parses the body as v1", async () => {
  const config = `import { defineConfig } from "policyc";
export default defineConfig({ include: ["policies/**/*.ts"], regoVersion: "v1", argocd: false, kubeconformSchemas: false });
`;
  const src = `import { defineCheck, rego } from "policyc";
export const c = defineCheck({ kind: "K8sV1", description: "d", rego: rego\`
  package k8sv1
  violation contains {"msg": "no"} if { input.review.object.kind == "Secret" }
\` });
`;
  const dir = makeProject({ "policies/a.ts": src }, config);
  try {
    const r = await compile({ cwd: dir });
    assert.equal(r.diagnostics.filter((d) => d.code !== "PC2041"), []);
    assert.equal(r.files!.map((f) => f.path), ["manifests/constrainttemplate-k8sv1.yaml", "manifests/kustomization.yaml"]);
    const t = parse(r.files![0]!.content);
    assert.is(t.spec.targets[0].code[0].source.version, "v1");
    assert.is(t.spec.targets[0].rego, undefined);
    assert.is(t.metadata.annotations["argocd.argoproj.io/sync-wave"], undefined);
  } finally {
    removeProject(dir);
  }
});

test.run();
