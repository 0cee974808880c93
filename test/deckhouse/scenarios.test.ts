// The product documentation's scenarios, evaluated: the Deckhouse mapping renders Constraints from
// the examples' SecurityPolicies/OperationPolicies and the PSS settings, and the pack's templates
// judge Pods through the Gatekeeper emulation.
import { test } from "uvu";
import * as assert from "uvu/assert";
import path from "node:path";
import { projectRoot } from "../support/shared.js";
import { loadResources } from "./support/load-examples.js";
import { deckhousePolicySet, evaluateDeckhouse, type DeckhouseCluster } from "../../src/deckhouse/index.js";

type Obj = Record<string, any>;

let examples: Obj[] = [];
test.before(async () => {
  const files = ["multiple-policies.ts", "operation-policies.ts"].map((f) => path.join(projectRoot, "examples/deckhouse", f));
  examples = (await loadResources(files)).map((r) => r.object);
});

const ns = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
const pod = (namespace: string, container: Obj, metadata: Obj = {}, spec: Obj = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace, ...metadata },
  spec: { containers: [{ name: "app", image: "registry.example.com/app:1.0", ...container }], ...spec },
});
const named = (...names: string[]) => examples.filter((o) => names.includes(o.metadata?.name));

async function run(objects: Obj[], cluster: Partial<DeckhouseCluster> = {}) {
  const set = deckhousePolicySet(objects, { cluster });
  return evaluateDeckhouse(set, objects);
}
const messages = (r: Awaited<ReturnType<typeof run>>, name = "web") => r.findings.filter((f) => f.object.name === name).map((f) => `[${f.constraint.name}] ${f.msg}`).sort();

const compliant = { securityContext: { capabilities: { drop: ["MKNOD", "NET_BIND_SERVICE"] }, readOnlyRootFilesystem: true } };

test("foo + bar: a container must drop MKNOD and NET_BIND_SERVICE and have a read-only root filesystem", async () => {
  const policies = named("foo", "bar");
  assert.is(policies.length, 2);
  const bare = await run([...policies, ns("test", { name: "test" }), pod("test", {})]);
  assert.equal(messages(bare), [
    "[bar] container is not dropping all required capabilities, container: app | capabilities.drop: [] | policy allows: [\"NET_BIND_SERVICE\"]",
    "[foo] container is not dropping all required capabilities, container: app | capabilities.drop: [] | policy allows: [\"MKNOD\"]",
    "[foo] only read-only root filesystem container is allowed, container: app | readOnlyRootFilesystem: false | policy allows: true",
  ]);
  assert.ok(bare.findings.every((f) => f.enforcementAction === "deny"));
  const half = await run([...policies, ns("test", { name: "test" }), pod("test", { securityContext: { capabilities: { drop: ["MKNOD"] }, readOnlyRootFilesystem: true } })]);
  assert.equal(messages(half), ["[bar] container is not dropping all required capabilities, container: app | capabilities.drop: [\"MKNOD\"] | policy allows: [\"NET_BIND_SERVICE\"]"]);
  const ok = await run([...policies, ns("test", { name: "test" }), pod("test", compliant)]);
  assert.equal(messages(ok), [], "the docs' container settings satisfy both policies");
  const elsewhere = await run([...policies, ns("other", { name: "other" }), pod("other", {})]);
  assert.equal(messages(elsewhere), [], "namespaces without name=test are not selected");
});

test("a restricted namespace denies a container running as root; baseline does not", async () => {
  const root = pod("prod", { securityContext: { runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } } });
  const r = await run([ns("prod", { "security.deckhouse.io/pod-policy": "restricted" }), root]);
  assert.equal(messages(r), ["[d8-pod-security-restricted-deny-default] Container app is attempting to run as disallowed user. | runAsUser: 0 | policy allows: {\"rule\": \"MustRunAsNonRoot\"}"]);
  assert.is(r.findings[0]!.enforcementAction, "deny");
  const baseline = await run([ns("prod", { "security.deckhouse.io/pod-policy": "baseline" }), root]);
  assert.equal(messages(baseline), []);
  // Unlabelled namespaces follow the cluster's default policy.
  const byDefault = await run([ns("prod"), root], { podSecurityDefault: "Restricted" });
  assert.equal(messages(byDefault).length, 1);
  const privileged = await run([ns("prod"), pod("prod", { securityContext: { privileged: true } })], { podSecurityDefault: "Baseline" });
  assert.equal(messages(privileged), ["[d8-pod-security-baseline-deny-default] Privileged container is not allowed, container: app | privileged: true | policy allows: false"]);
});

