import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadSuites, verify } from "../../src/testing/verify.js";
import { runSuites } from "../../src/testing/run/verify.js";
import { countResults, allDiagnostics } from "../../src/testing/run/results.js";
import { renderJson } from "../../src/testing/report/json.js";
import { constraintYaml, fakeBackend, podYaml, templateYaml, tempTree } from "./fixtures.js";

// The fake policy: a violation per container whose image does not start with an allowed repo.
const repos = (input: any) =>
  (input.review.object?.spec?.containers ?? [])
    .filter((c: any) => !(input.parameters.repos ?? []).some((r: string) => c.image.startsWith(r)))
    .map((c: any) => ({ msg: `container <${c.name}> has an invalid image repo <${c.image}>`, details: {} }));

const suite = (tests: string) => `apiVersion: test.gatekeeper.sh/v1alpha1
kind: Suite
metadata:
  name: demo
tests:
${tests}`;

test("runs cases with gator's assertion semantics and counts per case", async () => {
  const t = tempTree({
    "template.yaml": templateYaml("K8sDemo", "k8sdemo"),
    "constraint.yaml": constraintYaml("K8sDemo"),
    "good.yaml": podYaml("ok", "good/nginx"),
    "bad.yaml": podYaml("no", "evil/nginx"),
    "suite.yaml": suite(`- name: repos
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: allowed
    object: good.yaml
    assertions:
    - violations: no
  - name: disallowed
    object: bad.yaml
    assertions:
    - violations: yes
    - violations: 1
      message: invalid image
    - violations: 0
      message: Invalid
    - message: "<c>"
  - name: wrong-expectation
    object: bad.yaml
    assertions:
    - violations: 2
`),
  });
  const seen = { inputs: [] as any[], data: [] as any[] };
  const run = await verify([t.dir], { cwd: t.dir, backend: fakeBackend({ "k8sdemo/violation": repos }, seen) });
  assert.equal(countResults(run), { passed: 2, failed: 1, skipped: 0 });
  const failed = run.suites[0]!.tests[0]!.cases[2]!;
  assert.is(failed.status, "fail");
  assert.match(failed.reasons[0]!, /suite\.yaml:\d+: got 1 violations but want exactly 2/);
  // The Rego saw gator's input: review of the plain object, parameters with schema defaults.
  assert.equal(seen.inputs[0].parameters, { repos: ["good/"], mode: "strict" });
  assert.is(seen.inputs[0].review.kind.kind, "Pod");
  assert.is(seen.inputs[0].review.operation, "");
  assert.is(seen.inputs[0].review.oldObject, null);
  assert.equal(seen.data[0], { inventory: { cluster: {}, namespace: {} } });
  // Violations carry the constraint's enforcement action into the JSON report.
  const json = JSON.parse(renderJson(run));
  assert.equal(json.results[1].violations, [
    { msg: "container <c> has an invalid image repo <evil/nginx>", details: {}, enforcementAction: "deny", constraint: { kind: "K8sDemo", name: "demo" } },
  ]);
  t.cleanup();
});

test("invalid: true passes only on a schema error; skip and --run select", async () => {
  const t = tempTree({
    "template.yaml": templateYaml("K8sDemo", "k8sdemo"),
    "valid.yaml": constraintYaml("K8sDemo"),
    "badschema.yaml": constraintYaml("K8sDemo", "  parameters:\n    repos: 3\n"),
    "unknown.yaml": constraintYaml("K8sDemo", "  parameters:\n    nope: 3\n"),
    "pod.yaml": podYaml("p", "good/x"),
    "suite.yaml": suite(`- name: schema-error
  template: template.yaml
  constraint: badschema.yaml
  invalid: true
- name: valid-but-marked-invalid
  template: template.yaml
  constraint: valid.yaml
  invalid: true
- name: unknown-field-is-not-a-schema-error
  template: template.yaml
  constraint: unknown.yaml
  invalid: true
- name: skipped
  skip: true
  template: template.yaml
  constraint: valid.yaml
  cases:
  - name: a
    object: pod.yaml
    assertions: [{violations: "no"}]
- name: filtered
  template: template.yaml
  constraint: valid.yaml
  cases:
  - name: keep-me
    object: pod.yaml
    assertions: [{violations: "no"}]
  - name: drop-me
    object: pod.yaml
    assertions: [{violations: "yes"}]
`),
  });
  const backend = fakeBackend({ "k8sdemo/violation": repos });
  const run = await verify([t.dir], { cwd: t.dir, backend, run: "keep|schema|valid|unknown" });
  const tests = run.suites[0]!.tests;
  assert.equal(tests.map((x) => x.status), ["pass", "fail", "fail", "skip", "pass"]);
  assert.match(tests[1]!.reasons[0]!, /constraint is valid/);
  assert.match(tests[2]!.reasons[0]!, /not by schema validation: unknown fields/);
  assert.equal(tests[4]!.cases.map((c) => c.status), ["pass", "skip"]);
  assert.equal(countResults(run), { passed: 2, failed: 2, skipped: 2 });
  const narrowed = await verify([t.dir], { cwd: t.dir, backend, run: "filtered//drop" });
  assert.equal(countResults(narrowed), { passed: 0, failed: 1, skipped: 5 });
  t.cleanup();
});

