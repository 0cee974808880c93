// `policyc expand` as `gator expand` (Gatekeeper's gator.md, "The gator expand subcommand", and
// expansion.md): every input object is mutated, then expanded by the ExpansionTemplates; the
// generated objects carry an owner reference to their parent and are printed as gator prints them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { runCli, writeTree } from "../support/cli.js";

const template = (name: string, from: { group: string; kind: string }, source: string, to: { group: string; version: string; kind: string }) => `apiVersion: expansion.gatekeeper.sh/v1alpha1
kind: ExpansionTemplate
metadata:
  name: ${name}
spec:
  applyTo:
  - groups: ["${from.group}"]
    kinds: ["${from.kind}"]
    versions: ["v1"]
  templateSource: "${source}"
  generatedGVK:
    kind: "${to.kind}"
    group: "${to.group}"
    version: "${to.version}"
`;

const deployment = (ns?: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${ns ? `  namespace: ${ns}\n` : ""}spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: nginx:1.25
        ports:
        - containerPort: 8080
`;

const pullAlways = (selector: boolean) => `apiVersion: mutations.gatekeeper.sh/v1
kind: Assign
metadata:
  name: always-pull
spec:
  applyTo:
  - groups: [""]
    kinds: ["Pod"]
    versions: ["v1"]
  location: "spec.containers[name: *].imagePullPolicy"
  parameters:
    assign:
      value: Always
  match:
    source: Generated
    scope: Namespaced
${selector ? "    namespaceSelector:\n      matchExpressions:\n      - key: admission.gatekeeper.sh/ignore\n        operator: DoesNotExist\n" : ""}`;

const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const docs = (...d: string[]) => d.join("---\n");
const deployToPod = template("expand-deployments", { group: "apps", kind: "Deployment" }, "spec.template", { group: "", version: "v1", kind: "Pod" });

async function expand(files: Record<string, string>, args: string[] = []) {
  const dir = writeTree("policyc-expand-", files);
  try {
    return { dir, ...(await runCli(["expand", ...Object.keys(files), ...args], dir)) };
  } finally {
    if (!args.some((a) => a.startsWith("--outputfile") || a === "-o")) rmSync(dir, { recursive: true, force: true });
  }
}

test("a Deployment's Pod, mutated by a Generated mutator whose namespaceSelector sees the Namespace given beside it", async () => {
  const r = await expand({ "manifest.yaml": docs(deployToPod, deployment("team-a"), pullAlways(true), namespace("team-a")) });
  assert.is(r.code, 0, r.stderr);
  assert.is(
    r.stdout,
    `apiVersion: v1
kind: Pod
metadata:
  labels:
    app: web
  name: web-pod
  namespace: team-a
  ownerReferences:
  - apiVersion: apps/v1
    kind: Deployment
    name: web
    uid: ""
spec:
  containers:
  - image: nginx:1.25
    imagePullPolicy: Always
    name: app
    ports:
    - containerPort: 8080

`,
  );
});

test("without the Namespace a namespaceSelector needs, expansion fails with exit 1 (gator.md's non-default namespace example)", async () => {
  const r = await expand({ "manifest.yaml": docs(deployToPod, deployment("team-a"), pullAlways(true)) });
  assert.is(r.code, 1);
  assert.match(r.stderr, /PC4206/);
  assert.match(r.stderr, /namespace selector for namespace-scoped object but missing Namespace/);
  // The default namespace needs no Namespace object, and a mutator without a selector needs none.
  const inDefault = await expand({ "manifest.yaml": docs(deployToPod, deployment("default"), pullAlways(true)) });
  assert.is(inDefault.code, 0, inDefault.stderr);
  assert.match(inDefault.stdout, /imagePullPolicy: Always/);
  const noSelector = await expand({ "manifest.yaml": docs(deployToPod, deployment("team-b"), pullAlways(false)) });
  assert.is(noSelector.code, 0, noSelector.stderr);
  assert.match(noSelector.stdout, /namespace: team-b\n/);
});

test("a cluster-scoped custom resource expands into two kinds, sorted as gator sorts them, each with its owner reference", async () => {
  const cat = `apiVersion: cat.example.com/v1
kind: Cat
metadata:
  name: tom
spec:
  kitten:
    metadata:
      labels:
        fluffy: "yes"
    spec:
      weight: 1000000
  purr:
    spec:
      loud: very
`;
  const annotate = (kind: string, key: string, value: string) => `apiVersion: mutations.gatekeeper.sh/v1
kind: AssignMetadata
metadata:
  name: annotate-${kind.toLowerCase()}
spec:
  match:
    source: Generated
    scope: Namespaced
    kinds:
    - apiGroups: ["*"]
      kinds: ["${kind}"]
  location: "metadata.annotations.${key}"
  parameters:
    assign:
      value: "${value}"
`;
  const r = await expand({
    "cat.yaml": docs(
      template("cat-kitten", { group: "cat.example.com", kind: "Cat" }, "spec.kitten", { group: "kitten.example.com", version: "v1", kind: "Kitten" }),
      template("cat-purr", { group: "cat.example.com", kind: "Cat" }, "spec.purr", { group: "purr.example.com", version: "v1", kind: "Purr" }),
      cat,
      annotate("Kitten", "sound", "meow"),
      annotate("Purr", "pet", "80"),
    ),
  });
  assert.is(r.code, 0, r.stderr);
  // tom-purr sorts after tom-kitten, so gator's descending order prints it first. The cluster-scoped
  // parent gets gator's empty Namespace: scope Namespaced mutators apply, no namespace is set.
  assert.is(
    r.stdout,
    `apiVersion: purr.example.com/v1
kind: Purr
metadata:
  annotations:
    pet: "80"
  name: tom-purr
  ownerReferences:
  - apiVersion: cat.example.com/v1
    kind: Cat
    name: tom
    uid: ""
spec:
  loud: very
---
apiVersion: kitten.example.com/v1
kind: Kitten
metadata:
  annotations:
    sound: meow
  labels:
    fluffy: "yes"
  name: tom-kitten
  ownerReferences:
  - apiVersion: cat.example.com/v1
    kind: Cat
    name: tom
    uid: ""
spec:
  weight: 1e+06

`,
  );
});

test("a CronJob expands into its Job and the Job into its Pod; Original-only mutators leave what is generated alone", async () => {
  const cronjob = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: ops
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: job
            image: busybox
`;
  const originalOnly = `apiVersion: mutations.gatekeeper.sh/v1
kind: AssignMetadata
metadata:
  name: stamp-original
spec:
  match:
    source: Original
  location: "metadata.labels.stamped"
  parameters:
    assign:
      value: "true"
`;
  const tagLatest = `apiVersion: mutations.gatekeeper.sh/v1alpha1
kind: AssignImage
metadata:
  name: tag
spec:
  applyTo:
  - groups: [""]
    kinds: ["Pod"]
    versions: ["v1"]
  location: "spec.containers[name:*].image"
  parameters:
    assignTag: ":1.36"
  match:
    source: All
`;
  const r = await expand({
    "cron.yaml": docs(
      template("cron-job", { group: "batch", kind: "CronJob" }, "spec.jobTemplate", { group: "batch", version: "v1", kind: "Job" }),
      template("job-pod", { group: "batch", kind: "Job" }, "spec.template", { group: "", version: "v1", kind: "Pod" }),
      cronjob,
      originalOnly,
      tagLatest,
      namespace("ops"),
    ),
  });
  assert.is(r.code, 0, r.stderr);
  const objects = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> });
  // gator's order compares name + apiVersion + kind: "nightly-jobbatch/v1Job" > "nightly-job-podv1Pod".
  assert.equal(objects.map((o) => `${o.kind}/${String(o.metadata.name)}`), ["Job/nightly-job", "Pod/nightly-job-pod"]);
  const [job, pod] = objects;
  assert.equal(pod!.metadata.ownerReferences, [{ apiVersion: "batch/v1", kind: "Job", name: "nightly-job", uid: "" }]);
  assert.equal(job!.metadata.ownerReferences, [{ apiVersion: "batch/v1", kind: "CronJob", name: "nightly", uid: "" }]);
  assert.is((pod!.spec.containers as { image: string }[])[0]!.image, "busybox:1.36");
  assert.is(pod!.metadata.labels, undefined, "a source: Original mutator does not touch generated objects");
  assert.is(job!.metadata.namespace, "ops");
});

