import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { MutationError, MutationSystem } from "../../src/testing/gatekeeper/mutation/system.js";
import { assignImage, parseImage } from "../../src/testing/gatekeeper/mutation/image.js";
import { prepareTemplate, reviewWith } from "../../src/testing/gatekeeper/client.js";
import { readTemplate } from "../../src/testing/gatekeeper/template.js";
import { readConstraint } from "../../src/testing/gatekeeper/constraint.js";
import { reviewForObject } from "../../src/testing/gatekeeper/review.js";
import { InventoryBuilder } from "../../src/testing/gatekeeper/inventory.js";
import { wasmBackend } from "../../src/testing/gatekeeper/backend.js";

const pods = [{ groups: [""], kinds: ["Pod"], versions: ["v1"] }];
const mutator = (kind: string, name: string, spec: Record<string, unknown>, version = "v1") => ({
  object: { apiVersion: `mutations.gatekeeper.sh/${version}`, kind, metadata: { name }, spec },
});
const pod = (containers: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "apps", ...extra },
  spec: { containers },
});
const system = (...ms: { object: Record<string, unknown> }[]) => new MutationSystem(ms);

test("Assign: a glob location sets the field in every element; a keyed location creates the element with its key", () => {
  const s = system(
    mutator("Assign", "pull", { applyTo: pods, location: "spec.containers[name: *].imagePullPolicy", parameters: { assign: { value: "Always" } } }),
    mutator("Assign", "sidecar", { applyTo: pods, location: "spec.containers[name: proxy].image", parameters: { assign: { value: "envoy:1" } } }),
  );
  const r = s.mutate(pod([{ name: "a", image: "x" }, { name: "b", image: "y" }]));
  assert.equal((r.object.spec as any).containers, [
    { name: "a", image: "x", imagePullPolicy: "Always" },
    { name: "b", image: "y", imagePullPolicy: "Always" },
    { name: "proxy", image: "envoy:1", imagePullPolicy: "Always" },
  ]);
  assert.equal(r.applied, ["Assign/pull", "Assign/sidecar"]);
});

test("Assign: pathTests MustExist / MustNotExist gate the mutation per element; a glob never counts as missing", () => {
  const s = system(
    mutator("Assign", "default-policy", {
      applyTo: pods,
      location: "spec.containers[name: *].imagePullPolicy",
      parameters: { assign: { value: "IfNotPresent" }, pathTests: [{ subPath: "spec.containers[name: *].imagePullPolicy", condition: "MustNotExist" }] },
    }),
    mutator("Assign", "only-existing-foo", {
      applyTo: pods,
      location: "spec.containers[name: foo].securityContext.privileged",
      parameters: { assign: { value: false }, pathTests: [{ subPath: "spec.containers[name: foo]", condition: "MustExist" }] },
    }),
  );
  const r = s.mutate(pod([{ name: "a", imagePullPolicy: "Always" }, { name: "b" }]));
  assert.equal((r.object.spec as any).containers, [{ name: "a", imagePullPolicy: "Always" }, { name: "b", imagePullPolicy: "IfNotPresent" }]);
  const withFoo = s.mutate(pod([{ name: "foo" }]));
  assert.equal((withFoo.object.spec as any).containers, [{ name: "foo", securityContext: { privileged: false }, imagePullPolicy: "IfNotPresent" }]);
  const globMustNotExist = system(
    mutator("Assign", "never", {
      applyTo: pods,
      location: "spec.containers[name: *].x",
      parameters: { assign: { value: 1 }, pathTests: [{ subPath: "spec.containers[name: *]", condition: "MustNotExist" }] },
    }),
  );
  assert.equal(globMustNotExist.mutate(pod([{ name: "a" }])).applied, []);
});

