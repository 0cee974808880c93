// policyc check's inventory: which kinds a template can read (from its Rego, else its
// requires-sync-data annotation), that each module sees exactly those, on one thread and on
// several, and the data document each module loads.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCheck } from "../../src/testing/check/run.js";
import { inventoryData, inventoryEntry } from "../../src/testing/check/inventory.js";
import type { CompiledModule } from "../../src/testing/gatekeeper/compile-set.js";
import { inventoryNeeds, inventoryReads, requiredSyncData } from "../../src/testing/gatekeeper/sync.js";
import { readTemplate } from "../../src/testing/gatekeeper/template.js";
import type { PolicyTemplate } from "../../src/testing/gatekeeper/policy-set.js";
import { projectRoot } from "../support/shared.js";
import { templateWithConstraint } from "./policy-yaml.js";

function template(rego: string, annotations: Record<string, string> = {}, libs: string[] = []): PolicyTemplate {
  const object = {
    apiVersion: "templates.gatekeeper.sh/v1",
    kind: "ConstraintTemplate",
    metadata: { name: "t", annotations },
    spec: { crd: { spec: { names: { kind: "T" } } }, targets: [{ target: "admission.k8s.gatekeeper.sh", rego, libs }] },
  };
  return { object, info: readTemplate(object) };
}

test("inventoryReads: constant kinds are read, anything that can reach another kind reads all", () => {
  const v = (body: string) => `package t\nviolation[{"msg": "x"}] {\n  ${body}\n}`;
  assert.equal(inventoryReads(template(v('data.inventory.namespace[ns]["v1"]["Service"][name]'))), [{ group: "", kind: "Service" }]);
  assert.equal(inventoryReads(template(v('data.inventory.cluster["storage.k8s.io/v1"].StorageClass[n]'))), [{ group: "storage.k8s.io", kind: "StorageClass" }]);
  // An apiVersion that is not constant: any group of that kind.
  assert.equal(inventoryReads(template(v('data.inventory.namespace[_][gv]["Ingress"][name]'))), [{ kind: "Ingress" }]);
  // The kind comes from the object: everything.
  assert.is(inventoryReads(template(v("data.inventory.namespace[ns][gv][input.review.object.spec.kind][n]"))), "all");
  // Part of the inventory bound to a variable, then walked.
  assert.is(inventoryReads(template(v('objs := data.inventory.namespace[ns]["v1"]\n  objs.Service[n]'))), "all");
  assert.is(inventoryReads(template(v("x := data[k]"))), "all");
  assert.is(inventoryReads(template(`package t\nimport data.inventory.cluster as c\nviolation[{"msg": "x"}] { c["v1"].Namespace[_] }`)), "all");
  // Only the libs read it; a mention in a comment reads nothing.
  const lib = 'package lib.t\nsvc(ns, n) := data.inventory.namespace[ns]["v1"]["Service"][n]';
  assert.equal(inventoryReads(template(v("true"), {}, [lib])), [{ group: "", kind: "Service" }]);
  assert.equal(inventoryReads(template(`package t\n# reads nothing from data.inventory\nviolation[{"msg": "x"}] { true }`)), []);
});

test("requires-sync-data: the library's multi-line quoted form is read; it bounds a template whose Rego reads all", () => {
  const ann = `"[\n  [\n    {\n      "groups": ["apps"],\n      "versions": ["v1"],\n      "kinds": ["Deployment"]\n    }\n  ]\n]"`;
  const t = template('package t\nviolation[{"msg": "x"}] {\n  data.inventory.namespace[ns][gv][kind][n]\n}', { "metadata.gatekeeper.sh/requires-sync-data": ann });
  assert.equal(requiredSyncData(t), [{ group: "apps", kind: "Deployment" }]);
  assert.is(inventoryReads(t), "all");
  assert.equal(inventoryNeeds(t), [{ group: "apps", kind: "Deployment" }]);
  assert.is(inventoryNeeds(template('package t\nviolation[{"msg": "x"}] {\n  data.inventory.namespace[ns][gv][kind][n]\n}')), "all");
});

const TEMPLATE = templateWithConstraint;

