// `policyc explain`: the docs' foo + bar example gives the docs' merged container settings; the
// command prints text and JSON; matching follows Kubernetes, Gatekeeper and Deckhouse semantics.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { projectRoot, requireShared } from "../support/shared.js";
import { loadResources } from "../deckhouse/support/load-examples.js";
import { explain } from "../../src/explain/explain.js";
import { mergeRequirements } from "../../src/explain/requirements.js";
import { constraintMatches, globMatches, selectorMatches } from "../../src/explain/match.js";
import { parseLabels } from "../../src/explain/labels.js";
import { command } from "../../src/cli/commands/explain.js";

let objects: Record<string, any>[] = [];
test.before(async () => {
  const files = ["multiple-policies.ts", "security-policies.ts", "operation-policies.ts"].map((f) => path.join(projectRoot, "examples/deckhouse", f));
  objects = (await loadResources(files)).map((r) => r.object);
});

/** The `securityContext:` snippet the FAQ gives as the merged result of foo and bar. */
function docsMergedSnippet(): Record<string, unknown> | undefined {
  const dir = requireShared("product-docs", "the merged-requirements comparison");
  if (!dir) return undefined;
  const text = readFileSync(path.join(dir, "000_20285860c48c75d8.txt"), "utf8");
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.trim() === "securityContext:");
  assert.ok(start > 0, "the docs no longer contain the securityContext example");
  const block: string[] = [];
  for (let i = start; i < lines.length && (lines[i]!.trim() === "" ? false : /^\s/.test(lines[i]!)); i++) block.push(lines[i]!);
  return YAML.parse(block.join("\n").replace(/^ {4}/gm, ""));
}

function isSubset(small: unknown, big: unknown): boolean {
  if (Array.isArray(small)) return Array.isArray(big) && small.length === big.length && small.every((x) => (big as unknown[]).includes(x));
  if (small && typeof small === "object") return !!big && typeof big === "object" && Object.entries(small).every(([k, v]) => isSubset(v, (big as any)[k]));
  return small === big;
}

test("foo + bar for a namespace labelled name=test: drop MKNOD and NET_BIND_SERVICE, readOnlyRootFilesystem", () => {
  const r = explain(objects, { namespaceLabels: { name: "test" }, podLabels: {} });
  assert.equal(r.securityPolicies.map((p) => p.name), ["bar", "foo"]);
  assert.equal(r.securityPolicies.find((p) => p.name === "foo")!.checks, ["D8AllowPrivilegeEscalation", "D8AllowedCapabilities", "D8PrivilegedContainer", "D8ReadOnlyRootFilesystem"]);
  assert.equal(r.checks.find((c) => c.kind === "D8AllowedCapabilities")!.constraints, ["bar", "foo"]);
  const sc = (r.effective.container as any).securityContext;
  assert.equal(sc.capabilities.drop, ["MKNOD", "NET_BIND_SERVICE"]);
  assert.is(sc.readOnlyRootFilesystem, true);
  const drop = r.requirements.find((x) => x.field === "container.securityContext.capabilities.drop")!;
  assert.equal(drop.sources, ["bar", "foo"]);
  assert.ok(r.notApplied.some((n) => n.name === "mypolicy" && n.reason.includes("namespace labels")));
  const snippet = docsMergedSnippet();
  if (snippet) assert.ok(isSubset(snippet, r.effective.container), `${JSON.stringify(snippet)} not in ${JSON.stringify(r.effective.container)}`);
});

test("unset allowPrivileged still forbids privileged containers, as Deckhouse renders it", () => {
  const r = explain(objects, { namespaceLabels: { name: "test" }, podLabels: {} });
  const priv = r.requirements.find((x) => x.field === "container.securityContext.privileged")!;
  assert.is(priv.value, false);
  assert.ok(priv.note?.includes("not set"));
});

test("allow-lists intersect, required lists unite, system namespaces are skipped", () => {
  const both = { "operation-policy.deckhouse.io/baseline-enabled": "true", "operation-policy.deckhouse.io/restricted-enabled": "true", "operation-policy.deckhouse.io/enabled": "true" };
  const r = explain(objects, { namespaceLabels: both, podLabels: {} });
  assert.equal(r.securityPolicies.map((p) => p.name), ["baseline", "restricted"]);
  const add = r.requirements.find((x) => x.field === "container.securityContext.capabilities.add")!;
  assert.equal(add.value, ["NET_BIND_SERVICE"]);
  assert.equal(r.operationPolicies.map((p) => p.name), ["common", "test-operation-policy"]);
  assert.is((r.effective.container as any).imagePullPolicy, "Always");
  const sys = explain(objects, { namespaceLabels: { ...both, heritage: "deckhouse" }, podLabels: {} });
  assert.equal(sys.securityPolicies, []);
  assert.is(sys.podSecurityStandard.level, "none");
});