test("inventory, AdmissionReview and match: what the Rego sees", async () => {
  const t = tempTree({
    "template.yaml": templateYaml("K8sDemo", "k8sdemo"),
    "constraint.yaml": constraintYaml(
      "K8sDemo",
      "  match:\n    kinds: [{apiGroups: [\"\"], kinds: [Pod]}]\n    namespaceSelector: {matchLabels: {env: prod}}\n",
    ),
    "pod.yaml": podYaml("p", "x", "shop"),
    "ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {env: prod}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: shop}\n",
    "ns-dev.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {env: dev}\n",
    "update.yaml": "apiVersion: admission.k8s.io/v1\nkind: AdmissionReview\nrequest:\n  operation: UPDATE\n  namespace: shop\n  userInfo: {username: bob}\n  object:\n" +
      podYaml("p", "x", "shop").split("\n").map((l) => "    " + l).join("\n") + "\n",
    "svc.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: shop}\n",
    "suite.yaml": suite(`- name: t
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: selected-namespace
    object: pod.yaml
    inventory: [ns.yaml]
    assertions: [{violations: 1}]
  - name: other-namespace
    object: pod.yaml
    inventory: [ns-dev.yaml]
    assertions: [{violations: "no"}]
  - name: unknown-namespace-autorejects
    object: pod.yaml
    assertions: [{violations: 1, message: "missing Namespace"}]
  - name: not-a-pod
    object: svc.yaml
    inventory: [ns.yaml]
    assertions: [{violations: "no"}]
  - name: admission-review
    object: update.yaml
    inventory: [ns.yaml]
    assertions: [{violations: 1, message: "^UPDATE by bob$"}]
`),
  });
  const seen = { inputs: [] as any[], data: [] as any[] };
  const policy = (input: any, data: any) => {
    if (input.review.operation === "UPDATE") return [{ msg: `UPDATE by ${input.review.userInfo.username}` }];
    return Object.keys(data.inventory.namespace.shop?.["apps/v1"]?.Deployment ?? {}).map((n) => ({ msg: `deployment ${n}` }));
  };
  const run = await verify([t.dir], { cwd: t.dir, backend: fakeBackend({ "k8sdemo/violation": policy }, seen) });
  const cases = run.suites[0]!.tests[0]!.cases;
  assert.equal(cases.map((c) => `${c.name}:${c.status}`), [
    "selected-namespace:pass",
    "other-namespace:pass",
    "unknown-namespace-autorejects:pass",
    "not-a-pod:pass",
    "admission-review:pass",
  ], JSON.stringify(cases.map((c) => c.reasons)));
  // Inventory never leaks between cases: the second evaluation saw only its own Namespace.
  assert.is(seen.data.length, 2, "only matched cases reach the Rego");
  t.cleanup();
});