test("each template sees the inventory kinds it reads: a constant-kind reader, an all-kinds reader, a non-reader, on 1 and 2 threads", async () => {
  // Same package name in all three: three modules, each loading its own part of the inventory.
  const unique = TEMPLATE(
    "UniqueSelector",
    'package dup\nviolation[{"msg": msg}] {\n  sel := input.review.object.spec.selector\n  other := data.inventory.namespace[ns]["v1"]["Service"][name]\n  name != input.review.object.metadata.name\n  other.spec.selector == sel\n  msg := sprintf("selector shared with %v/%v", [ns, name])\n}',
    "Service",
  );
  const count = TEMPLATE(
    "CountAll",
    'package dup\nviolation[{"msg": msg}] {\n  input.review.object.metadata.name == "first"\n  kinds := {k | data.inventory.namespace[_][_][k][_]}\n  msg := sprintf("kinds %v", [sort([k | kinds[k]])])\n}',
    "Service",
  );
  const none = TEMPLATE("NeedsData", 'package dup\n# never reads data.inventory\nviolation[{"msg": "configmap without data"}] {\n  not input.review.object.data.k\n}', "ConfigMap");
  const objects: string[] = [];
  for (let i = 0; i < 120; i++) {
    const name = i === 0 ? "first" : `svc${i}`;
    objects.push(`apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ns${i % 3}}\nspec: {selector: {app: a${i % 50 === 7 ? "dup" : i}}}\n`);
    objects.push(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm${i}, namespace: ns${i % 3}}\ndata: {k: v}\n`);
  }
  const stdinText = [unique, count, none, ...objects].join("---\n");
  const settings = { operation: "CREATE" as const, defaultNamespace: "default" };
  const run = (workers: number) => runCheck({ cwd: projectRoot, inputs: ["-"], stdinText, policies: { kind: "inputs" }, settings, workers });
  const one = await run(1);
  assert.equal(one.diagnostics, []);
  const msgs = (r: Awaited<ReturnType<typeof run>>) => r.results.flatMap((o) => o.violations.map((v) => `${o.kind}/${o.name}: ${v.msg}`));
  const m = msgs(one);
  // svc7, svc57 and svc107 share a selector (`a-dup`): each is reported against the other two.
  assert.equal(m.filter((x) => x.includes("selector shared")).sort(), [
    "Service/svc107: selector shared with ns0/svc57",
    "Service/svc107: selector shared with ns1/svc7",
    "Service/svc57: selector shared with ns1/svc7",
    "Service/svc57: selector shared with ns2/svc107",
    "Service/svc7: selector shared with ns0/svc57",
    "Service/svc7: selector shared with ns2/svc107",
  ]);
  // The template that may read any kind sees every kind of the inputs.
  assert.ok(m.includes('Service/first: kinds ["ConfigMap", "Service"]'), m.join("\n"));
  // One that only names the inventory in a comment runs on empty data.
  assert.is(m.filter((x) => x.includes("configmap without data")).length, 0);
  assert.is(one.summary.passed, 240 - 3 - 1);
  const two = await run(2);
  assert.equal(msgs(two), m);
});

test("the inventory holds the objects of the kinds read however their kind is written", async () => {
  const names = TEMPLATE(
    "ServiceNames",
    'package names\nviolation[{"msg": msg}] {\n  input.review.object.metadata.name == "probe"\n  names := {n | data.inventory.namespace[_]["v1"]["Service"][n]}\n  msg := sprintf("%v", [sort([n | names[n]])])\n}',
    "ConfigMap",
  );
  const stdinText = [
    names,
    "apiVersion: v1\nkind: Service\nmetadata: {name: block, namespace: a}\n",
    "{apiVersion: v1, kind: Service, metadata: {name: flow, namespace: a}}\n",
    '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "json", "namespace": "a"}}\n',
    "apiVersion: v1\nkind:\n  Service\nmetadata: {name: nextline, namespace: a}\n",
    "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: a}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: probe, namespace: a}\n",
  ].join("---\n");
  const run = await runCheck({ cwd: projectRoot, inputs: ["-"], stdinText, policies: { kind: "inputs" }, settings: { operation: "CREATE", defaultNamespace: "default" }, workers: 1 });
  assert.equal(run.diagnostics, []);
  assert.equal(run.results.flatMap((r) => r.violations.map((v) => v.msg)), ['["block", "flow", "json", "nextline"]']);
});

test("policy objects among the inputs are in the inventory, as gator test adds every input object: templates, constraints, mutators; on 1 and 2 threads", async () => {
  // Each reads one policy kind from the cluster-scoped inventory and reports the names it finds.
  const reader = (kind: string, path: string) =>
    TEMPLATE(
      kind,
      `package ${kind.toLowerCase()}\nviolation[{"msg": msg}] {\n  names := {n | data.inventory.cluster${path}[n]}\n  msg := sprintf("${kind} %v", [sort([n | names[n]])])\n}`,
      "ConfigMap",
    );
  const assign = "apiVersion: mutations.gatekeeper.sh/v1\nkind: Assign\nmetadata: {name: pull-always}\nspec:\n  applyTo: [{groups: [''], kinds: [Pod], versions: [v1]}]\n  location: 'spec.containers[name:*].imagePullPolicy'\n  parameters: {assign: {value: Always}}\n";
  const stdinText = [
    reader("SeesTemplates", '["templates.gatekeeper.sh/v1"]["ConstraintTemplate"]'),
    reader("SeesConstraints", '["constraints.gatekeeper.sh/v1beta1"]["SeesTemplates"]'),
    reader("SeesAssigns", '["mutations.gatekeeper.sh/v1"]["Assign"]'),
    assign,
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: probe, namespace: a}\n",
  ].join("---\n");
  const settings = { operation: "CREATE" as const, defaultNamespace: "default" };
  for (const workers of [1, 2]) {
    const run = await runCheck({ cwd: projectRoot, inputs: ["-"], stdinText, policies: { kind: "inputs" }, settings, workers });
    assert.equal(run.diagnostics.filter((d) => d.severity === "error"), []);
    assert.equal(run.results.flatMap((r) => r.violations.map((v) => v.msg)).sort(), [
      'SeesAssigns ["pull-always"]',
      'SeesConstraints ["seestemplates-all"]',
      'SeesTemplates ["seesassigns", "seesconstraints", "seestemplates"]',
    ]);
  }
});

test("a template whose constraints match only kinds the inputs lack loads no inventory; given such an object, in any layout, it sees the inventory", async () => {
  // Judges exec requests against the Pod exec'd into (from the inventory), as Deckhouse's heritage check does.
  const exec = TEMPLATE(
    "ExecInto",
    'package exec\nviolation[{"msg": msg}] {\n  pod := data.inventory.namespace[input.review.namespace]["v1"]["Pod"][input.review.object.metadata.name]\n  msg := sprintf("exec into %v", [pod.metadata.name])\n}',
    "PodExecOptions",
  );
  const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: a}\nspec: {containers: [{name: c, image: nginx}]}\n";
  const settings = { operation: "CREATE" as const, defaultNamespace: "default" };
  const run = (docs: string[]) => runCheck({ cwd: projectRoot, inputs: ["-"], stdinText: [exec, pod, ...docs].join("---\n"), policies: { kind: "inputs" }, settings, workers: 1 });
  const msgs = (r: Awaited<ReturnType<typeof run>>) => r.results.flatMap((o) => o.violations.map((v) => `${o.kind}: ${v.msg}`));
  // Only the Pod: nothing can match, nothing is reported.
  assert.equal(msgs(await run([])), []);
  for (const request of [
    "apiVersion: v1\nkind: PodExecOptions\nmetadata: {name: web, namespace: a}\ncommand: [sh]\n",
    '{"apiVersion": "v1", "kind": "PodExecOptions", "metadata": {"name": "web", "namespace": "a"}}\n',
    "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: PodExecOptions, metadata: {name: web, namespace: a}}\n",
  ])
    assert.equal(msgs(await run([request])), ["PodExecOptions: exec into web"], request);
});

test("a template judging only the kind an ExpansionTemplate generates sees the inventory when its source kind is among the inputs", async () => {
  const podServices = TEMPLATE(
    "PodServices",
    'package podsvc\nviolation[{"msg": msg}] {\n  names := {n | data.inventory.namespace[input.review.object.metadata.namespace]["v1"]["Service"][n]}\n  count(names) > 0\n  msg := sprintf("services %v", [sort([n | names[n]])])\n}',
    "Pod",
  );
  const expansion = "apiVersion: expansion.gatekeeper.sh/v1beta1\nkind: ExpansionTemplate\nmetadata: {name: expand-deployments}\nspec:\n  applyTo: [{groups: [apps], kinds: [Deployment], versions: [v1]}]\n  templateSource: spec.template\n  generatedGVK: {kind: Pod, group: '', version: v1}\n";
  const stdinText = [
    podServices,
    expansion,
    "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: a}\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx}]}\n",
  ].join("---\n");
  const run = await runCheck({ cwd: projectRoot, inputs: ["-"], stdinText, policies: { kind: "inputs" }, settings: { operation: "CREATE", defaultNamespace: "default" }, workers: 1 });
  assert.equal(run.diagnostics.filter((d) => d.severity === "error"), []);
  assert.equal(
    run.results.flatMap((r) => r.violations.map((v) => `${r.kind}: ${v.msg}`)),
    ["Deployment: [Implied by expand-deployments] services [\"web\"]"],
  );
});


test("a module's data document is Gatekeeper's layout of the objects' texts: only the kinds it reads, an object filed twice in its first place with its last text", () => {
  const svc = (ns: string, name: string, v: string) => ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: ns, labels: { v } } });
  const objects = [
    svc("a", "x", "1"),
    svc("a", "10", "1"),
    svc("b", "2", "1"),
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "a" } },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "r" } },
    svc("a", "x", "2"),
  ];
  const entries = objects.map((o) => inventoryEntry(o)!);
  // An object without a kind is not synced (Gatekeeper refuses it).
  assert.is(inventoryEntry({ apiVersion: "v1", metadata: { name: "n" } }), undefined);
  const module = (inventoryKinds: CompiledModule["inventoryKinds"], readsInventory = true) => ({ wasm: new Uint8Array(), entrypoints: [], readsInventory, inventoryKinds });
  const [all, services, none] = inventoryData([module("all"), module([{ group: "", kind: "Service" }]), module([], false)], entries);
  const text = (d: Uint8Array | undefined) => new TextDecoder().decode(d);
  // What JSON.stringify makes of the same layout built from the objects (insertion order; integer-like names first, as JavaScript orders keys).
  const layout = (keep: (o: (typeof objects)[number]) => boolean) => {
    const inv: { cluster: Record<string, Record<string, Record<string, unknown>>>; namespace: Record<string, Record<string, Record<string, Record<string, unknown>>>> } = { cluster: {}, namespace: {} };
    for (const o of objects.filter(keep)) {
      const ns = (o.metadata as { namespace?: string }).namespace;
      if (ns === undefined) ((inv.cluster[o.apiVersion] ??= {})[o.kind] ??= {})[o.metadata.name] = o;
      else (((inv.namespace[ns] ??= {})[o.apiVersion] ??= {})[o.kind] ??= {})[o.metadata.name] = o;
    }
    return JSON.stringify({ inventory: inv });
  };
  assert.is(text(all), layout(() => true));
  assert.is(text(services), layout((o) => o.kind === "Service"));
  assert.ok(text(all).includes('"x":{"apiVersion":"v1","kind":"Service","metadata":{"name":"x","namespace":"a","labels":{"v":"2"}}}'));
  assert.is(none, undefined);
  // The data worker threads read without a copy.
  assert.ok(all!.buffer instanceof SharedArrayBuffer);
  assert.is(text(inventoryData([module([{ group: "apps", kind: "StatefulSet" }])], entries)[0]), '{"inventory":{"cluster":{},"namespace":{}}}');
});

test("on several threads the worker threads parse part of the inventory: the same data as on one, in input order, the last text of an object filed twice", async () => {
  const seen = TEMPLATE(
    "SeenServices",
    [
      "package seen",
      'violation[{"msg": msg}] {',
      '  input.review.object.metadata.name == "probe"',
      '  total := count([1 | data.inventory.namespace[_]["v1"]["Service"][_]])',
      '  msg := sprintf("%v services; dup v=%v; last %v; no namespace %v", [total, data.inventory.namespace.a["v1"]["Service"].dup.metadata.labels.v, count([1 | data.inventory.namespace.c["v1"]["Service"]["svc2999"]]), count([1 | data.inventory.namespace["default"]["v1"]["Service"].nons])])',
      "}",
    ].join("\n"),
    "ConfigMap",
  );
  const pad = "x".repeat(160);
  const docs: string[] = [seen, "apiVersion: v1\nkind: Service\nmetadata: {name: dup, namespace: a, labels: {v: first}}\n"];
  for (let i = 0; i < 3000; i++) docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: svc${i}\n  namespace: ${"abc"[i % 3]}\n  annotations: {pad: ${pad}}\nspec: {selector: {app: a${i}}}\n`);
  docs.push("apiVersion: v1\nkind: Service\nmetadata: {name: nons}\n", "apiVersion: v1\nkind: Service\nmetadata: {name: dup, namespace: a, labels: {v: last}}\n");
  docs.push("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: probe, namespace: a}\n");
  const stdinText = docs.join("---\n");
  // Several batches of inventory text, and enough input for the run to start its worker threads.
  assert.ok(stdinText.length > 512 * 1024);
  const settings = { operation: "CREATE" as const, defaultNamespace: "default" };
  const msgs = async (workers: number) => {
    const r = await runCheck({ cwd: projectRoot, inputs: ["-"], stdinText, policies: { kind: "inputs" }, settings, workers });
    assert.equal(r.diagnostics, []);
    return r.results.flatMap((o) => o.violations.map((v) => v.msg));
  };
  const one = await msgs(1);
  assert.equal(one, ["3002 services; dup v=last; last 1; no namespace 1"]);
  assert.equal(await msgs(2), one);
  assert.equal(await msgs(3), one);
});

test.run();