test("a restricted namespace adds Deckhouse's baseline and restricted checks to the merged requirements", () => {
  const r = explain(objects, { namespaceLabels: { name: "test", "security.deckhouse.io/pod-policy": "restricted", "security.deckhouse.io/pod-policy-action": "warn" }, podLabels: {} });
  assert.is(r.podSecurityStandard.action, "warn");
  assert.ok(r.podSecurityStandard.checks?.includes("D8AllowedUsers") && r.podSecurityStandard.checks.includes("D8HostNetwork"));
  const sc = (r.effective.container as any).securityContext;
  assert.equal(sc.capabilities.drop, ["ALL", "MKNOD", "NET_BIND_SERVICE"]);
  assert.is(sc.runAsNonRoot, true);
  assert.is(sc.allowPrivilegeEscalation, false);
  // foo and bar render D8AllowedCapabilities without an allowed list: nothing may be added there.
  const add = r.requirements.find((x) => x.field === "container.securityContext.capabilities.add")!;
  assert.equal(add.value, []);
  assert.equal(add.sources, ["pss-baseline", "pss-restricted", "bar", "foo"]);
  const pssOnly = explain(objects, { namespaceLabels: { "security.deckhouse.io/pod-policy": "restricted" }, podLabels: {} });
  const pssAdd = pssOnly.requirements.find((x) => x.field === "container.securityContext.capabilities.add")!;
  assert.equal(pssAdd.value, ["NET_BIND_SERVICE"]);
  assert.equal(pssAdd.sources, ["pss-baseline", "pss-restricted"]);
  assert.is((r.effective.pod as any).hostNetwork, false);
  const skipped = explain(objects, { namespaceLabels: { "security.deckhouse.io/pod-policy": "restricted" }, podLabels: { "security.deckhouse.io/skip-pss-check": "true" } });
  assert.is(skipped.podSecurityStandard.level, "none");
  assert.equal(skipped.requirements, []);
});

test("--namespace implies the kubernetes.io/metadata.name label", async () => {
  const sig = (await loadResources([path.join(projectRoot, "examples/deckhouse/image-signatures.ts")])).map((r) => r.object);
  const r = explain(sig, { namespace: "test-namespace", namespaceLabels: {}, podLabels: {} });
  assert.equal(r.securityPolicies.map((p) => p.name), ["verify-image-test"]);
  assert.equal(r.namespace.labels, { "kubernetes.io/metadata.name": "test-namespace" });
  const signed = r.requirements.find((x) => x.field === "container.image.signedFor")!;
  assert.equal(signed.value, ["registry.private.ru/labs/application/*"]);
});

test("Pod Security Standard from the namespace label or the cluster default", () => {
  assert.is(explain([], { namespaceLabels: { "security.deckhouse.io/pod-policy": "restricted" }, podLabels: {} }).podSecurityStandard.level, "restricted");
  assert.is(explain([], { namespaceLabels: {}, podLabels: {}, podSecurityDefault: "Baseline" }).podSecurityStandard.level, "baseline");
});

test("constraints and their checks are matched like Gatekeeper does", () => {
  const template = { apiVersion: "templates.gatekeeper.sh/v1", kind: "ConstraintTemplate", metadata: { name: "k8sallowedrepos" }, spec: { crd: { spec: { names: { kind: "K8sAllowedRepos" } } } } };
  const c = (name: string, match: object) => ({ apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "K8sAllowedRepos", metadata: { name }, spec: { match } });
  const pods = [{ apiGroups: [""], kinds: ["Pod"] }];
  const r = explain(
    [
      template,
      c("prod-repo", { kinds: pods, namespaceSelector: { matchLabels: { "security.deckhouse.io/pod-policy": "restricted" } } }),
      c("deployments", { kinds: [{ apiGroups: ["apps"], kinds: ["Deployment"] }] }),
      c("excluded", { kinds: pods, excludedNamespaces: ["kube-system", "d8-*"] }),
    ],
    { namespace: "d8-system", namespaceLabels: { "security.deckhouse.io/pod-policy": "restricted" }, podLabels: {} },
  );
  assert.equal(r.constraints.map((x) => x.name), ["prod-repo"]);
  assert.equal(r.checks, [{ kind: "K8sAllowedRepos", template: "k8sallowedrepos", constraints: ["prod-repo"] }]);
  assert.equal(r.notApplied.map((n) => n.name).sort(), ["deployments", "excluded"]);
});