test("Assign: applyTo and match select the objects; fromMetadata copies the name or namespace", () => {
  const s = system(
    mutator("Assign", "ns-env", {
      applyTo: pods,
      match: { namespaces: ["apps"], kinds: [{ apiGroups: [""], kinds: ["Pod"] }] },
      location: "spec.serviceAccountName",
      parameters: { assign: { fromMetadata: { field: "namespace" } } },
    }),
  );
  assert.equal((s.mutate(pod([])).object.spec as any).serviceAccountName, "apps");
  const other = { ...pod([]), metadata: { name: "web", namespace: "other" } };
  assert.equal(s.mutate(other).applied, []);
  const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "apps" }, spec: {} };
  assert.equal(s.mutate(deployment).applied, [], "applyTo names only v1 Pods");
});

test("Assign: a whole keyed-list element is replaced or appended; its key may not change", () => {
  const s = system(
    mutator("Assign", "net", { applyTo: pods, location: "spec.containers[name: net]", parameters: { assign: { value: { name: "net", image: "n:2" } } } }),
  );
  assert.equal((s.mutate(pod([{ name: "net", image: "n:1", args: ["x"] }])).object.spec as any).containers, [{ name: "net", image: "n:2" }]);
  assert.equal((s.mutate(pod([{ name: "a" }])).object.spec as any).containers, [{ name: "a" }, { name: "net", image: "n:2" }]);
  const bad = system(mutator("Assign", "rename", { applyTo: pods, location: "spec.containers[name: net]", parameters: { assign: { value: { name: "other" } } } }));
  assert.equal(bad.mutators.length, 0, "Gatekeeper refuses a value whose key differs from the selector");
  assert.ok(bad.diagnostics.some((d) => d.code === "PC4201"));
});

test("Assign: a type mismatch on the path is a MutationError; metadata locations are refused", () => {
  const s = system(mutator("Assign", "deep", { applyTo: pods, location: "spec.containers.x", parameters: { assign: { value: 1 } } }));
  assert.throws(() => s.mutate(pod([{ name: "a" }])), (e: unknown) => e instanceof MutationError && /expected an object/.test((e as Error).message));
  const meta = system(mutator("Assign", "meta", { applyTo: pods, location: "metadata.labels.x", parameters: { assign: { value: "1" } } }));
  assert.equal(meta.mutators.length, 0);
  assert.match(meta.diagnostics[0]!.message, /metadata/);
});

test("AssignMetadata adds a label only when it is missing, never overwrites", () => {
  const s = system(
    mutator("AssignMetadata", "team", { location: 'metadata.labels."example.com/team"', parameters: { assign: { value: "platform" } } }),
    mutator("AssignMetadata", "ns-annotation", { location: "metadata.annotations.ns", parameters: { assign: { fromMetadata: { field: "namespace" } } } }),
  );
  const r = s.mutate(pod([]));
  assert.equal((r.object.metadata as any).labels, { "example.com/team": "platform" });
  assert.equal((r.object.metadata as any).annotations, { ns: "apps" });
  const kept = s.mutate(pod([], { labels: { "example.com/team": "payments" } }));
  assert.equal((kept.object.metadata as any).labels, { "example.com/team": "payments" });
  assert.equal(kept.applied, ["AssignMetadata/ns-annotation"]);
  const nonString = system(mutator("AssignMetadata", "n", { location: "metadata.labels.n", parameters: { assign: { value: 3 } } }));
  assert.equal(nonString.mutators.length, 0);
});