test("evaluation errors become one violation; compile errors fail the test with PC4016", async () => {
  const t = tempTree({
    "template.yaml": templateYaml("K8sDemo", "k8sdemo"),
    "broken.yaml": templateYaml("K8sBroken", "k8sbroken"),
    "constraint.yaml": constraintYaml("K8sDemo"),
    "broken-constraint.yaml": constraintYaml("K8sBroken"),
    "pod.yaml": podYaml("p", "x"),
    "suite.yaml": suite(`- name: errors
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: c
    object: pod.yaml
    assertions: [{violations: 1, message: "conflict"}]
- name: no-compile
  template: broken.yaml
  constraint: broken-constraint.yaml
  cases:
  - name: c1
    object: pod.yaml
    assertions: [{violations: "no"}]
  - name: c2
    object: pod.yaml
    assertions: [{violations: "no"}]
`),
  });
  const backend = fakeBackend({
    "k8sdemo/violation": () => {
      throw new Error("eval_conflict_error: functions must not produce multiple outputs");
    },
  });
  const run = await verify([t.dir], { cwd: t.dir, backend });
  const [errors, noCompile] = run.suites[0]!.tests;
  assert.is(errors!.status, "pass");
  assert.is(noCompile!.status, "fail");
  assert.equal(noCompile!.cases.map((c) => c.status), ["fail", "fail"]);
  const d = noCompile!.diagnostics[0]!;
  assert.is(d.code, "PC4016");
  assert.match(d.span!.file, /suite\.yaml$/);
  assert.ok(d.notes && /PC5001/.test(d.notes[0]!), "engine diagnostics are carried as notes");
  assert.equal(countResults(run), { passed: 1, failed: 2, skipped: 0 });
  assert.ok(allDiagnostics(run).some((x) => x.code === "PC4016"));
  t.cleanup();
});

test("enforcementAction: warn counts like deny; scoped applies only with the gator point", async () => {
  const t = tempTree({
    "template.yaml": templateYaml("K8sDemo", "k8sdemo"),
    "warn.yaml": constraintYaml("K8sDemo", "  enforcementAction: warn\n  parameters:\n    repos: [good/]\n"),
    "scoped-audit.yaml": constraintYaml(
      "K8sDemo",
      "  enforcementAction: scoped\n  scopedEnforcementActions:\n  - action: deny\n    enforcementPoints: [{name: audit.gatekeeper.sh}]\n  parameters:\n    repos: [good/]\n",
    ),
    "scoped-gator.yaml": constraintYaml(
      "K8sDemo",
      "  enforcementAction: scoped\n  scopedEnforcementActions:\n  - action: warn\n    enforcementPoints: [{name: gator.gatekeeper.sh}]\n  parameters:\n    repos: [good/]\n",
    ),
    "bad.yaml": podYaml("no", "evil/nginx"),
    "suite.yaml": suite(["warn", "scoped-audit", "scoped-gator"]
      .map((n) => `- name: ${n}\n  template: template.yaml\n  constraint: ${n}.yaml\n  cases:\n  - name: c\n    object: bad.yaml\n    assertions: [{violations: ${n === "scoped-audit" ? '"no"' : 1}}]\n`)
      .join("")),
  });
  const run = await verify([t.dir], { cwd: t.dir, backend: fakeBackend({ "k8sdemo/violation": repos }) });
  assert.equal(countResults(run), { passed: 3, failed: 0, skipped: 0 });
  const [warn, , scoped] = run.suites[0]!.tests;
  assert.is(warn!.cases[0]!.violations![0]!.enforcementAction, "warn");
  assert.equal(scoped!.cases[0]!.violations![0]!.scopedActions, ["warn"]);
  t.cleanup();
});

test("a compare back end (--differential) fails cases where the engines disagree, with a diff", async () => {
  const t = tempTree({
    "template.yaml": templateYaml("K8sDemo", "k8sdemo"),
    "constraint.yaml": constraintYaml("K8sDemo"),
    "good.yaml": podYaml("ok", "good/nginx"),
    "bad.yaml": podYaml("no", "evil/nginx"),
    "suite.yaml": suite(`- name: t
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: agree
    object: good.yaml
    assertions: [{violations: "no"}]
  - name: disagree
    object: bad.yaml
    assertions: [{violations: 1}]
`),
  });
  const other = fakeBackend({ "k8sdemo/violation": (input: any) => repos(input).map((v: any) => ({ msg: v.msg.toUpperCase() })) });
  const run = await runSuites(loadSuites([t.dir], t.dir).suites, { cwd: t.dir, backend: fakeBackend({ "k8sdemo/violation": repos }), compareBackend: other });
  const [agree, disagree] = run[0]!.tests[0]!.cases;
  assert.is(agree!.status, "pass");
  assert.is(disagree!.status, "fail");
  assert.match(disagree!.reasons[0]!, /the engines disagree/);
  assert.match(disagree!.diff!, /-container <c> has an invalid image repo <evil\/nginx>\n\+CONTAINER <C>/);
  t.cleanup();
});

test.run();
