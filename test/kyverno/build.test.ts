// Kyverno through a whole `policyc build`: exceptions from a policy folder and from the DSL land in
// generated/manifests and the kustomization; bad policy files and a wrong exception namespace
// fail the build at their file:line:col.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import YAML from "yaml";
import { build } from "../../src/build/stages.js";
import { renderDiagnostics } from "../../src/diagnostics/index.js";
import { makeProject, removeProject } from "../build/fixture.js";

const config = `import { defineConfig } from "policyc";
export default defineConfig({
  include: ["policies/**/*.ts"],
  kyverno: { policyDir: "kyverno", exceptionNamespace: "policy-exceptions", resourceFilters: true },
});
`;

const clusterPolicy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-requests
spec:
  rules:
    - name: check-requests
      match:
        any:
          - resources:
              kinds: [Pod]
`;

const dsl = `import { kyvernoPolicy } from "policyc";
kyvernoPolicy({ name: "vendor-policy", rules: ["no-host-path"] });
`;

test("folder and DSL policies get exceptions in the configured namespace; bad input fails at its place", async () => {
  const dir = makeProject({ "policies/k.ts": dsl, "kyverno/require-requests.yaml": clusterPolicy }, config);
  try {
    const ok = await build({ cwd: dir });
    assert.equal(ok.diagnostics.filter((d) => d.severity === "error"), [], renderDiagnostics(ok.diagnostics));
    const out = path.join(dir, "generated/manifests");
    const ex = YAML.parse(readFileSync(path.join(out, "policyexception-policy-exceptions-require-requests-system-namespaces.yaml"), "utf8"));
    assert.equal(ex.spec.exceptions, [{ policyName: "require-requests", ruleNames: ["check-requests", "autogen-check-requests", "autogen-cronjob-check-requests"] }]);
    assert.equal(ex.spec.match.any[0].resources.namespaces, ["kube-system", "d8-*"]);
    const vendor = YAML.parse(readFileSync(path.join(out, "policyexception-policy-exceptions-vendor-policy-system-namespaces.yaml"), "utf8"));
    assert.is(vendor.metadata.namespace, "policy-exceptions");
    const kust = YAML.parse(readFileSync(path.join(out, "kustomization.yaml"), "utf8"));
    assert.ok(kust.resources.includes("policyexception-policy-exceptions-require-requests-system-namespaces.yaml"));
    assert.match(readFileSync(path.join(dir, "generated/kyverno/resource-filters.yaml"), "utf8"), /\[\*\/\*,d8-\*,\*\]/);

    writeFileSync(path.join(dir, "kyverno/broken.yaml"), "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: broken\n  labels: {a: [}\n");
    writeFileSync(path.join(dir, "kyverno/empty.yaml"), "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: empty\nspec:\n  background: true\n");
    writeFileSync(
      path.join(dir, "policies/x.ts"),
      `import { policyException } from "policyc";\npolicyException({\n  name: "x",\n  namespace: "default",\n  exceptions: [{ policyName: "p", ruleNames: ["r"] }],\n  match: { any: [{ resources: { namespaces: ["tools"] } }] },\n});\n`,
    );
    const bad = await build({ cwd: dir });
    const text = renderDiagnostics(bad.diagnostics);
    const at = (code: string) => bad.diagnostics.filter((d) => d.code === code).map((d) => `${d.span?.file}:${d.span?.line}`);
    assert.equal(at("PC6030"), ["kyverno/broken.yaml:5"], text);
    assert.equal(at("PC6031"), ["kyverno/empty.yaml:6"], text);
    assert.equal(at("PC6032"), ["policies/x.ts:4"], text);
    assert.equal(YAML.parse(readFileSync(path.join(out, "kustomization.yaml"), "utf8")), kust, "a failed build must not touch the output");
  } finally {
    removeProject(dir);
  }
});

test.run();