test("ModifySet merge appends missing values, prune removes them in place; a non-list is an error", () => {
  const merge = system(mutator("ModifySet", "args", { applyTo: pods, location: "spec.containers[name: *].args", parameters: { values: { fromList: ["--a", "--b"] } } }));
  assert.equal((merge.mutate(pod([{ name: "x", args: ["--b", "--c"] }, { name: "y" }])).object.spec as any).containers, [
    { name: "x", args: ["--b", "--c", "--a"] },
    { name: "y", args: ["--a", "--b"] },
  ]);
  const prune = system(
    mutator("ModifySet", "no-debug", { applyTo: pods, location: "spec.containers[name: *].args", parameters: { operation: "prune", values: { fromList: ["--debug", { k: 1 }] } } }),
  );
  const r = prune.mutate(pod([{ name: "x", args: ["--debug", "run", { k: 1 }, "--debug"] }, { name: "y" }]));
  assert.equal((r.object.spec as any).containers, [{ name: "x", args: ["run"] }, { name: "y" }]);
  assert.throws(() => merge.mutate(pod([{ name: "x", args: "--a" }])), /not a list/);
});

test("AssignImage image parts: domain only when the first part looks like a host; set parts replace, unset parts stay", () => {
  assert.equal(parseImage("nginx"), { domain: "", path: "nginx", tag: "" });
  assert.equal(parseImage("library/nginx:1.27"), { domain: "", path: "library/nginx", tag: ":1.27" });
  assert.equal(parseImage("my.registry.io:5000/team/app@sha256:abc"), { domain: "my.registry.io:5000", path: "team/app", tag: "@sha256:abc" });
  assert.equal(parseImage("localhost/app:v1"), { domain: "localhost", path: "app", tag: ":v1" });
  assert.equal(assignImage("nginx:1.27", { domain: "mirror.example.com" }), "mirror.example.com/nginx:1.27");
  assert.equal(assignImage("docker.io/library/nginx", { domain: "m.io", tag: ":stable" }), "m.io/library/nginx:stable");
  assert.equal(assignImage("a.io/x/y:1", { path: "z/w" }), "a.io/z/w:1");
  // Applying twice gives the same image: convergent by construction.
  const once = assignImage("quay.io/a/b:2", { domain: "m.io", path: "c/d" });
  assert.equal(assignImage(once, { domain: "m.io", path: "c/d" }), once);
});

test("AssignImage: invalid parts are refused (a path that looks like a domain needs assignDomain)", () => {
  const s = system(mutator("AssignImage", "leaky", { applyTo: pods, location: "spec.containers[name: *].image", parameters: { assignPath: "gcr.io/repo" } }, "v1alpha1"));
  assert.equal(s.mutators.length, 0);
  assert.match(s.diagnostics[0]!.message, /assignDomain/);
  const notString = system(mutator("AssignImage", "m", { applyTo: pods, location: "spec.containers[name: *].image", parameters: { assignDomain: "m.io" } }, "v1alpha1"));
  assert.throws(() => notString.mutate(pod([{ name: "a", image: 3 }])), /not a string/);
});

test("order is kind then name, and passes repeat until nothing changes", () => {
  // AssignMetadata sorts after Assign/AssignImage, ModifySet last; names order within a kind.
  const s = system(
    mutator("ModifySet", "a-args", { applyTo: pods, location: "spec.containers[name: *].args", parameters: { values: { fromList: ["x"] } } }),
    mutator("AssignMetadata", "label", { location: "metadata.labels.l", parameters: { assign: { value: "v" } } }),
    mutator("AssignImage", "mirror", { applyTo: pods, location: "spec.containers[name: *].image", parameters: { assignDomain: "m.io" } }, "v1alpha1"),
    mutator("Assign", "z-add", { applyTo: pods, location: "spec.containers[name: late].image", parameters: { assign: { value: "late:1" } } }),
    mutator("Assign", "b-add", { applyTo: pods, location: "spec.containers[name: early].image", parameters: { assign: { value: "early:1" } } }),
  );
  assert.equal(
    s.mutators.map((m) => m.id),
    ["Assign/b-add", "Assign/z-add", "AssignImage/mirror", "AssignMetadata/label", "ModifySet/a-args"],
  );
  const r = s.mutate(pod([]));
  assert.equal((r.object.spec as any).containers, [
    { name: "early", image: "m.io/early:1", args: ["x"] },
    { name: "late", image: "m.io/late:1", args: ["x"] },
  ]);
  assert.equal((r.object.metadata as any).labels, { l: "v" });
});

