import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { admissionFailure, buildEngines, isAdmissionEngineError } from "../../src/testing/check/engines.js";
import { policySetFromObjects } from "../../src/testing/gatekeeper/policy-set.js";

// The repo's own policy set as a GitOps repository holds it: generated/manifests.
const dir = "generated/manifests";
const objects = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
  .map((f) => ({ object: parse(readFileSync(`${dir}/${f}`, "utf8")), origin: { file: `${dir}/${f}`, line: 1, col: 1 } }));

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "apps" },
  spec: {
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "app", image: "nginx:1.27", args: ["--debug", "serve"] }] },
    },
  },
};

test("the examples' mutators and default ExpansionTemplates as check's engines: the Deployment's Pod is mutated as the cluster would", async () => {
  const engines = await buildEngines(policySetFromObjects(objects));
  assert.equal(engines.diagnostics, []);
  const ctx = { operation: "CREATE" };
  // The mutators select Pods only: the Deployment itself is left as written.
  assert.equal(engines.mutation!.mutate(deployment, ctx).applied, []);
  const [pod, ...rest] = engines.expansion!.expand(deployment, ctx);
  assert.is(rest.length, 0);
  assert.is(pod!.template, "policyc-expand-workloads");
  assert.equal(pod!.object.metadata, {
    labels: { app: "web", "example.com/team": "platform" },
    name: "web-pod",
    namespace: "apps",
    // Gatekeeper writes a typed OwnerReference, whose uid is always present (empty).
    ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "" }],
  });
  assert.equal((pod!.object.spec as any).containers, [{ name: "app", image: "mirror.example.com/nginx:1.27", args: ["serve"], imagePullPolicy: "Always" }]);
  // A real Pod in an exempt namespace is not mutated (the mutators' excludedNamespaces).
  const sys = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "kube-system" }, spec: { containers: [{ name: "c", image: "x" }] } };
  assert.equal(engines.mutation!.mutate(sys, ctx).applied, []);
  // Kinds no template names are not expanded; a workload without its template source is an engine error.
  assert.equal(engines.expansion!.expand({ apiVersion: "v1", kind: "Service", metadata: { name: "s" } }, ctx), []);
  let err: unknown;
  try {
    engines.expansion!.expand({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "apps" }, spec: {} }, ctx);
  } catch (e) {
    err = e;
  }
  assert.ok(isAdmissionEngineError(err), String(err));
  const d = admissionFailure(err as never, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "apps" } }, { file: "app.yaml", line: 4, col: 1 });
  assert.is(d.code, "PC4206");
  assert.match(d.message, /^Expansion of Deployment apps\/d fails, so Gatekeeper's webhook would refuse it: .*has no spec\.template/);
});

test("a policy set without mutators or ExpansionTemplates gets no engines; refused ones are diagnostics at their origin", async () => {
  const none = await buildEngines(policySetFromObjects(objects.filter((o) => !/^(assign|modifyset|expansiontemplate)/.test(o.origin.file.split("/").pop()!))));
  assert.is(none.mutation, undefined);
  assert.is(none.expansion, undefined);
  const broken = await buildEngines(
    policySetFromObjects([
      { object: { apiVersion: "mutations.gatekeeper.sh/v1", kind: "Assign", metadata: { name: "m" }, spec: { location: "metadata.x", parameters: { assign: { value: 1 } } } }, origin: { file: "m.yaml", line: 3, col: 1 } },
    ]),
  );
  assert.equal(broken.diagnostics.map((d) => [d.code, d.span?.file, d.span?.line]), [["PC4201", "m.yaml", 3]]);
  assert.is(broken.mutation, undefined);
});

test.run();