test("mutators that change the Pod are listed; system namespaces are skipped", async () => {
  const muts = (await loadResources([path.join(projectRoot, "examples/deckhouse/mutations.ts")])).map((r) => r.object);
  const r = explain(muts, { namespace: "app", namespaceLabels: {}, podLabels: {} });
  assert.equal(r.mutations.map((m) => m.name), ["always-pull-images", "use-registry-mirror", "default-team-label", "drop-debug-args"]);
  assert.is(r.mutations[0]!.location, "spec.containers[name: *].imagePullPolicy");
  const sys = explain(muts, { namespace: "d8-system", namespaceLabels: {}, podLabels: {} });
  assert.equal(sys.mutations, []);
  assert.is(sys.notApplied.length, 4);
});

test("selectors, globs and label parsing", () => {
  assert.ok(selectorMatches({ matchExpressions: [{ key: "a", operator: "NotIn", values: ["x"] }] }, {}));
  assert.not.ok(selectorMatches({ matchExpressions: [{ key: "a", operator: "In", values: ["x"] }] }, {}));
  assert.ok(selectorMatches({ matchExpressions: [{ key: "a", operator: "Exists" }], matchLabels: { b: "1" } }, { a: "", b: "1" }));
  assert.not.ok(selectorMatches({ matchExpressions: [{ key: "a", operator: "DoesNotExist" }] }, { a: "1" }));
  assert.ok(globMatches("d8-*", "d8-system") && globMatches("*-prod", "a-prod") && globMatches("*mid*", "a-mid-b"));
  assert.not.ok(globMatches("d8-*", "kube-system"));
  assert.equal(constraintMatches({ scope: "Cluster" }, { namespaceLabels: {}, podLabels: {} }).matches, false);
  assert.equal(parseLabels("name=test, a.io/b=c,empty="), { labels: { name: "test", "a.io/b": "c", empty: "" } });
  assert.ok("error" in parseLabels("novalue"));
  assert.ok("error" in parseLabels("bad key=1"));
});

test("the command prints text and JSON from a folder of manifests", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "policyc-explain-"));
  try {
    for (const o of objects) writeFileSync(path.join(dir, `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`), YAML.stringify(o));
    let out = "";
    let err = "";
    const io = { stdout: (s: string) => (out += s), stderr: (s: string) => (err += s), cwd: dir };
    assert.is(await command.run(["--namespace-labels", "name=test", "--from", ".", "--output", "json"], io), 0, err);
    const json = JSON.parse(out);
    assert.equal(json.effective.container.securityContext.capabilities.drop, ["MKNOD", "NET_BIND_SERVICE"]);
    out = "";
    assert.is(await command.run(["--namespace-labels", "name=test", "--from", "."], io), 0);
    assert.match(out, /SecurityPolicies:\n\s+- bar \(Deny\): [A-Za-z0-9, ]+\n\s+- foo \(Deny\): /);
    assert.match(out, /drop:\n\s+- MKNOD\n\s+- NET_BIND_SERVICE/);
    assert.match(out, /readOnlyRootFilesystem: true/);
    err = "";
    assert.is(await command.run(["--namespace-labels", "oops", "--from", "."], io), 1);
    assert.match(err, /PC6040/);
    assert.is(await command.run(["--namespace-labels", "a=b", "--from", "missing"], io), 1);
    assert.match(err, /error PC4001: manifest file 'missing' does not exist/);
    mkdirSync(path.join(dir, "empty"));
    err = "";
    assert.is(await command.run(["--namespace-labels", "a=b", "--from", "empty"], io), 1);
    assert.match(err, /PC6041/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("host ports are a requirement only when the Constraint has ranges; [] allows none", () => {
  const hostPorts = (parameters: Record<string, unknown>) =>
    mergeRequirements([{ name: "p", constraints: [{ kind: "D8HostNetwork", parameters }] }]).requirements.find((x) => x.field === "container.ports.hostPort");
  assert.is(hostPorts({ allowHostNetwork: false }), undefined);
  assert.equal(hostPorts({ allowHostNetwork: false, ranges: [] })?.value, [{ allowedRanges: [], policy: "p" }]);
  assert.equal(hostPorts({ ranges: [{ min: 80, max: 80 }] })?.value, [{ allowedRanges: [{ min: 80, max: 80 }], policy: "p" }]);
});

test.run();