test("passes repeat until stable: a mutator enabled by a later one applies in the next pass", () => {
  // Assign sorts before AssignMetadata, but only matches once the label exists: two changing passes, then a quiet one.
  const s = system(
    mutator("Assign", "labelled", {
      applyTo: pods,
      match: { labelSelector: { matchLabels: { mutated: "yes" } } },
      location: "spec.priority",
      parameters: { assign: { value: 7 } },
    }),
    mutator("AssignMetadata", "mark", { location: "metadata.labels.mutated", parameters: { assign: { value: "yes" } } }),
  );
  const r = s.mutate(pod([]));
  assert.equal((r.object.spec as any).priority, 7);
  assert.equal(r.applied, ["AssignMetadata/mark", "Assign/labelled"]);
});

test("a mutation that changes the object in every pass does not converge; one that returns to the original oscillates", () => {
  const s = system(mutator("Assign", "p", { applyTo: pods, location: "spec.priority", parameters: { assign: { value: 1 } } }));
  // A mutator whose every application changes the object stands in for a non-convergent set.
  let n = 0;
  s.mutators.push({ kind: "ModifySet", name: "grow", id: "ModifySet/grow", location: "spec.n", nodes: [], apply: (o: any) => ((o.spec.n = ++n), { reached: true, changed: true }) });
  assert.throws(() => s.mutate(pod([])), (e: unknown) => e instanceof MutationError && /does not converge after 3 passes/.test((e as Error).message));
  const t = system();
  let flip = false;
  t.mutators.push({ kind: "Assign", name: "flip", id: "Assign/flip", location: "spec.f", nodes: [], apply: (o: any) => ((flip = !flip), flip ? (o.spec.f = 1) : delete o.spec.f, { reached: true, changed: true }) });
  t.mutators.push({ kind: "Assign", name: "same", id: "Assign/same", location: "spec.g", nodes: [], apply: () => ({ reached: true, changed: false }) });
  assert.throws(() => t.mutate(pod([])), /does not converge|oscillates/);
});

test("mutators that undo each other within one pass leave the object as it was, like Gatekeeper's pass comparison", () => {
  const s = system(
    mutator("Assign", "a-set", { applyTo: pods, location: "spec.containers[name: *].args", parameters: { assign: { value: ["x"] } } }),
    mutator("ModifySet", "drop", { applyTo: pods, location: "spec.containers[name: *].args", parameters: { operation: "prune", values: { fromList: ["x"] } } }),
  );
  const p = pod([{ name: "c", args: [] }]);
  const r = s.mutate(p);
  assert.is(r.object, p, "unchanged objects are returned as they are, not copied");
  assert.equal(r.applied, []);
  const untouched = { apiVersion: "v1", kind: "Service", metadata: { name: "s" } };
  assert.is(s.mutate(untouched).object, untouched);
});

test("schema conflicts between mutators of the same kind skip both, with PC4205", () => {
  const s = system(
    mutator("Assign", "as-object", { applyTo: pods, location: "spec.volumes.x", parameters: { assign: { value: 1 } } }),
    mutator("Assign", "as-list", { applyTo: pods, location: "spec.volumes[name: v].emptyDir", parameters: { assign: { value: {} } } }),
  );
  assert.ok(s.diagnostics.some((d) => d.code === "PC4205"));
  assert.equal(s.mutate(pod([])).applied, []);
});