test("--format json prints a stream of objects as encoding/json indents them; --outputfile writes the file", async () => {
  const r = await expand({ "m.yaml": docs(deployToPod, deployment("default").replace("nginx:1.25", "nginx:<1&2>")) }, ["--format", "json"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\{\n {4}"apiVersion": "v1",\n {4}"kind": "Pod",/);
  assert.match(r.stdout, /"image": "nginx:\\u003c1\\u00262\\u003e"/);
  assert.is(JSON.parse(r.stdout).metadata.name, "web-pod");
  const w = await expand({ "m.yaml": docs(deployToPod, deployment("default")) }, ["--outputfile", "out.yaml"]);
  try {
    assert.is(w.code, 0, w.stderr);
    assert.is(w.stdout, "Writing output to file: out.yaml\n");
    assert.match(readFileSync(path.join(w.dir, "out.yaml"), "utf8"), /^apiVersion: v1\nkind: Pod\n/);
  } finally {
    rmSync(w.dir, { recursive: true, force: true });
  }
});

test("an ExpansionTemplate Gatekeeper refuses is an error; objects no template applies to give no output", async () => {
  const selfEdge = template("loop", { group: "", kind: "Pod" }, "spec", { group: "", version: "v1", kind: "Pod" });
  const r = await expand({ "m.yaml": docs(selfEdge, deployment("default")) });
  assert.is(r.code, 1);
  assert.match(r.stderr, /PC4204/);
  const none = await expand({ "m.yaml": deployment("default") });
  assert.is(none.code, 0, none.stderr);
  assert.is(none.stdout, "\n");
  const empty = await expand({ "m.yaml": "# nothing\n" });
  assert.is(empty.code, 1);
  assert.match(empty.stderr, /PC4119/);
});

test("an ExpansionTemplate or mutator given twice under one name: the last one is used, with a warning (re-applying replaces)", async () => {
  const toJob = template("expand-deployments", { group: "apps", kind: "Deployment" }, "spec.template", { group: "batch", version: "v1", kind: "Job" });
  const pullNever = pullAlways(false).replace("value: Always", "value: Never");
  const r = await expand({ "a.yaml": docs(toJob, pullAlways(false)), "b.yaml": docs(deployToPod, deployment("team-a"), pullNever) });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^apiVersion: v1\nkind: Pod\n/);
  assert.not.match(r.stdout, /kind: Job/);
  assert.match(r.stdout, /imagePullPolicy: Never/);
  assert.is((r.stderr.match(/PC4207/g) ?? []).length, 2, r.stderr);
  // Files are read in name order, so the order of the folder decides which one is last.
  const swapped = await expand({ "a.yaml": docs(deployToPod, deployment("team-a"), pullNever), "b.yaml": docs(toJob, pullAlways(false)) });
  assert.match(swapped.stdout, /^apiVersion: batch\/v1\nkind: Job\n/);
  assert.not.match(swapped.stdout, /imagePullPolicy/, "the Assign applies to Pods only");
});

test.run();