test("pod-policy-action=warn yields warnings, not denials", async () => {
  const objects = [
    ns("prod", { "security.deckhouse.io/pod-policy": "restricted", "security.deckhouse.io/pod-policy-action": "warn" }),
    ns("strict", { "security.deckhouse.io/pod-policy": "restricted" }),
    pod("prod", { securityContext: { runAsUser: 0 } }),
    { ...pod("strict", { securityContext: { runAsUser: 0 } }), metadata: { name: "other", namespace: "strict" } },
  ];
  const r = await run(objects);
  const prod = r.findings.filter((f) => f.object.namespace === "prod");
  assert.ok(prod.length > 0);
  assert.ok(prod.every((f) => f.enforcementAction === "warn" && ["d8-pod-security-restricted-warn", "d8-pod-security-baseline-warn"].includes(f.constraint.name)), JSON.stringify(prod));
  const strict = r.findings.filter((f) => f.object.namespace === "strict");
  assert.ok(strict.length > 0 && strict.every((f) => f.enforcementAction === "deny" && f.constraint.name.endsWith("-deny-default")));
});

test("a SecurityPolicyException lifts exactly what it names, for the pods it matches", async () => {
  const spe = {
    apiVersion: "deckhouse.io/v1alpha1",
    kind: "SecurityPolicyException",
    metadata: { name: "rw-root", namespace: "test" },
    spec: { securityContext: { readOnlyRootFilesystem: { allowedValue: false, metadata: { description: "writes its cache" } } } },
  };
  const base = [...named("foo", "bar"), ns("test", { name: "test" }), spe];
  const writable = { securityContext: { capabilities: { drop: ["MKNOD", "NET_BIND_SERVICE"] }, readOnlyRootFilesystem: false } };
  const bound = await run([...base, pod("test", writable, { labels: { "security.deckhouse.io/security-policy-exception": "rw-root" } })]);
  assert.equal(messages(bound), [], "the exception lifts readOnlyRootFilesystem for the bound pod");
  const unbound = await run([...base, pod("test", writable)]);
  assert.equal(messages(unbound).length, 1, "an unbound pod is still denied");
  const notNamed = await run([...base, pod("test", { securityContext: { readOnlyRootFilesystem: false } }, { labels: { "security.deckhouse.io/security-policy-exception": "rw-root" } })]);
  assert.equal(messages(notNamed).filter((m) => m.includes("capabilities")).length, 2, "capabilities are not lifted");
  assert.equal(messages(notNamed).filter((m) => m.includes("read-only")).length, 0);
  const otherContainer = await run([...base, pod("test", writable, { labels: { "security.deckhouse.io/security-policy-exception.container.sidecar": "rw-root" } })]);
  assert.equal(messages(otherContainer).length, 1, "a container label binds only that container");
});

test("the common OperationPolicy denies a :latest image and a Deployment with revisionHistoryLimit: 10", async () => {
  const common = named("common");
  assert.is(common.length, 1);
  const nsOn = ns("apps", { "operation-policy.deckhouse.io/enabled": "true" });
  const good = {
    image: "registry.deckhouse.io/app:1.0",
    imagePullPolicy: "Always",
    resources: { limits: { memory: "1Gi" }, requests: { cpu: "100m", memory: "1Gi" } },
    livenessProbe: { httpGet: { path: "/", port: 80 } },
    readinessProbe: { httpGet: { path: "/", port: 80 } },
  };
  const latest = await run([...common, nsOn, pod("apps", { ...good, image: "registry.deckhouse.io/app:latest" }, {}, { priorityClassName: "production-high" })]);
  assert.equal(messages(latest), ["[common] container <app> uses a disallowed tag <registry.deckhouse.io/app:latest>; disallowed tags are [\"latest\"]"]);
  const fine = await run([...common, nsOn, pod("apps", good, {}, { priorityClassName: "production-high" })]);
  assert.equal(messages(fine), []);
  const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "apps" }, spec: { revisionHistoryLimit: 10 } };
  const d = await run([...common, nsOn, deployment]);
  assert.equal(messages(d), ["[common] Deployment <web> has .spec.revisionHistoryLimit: 10, required: 3"]);
  const off = await run([...common, ns("apps"), deployment]);
  assert.equal(messages(off), [], "namespaces without the label are not selected");
});

test("system namespaces and Gatekeeper's webhook pods are never judged", async () => {
  const r = await run([ns("d8-system", { heritage: "deckhouse", "security.deckhouse.io/pod-policy": "restricted" }), pod("d8-system", { securityContext: { privileged: true } })], { podSecurityDefault: "Restricted" });
  assert.equal(r.findings, []);
  assert.match(r.skipped[0]!.reason, /heritage=deckhouse/);
  const implicit = await run([pod("kube-system", { securityContext: { privileged: true } })], { podSecurityDefault: "Baseline" });
  assert.equal(implicit.findings, []);
  const webhook = await run([ns("apps"), pod("apps", { securityContext: { privileged: true } }, { labels: { "gatekeeper.sh/operation": "webhook" } })], { podSecurityDefault: "Baseline" });
  assert.equal(webhook.findings, []);
  const skipPss = await run([ns("apps"), pod("apps", { securityContext: { privileged: true } }, { labels: { "security.deckhouse.io/skip-pss-check": "true" } })], { podSecurityDefault: "Baseline" });
  assert.equal(skipPss.findings, [], "skip-pss-check exempts from PSS");
});

test.run();