test("namespaceSelector needs the Namespace; Generated-only mutators skip real objects; externalData fails with the provider named", () => {
  const s = system(
    mutator("Assign", "sel", { applyTo: pods, match: { namespaceSelector: { matchLabels: { tier: "web" } } }, location: "spec.priority", parameters: { assign: { value: 1 } } }),
  );
  assert.throws(() => s.mutate(pod([])), /against Pod apps\/\S+ failed: failed to run Match criteria: namespace selector for namespace-scoped object but missing Namespace/);
  const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps", labels: { tier: "web" } } };
  assert.equal((s.mutate(pod([]), { namespace: ns }).object.spec as any).priority, 1);
  const gen = system(mutator("Assign", "gen", { applyTo: pods, match: { source: "Generated" }, location: "spec.priority", parameters: { assign: { value: 2 } } }));
  assert.equal(gen.mutate(pod([])).applied, []);
  assert.equal(gen.mutate(pod([]), { source: "Generated" }).applied, ["Assign/gen"]);
  const ext = system(mutator("Assign", "ext", { applyTo: pods, location: "spec.priorityClassName", parameters: { assign: { externalData: { provider: "prio" } } } }));
  assert.ok(ext.diagnostics.some((d) => d.code === "PC4203"));
  assert.throws(() => ext.mutate(pod([])), /external data provider 'prio'/);
});

test("assignIf is reported as removed (PC4202) and the mutation applies unconditionally, as on a cluster", () => {
  const s = system(
    mutator("Assign", "if", { applyTo: pods, location: "spec.restartPolicy", parameters: { assign: { value: "Never" }, assignIf: { in: ["Always"] } } }),
  );
  assert.equal(s.diagnostics.map((d) => d.code), ["PC4202"]);
  const p = { ...pod([]), spec: { containers: [], restartPolicy: "OnFailure" } };
  assert.equal((s.mutate(p).object.spec as any).restartPolicy, "Never");
});

test("exempt namespaces of the Config's mutation-webhook process are not mutated", () => {
  const s = new MutationSystem(
    [mutator("Assign", "p", { applyTo: pods, location: "spec.priority", parameters: { assign: { value: 1 } } })],
    { exemptNamespaces: [{ pattern: "app*", processes: ["mutation-webhook"] }] },
  );
  assert.equal(s.mutate(pod([])).applied, []);
  const audit = new MutationSystem([mutator("Assign", "p", { applyTo: pods, location: "spec.priority", parameters: { assign: { value: 1 } } })], {
    exemptNamespaces: [{ pattern: "apps", processes: ["audit"] }],
  });
  assert.equal(audit.mutate(pod([])).applied, ["Assign/p"]);
});

test("an AssignImage that rewrites the registry makes K8sAllowedRepos pass (the examples' mirror mutator, the real template)", async () => {
  const template = readTemplate(parse(readFileSync("generated/manifests/constrainttemplate-k8sallowedrepos.yaml", "utf8")));
  const mirror = parse(readFileSync("generated/manifests/assignimage-use-registry-mirror.yaml", "utf8"));
  const constraint = readConstraint({
    apiVersion: "constraints.gatekeeper.sh/v1beta1",
    kind: "K8sAllowedRepos",
    metadata: { name: "mirror-only" },
    spec: { match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] }, parameters: { repos: ["mirror.example.com/"] } },
  });
  const prepared = await prepareTemplate(template, wasmBackend, "k8sallowedrepos.yaml");
  const object = pod([{ name: "app", image: "nginx:1.27" }, { name: "db", image: "docker.io/library/postgres:16" }]);
  const before = await reviewWith(prepared, constraint, reviewForObject(object), new InventoryBuilder());
  assert.equal(before.violations.length, 2);
  const s = new MutationSystem([{ object: mirror }]);
  const mutated = s.mutate(object);
  assert.equal(mutated.applied, ["AssignImage/use-registry-mirror"]);
  assert.equal((mutated.object.spec as any).containers.map((c: any) => c.image), ["mirror.example.com/nginx:1.27", "mirror.example.com/library/postgres:16"]);
  const after = await reviewWith(prepared, constraint, reviewForObject(mutated.object), new InventoryBuilder());
  assert.equal(after.violations, []);
});

test.run();
