// policyc check with Deckhouse's policies: the examples' SecurityPolicies (the product docs' foo and
// bar) render into the pack's templates and deny what they name; `--templates DIR` puts a cluster's
// exported template in place of the pack's for its kind.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCheck } from "../../src/testing/check/run.js";
import { projectRoot } from "../support/shared.js";

const settings = { operation: "CREATE" as const, defaultNamespace: "default" };
const pod = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: test}
spec:
  containers:
  - name: c
    image: mycompany.registry.com/app:1.0
`;

const messages = (run: Awaited<ReturnType<typeof runCheck>>) =>
  run.results.flatMap((r) => r.violations.map((v) => `${v.constraint.kind}/${v.constraint.name}: ${v.msg}`));

test("the examples' foo and bar deny a container in a namespace labelled name=test; a cluster's template replaces the pack's for its kind", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-dh-"));
  try {
    writeFileSync(path.join(dir, "pod.yaml"), pod);
    const base = { cwd: projectRoot, inputs: [path.join(dir, "pod.yaml")], policies: { kind: "project" as const }, namespaceLabels: ["test=name=test"], settings, workers: 1 };
    const pack = messages(await runCheck(base));
    assert.ok(pack.some((m) => m.startsWith("D8ReadOnlyRootFilesystem/foo: only read-only root filesystem container is allowed, container: c")), pack.join("\n"));
    assert.ok(pack.some((m) => m.startsWith("D8AllowedCapabilities/bar: container is not dropping all required capabilities")), pack.join("\n"));

    // The cluster's template for one kind (same schema, other Rego) is used instead of the pack's.
    const packTemplate = readFileSync(path.join(projectRoot, "packs/deckhouse/generated/manifests/constrainttemplate-d8readonlyrootfilesystem.yaml"), "utf8");
    const exported = packTemplate.replace(/violation contains \{"msg": msg, "details": \{\}\} if \{[\s\S]*?\n {14}\}\n/, 'violation contains {"msg": "cluster template"} if { input.review.object.kind == "Pod" }\n');
    assert.ok(exported !== packTemplate, "the test's replacement applies to the pack's template");
    writeFileSync(path.join(dir, "templates.yaml"), exported);
    const cluster = messages(await runCheck({ ...base, templatesDir: path.join(dir, "templates.yaml") }));
    assert.ok(cluster.includes("D8ReadOnlyRootFilesystem/foo: cluster template"), cluster.join("\n"));
    assert.not.ok(cluster.some((m) => m.includes("only read-only root filesystem")), cluster.join("\n"));
    // Other kinds still come from the pack.
    assert.ok(cluster.some((m) => m.startsWith("D8AllowedCapabilities/bar:")), cluster.join("\n"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
