// `policyc deckhouse suites --from DIR` runs Deckhouse's own gator suites (ConstraintTestMatrix
// files) with the pack's templates. The matrix below is written for this test: it uses each rule of
// the format (deep merge, `null` removing a key, lists replacing, containerMerges, a named exception
// adding the SecurityPolicyException and the Pod label, `$TEST_ROOT` refs, blocks whose cases are
// written as a single map or as a map keyed by case name, a block whose cases are neither) and its
// expectations are the pack's documented behaviour.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { mergePatch, materialiseMatrix } from "../../src/deckhouse/suites.js";
import { packTemplates } from "../../src/deckhouse/pack.js";
import { runCli, writeTree } from "../support/cli.js";

const ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: testns\n  labels: {pss: strict}\n";

const constraint = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: D8PrivilegedContainer
metadata: {name: no-privileged}
spec:
  match:
    kinds: [{apiGroups: [""], kinds: [Pod]}]
`;

const matrix = `apiVersion: deckhouse.io/v1alpha1
kind: ConstraintTestMatrix
metadata: {name: privileged}
spec:
  suiteName: privileged
  outputTestDirectory: rendered
  defaultObjectBase: pod
  defaultInventory:
    - ref: $TEST_ROOT/constraints/_samples/ns.yaml
  bases:
    pod: {document: {apiVersion: v1, kind: Pod, metadata: {namespace: testns, labels: {app: web}}, spec: {containers: [{name: app, image: "registry.example.com/app:1", securityContext: {privileged: true}}]}}}
    securityPolicyException: {document: {apiVersion: deckhouse.io/v1alpha1, kind: SecurityPolicyException, metadata: {namespace: testns}}}
  namedExceptions:
    lift-privileged: {merge: {spec: {securityContext: {privileged: {allowedValue: true}}}}}
  blocks:
    - name: functional
      template: ignored.yaml
      constraint: constraints/policy_1.yaml
      cases:
        - {name: privileged, violations: "yes", object: {merge: {metadata: {name: p1}}}}
        - name: unprivileged-by-container-merge
          violations: "no"
          object: {containerMerges: [{name: app, merge: {securityContext: {privileged: false}}}]}
        - name: securitycontext-removed
          violations: "no"
          object: {merge: {metadata: {labels: null}, spec: {containers: [{name: app, image: x}]}}}
        - name: privileged-init-container-added
          violations: "yes"
          object: {containerMerges: [{name: app, merge: {securityContext: {privileged: false}}}], initContainerMerges: [{name: init, merge: {image: busybox, securityContext: {privileged: true}}}]}
        - {name: lifted-by-named-exception, violations: "no", exception: lift-privileged, object: {}}
        - name: wrong-label
          violations: "yes"
          exceptionRef: lift-privileged
          object: {merge: {metadata: {labels: {security.deckhouse.io/security-policy-exception: other}}}}
    - name: single-case-map
      template: ignored.yaml
      constraint: constraints/policy_1.yaml
      cases: {name: one-case-as-a-map, violations: "yes", object: {merge: {metadata: {name: p2}}}}
    - name: cases-keyed-by-name
      template: ignored.yaml
      constraint: constraints/policy_1.yaml
      cases:
        keyed-privileged: {violations: "yes", object: {}}
        keyed-unprivileged: {violations: "no", object: {containerMerges: [{name: app, merge: {securityContext: {privileged: false}}}]}}
    - name: broken
      template: ignored.yaml
      constraint: constraints/policy_1.yaml
      cases: not-cases
    - name: unknown-kind
      template: ignored.yaml
      constraint: constraints/policy_2.yaml
      cases: [{name: x, violations: "no"}]
`;

function tree() {
  return writeTree("policyc-dh-suites-", {
    "test_cases/constraints/_samples/ns.yaml": ns,
    "test_cases/constraints/security/privileged/test-matrix.yaml": matrix,
    "test_cases/constraints/security/privileged/constraints/policy_1.yaml": constraint,
    "test_cases/constraints/security/privileged/constraints/policy_2.yaml": constraint.replace("D8PrivilegedContainer", "D8SomethingNew"),
  });
}

test("mergePatch: maps merge, lists and scalars replace, null removes", () => {
  assert.equal(mergePatch({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3], e: 2 }, d: null }), { a: { b: 1, c: [3], e: 2 } });
  assert.equal(mergePatch({ a: 1 }, undefined), { a: 1 });
});

test("a matrix becomes a Suite with the pack's template; unusable blocks are reported, not run", () => {
  const dir = tree();
  try {
    const out = path.join(dir, "out");
    const m = materialiseMatrix(path.join(dir, "test_cases/constraints/security/privileged/test-matrix.yaml"), out, packTemplates(), "security/privileged");
    assert.ok(m.suite);
    assert.equal(m.skipped.map((s) => s.block), ["broken", "unknown-kind"]);
    assert.match(m.skipped[0]!.reason, /neither a list of cases nor a map of them/);
    assert.match(m.skipped[1]!.reason, /no template for D8SomethingNew/);
    const suite = YAML.parse(readFileSync(m.suite!, "utf8"));
    assert.equal(suite.tests.map((x: any) => x.name), ["functional", "single-case-map", "cases-keyed-by-name"]);
    assert.equal(suite.tests[1].cases.map((c: any) => c.name), ["one-case-as-a-map"]);
    assert.equal(suite.tests[2].cases.map((c: any) => [c.name, c.assertions[0].violations]), [["keyed-privileged", "yes"], ["keyed-unprivileged", "no"]]);
    const t = suite.tests[0];
    assert.is(YAML.parse(readFileSync(path.join(out, t.template), "utf8")).spec.crd.spec.names.kind, "D8PrivilegedContainer");
    const lifted = t.cases.find((c: any) => c.name === "lifted-by-named-exception");
    assert.is(lifted.inventory.length, 2);
    const spe = YAML.parse(readFileSync(path.join(out, lifted.inventory[1]), "utf8"));
    assert.equal(spe.metadata, { namespace: "testns", name: "lift-privileged" });
    const pod = YAML.parse(readFileSync(path.join(out, lifted.object), "utf8"));
    assert.is(pod.metadata.labels["security.deckhouse.io/security-policy-exception"], "lift-privileged");
    assert.is(pod.metadata.labels.app, "web");
    const removed = YAML.parse(readFileSync(path.join(out, t.cases.find((c: any) => c.name === "securitycontext-removed").object), "utf8"));
    assert.equal(removed.spec.containers, [{ name: "app", image: "x" }]);
    assert.is(removed.metadata.labels, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("deckhouse suites --from runs every matrix and reports per suite", async () => {
  const dir = tree();
  try {
    const r = await runCli(["deckhouse", "suites", "--from", "test_cases", "-v"], dir);
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /PASS {2}constraints\/security\/privileged {2}9\/9/);
    assert.match(r.stdout, /block broken not run: `cases` is neither a list of cases nor a map of them/);
    assert.match(r.stdout, /1 suites: 1 pass, 0 fail, 0 not run; cases: 9 passed, 0 failed; 2 blocks not run/);
    const missing = await runCli(["deckhouse", "suites"], dir);
    assert.is(missing.code, 1);
    assert.match(missing.stderr, /needs --from DIR/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const lenient = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: d8privilegedcontainer}
spec:
  crd: {spec: {names: {kind: D8PrivilegedContainer}}}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package d8.security_policies
        violation[{"msg": "never"}] { false }
`;

test("deckhouse suites --templates: a cluster's template judges the kinds it defines", async () => {
  const dir = tree();
  try {
    writeFileSync(path.join(dir, "cluster.yaml"), lenient);
    const r = await runCli(["deckhouse", "suites", "--from", "test_cases", "--templates", "cluster.yaml"], dir);
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAIL {2}constraints\/security\/privileged {2}4\/9/);
    assert.match(r.stdout, /functional › privileged\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const gpuConstraint = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: D8GpuResourceRestriction
metadata: {name: gpu}
spec:
  match:
    kinds: [{apiGroups: [""], kinds: [Pod]}]
  parameters:
    namespaceLabel: {key: gpu-allowed, value: "yes"}
    gpuResourcePatterns: ['^vendor\\.com/gpu$']
`;

const gpuMatrix = `apiVersion: deckhouse.io/v1alpha1
kind: ConstraintTestMatrix
metadata: {name: gpu}
spec:
  suiteName: gpu
  outputTestDirectory: rendered
  defaultObjectBase: pod
  bases:
    pod: {document: {apiVersion: v1, kind: Pod, metadata: {namespace: testns}, spec: {containers: [{name: app, image: a, resources: {limits: {vendor.com/gpu: 1}}}]}}}
    allowed: {document: {apiVersion: v1, kind: Namespace, metadata: {name: testns, labels: {gpu-allowed: "yes"}}}}
  blocks:
    - name: gpu
      template: ignored.yaml
      constraint: constraints/policy_1.yaml
      cases:
        - {name: labelled, violations: "no", inventory: [{base: allowed}], object: {}}
        - {name: not-synced, violations: "yes", assertionMessage: "is not present in the Gatekeeper cache", object: {}}
`;

test("inventory objects keep string values a YAML 1.1 reader would take for booleans (a label \"yes\")", async () => {
  const dir = writeTree("policyc-dh-suites-gpu-", {
    "test_cases/constraints/operation/gpu/test-matrix.yaml": gpuMatrix,
    "test_cases/constraints/operation/gpu/constraints/policy_1.yaml": gpuConstraint,
  });
  try {
    const r = await runCli(["deckhouse", "suites", "--from", "test_cases", "-v"], dir);
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /PASS {2}constraints\/operation\/gpu {2}2\/2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The newer matrices write every field of a case, the unused ones empty: a block's
// `defaultObjectBase: ""` falls back to the matrix's, empty exception names and messages mean none,
// `gatorBlock` names the test, `fields` (coverage bookkeeping) is ignored.
const expandedMatrix = `apiVersion: deckhouse.io/v1alpha1
kind: ConstraintTestMatrix
metadata: {name: expanded}
spec:
  suiteName: expanded
  outputTestDirectory: rendered
  defaultObjectBase: pod
  bases:
    pod: {document: {apiVersion: v1, kind: Pod, metadata: {namespace: testns}, spec: {containers: [{name: app, image: a, securityContext: {privileged: true}}]}}}
  namedExceptions: {}
  blocks:
    - name: written-out
      gatorBlock: gator-name
      defaultObjectBase: ""
      template: ../rendered/constraint-template.yaml
      constraint: constraints/policy_1.yaml
      cases:
        - name: privileged
          violations: "yes"
          assertionMessage: ""
          fields:
            - path: spec.containers[].securityContext.privileged
              scenario: negative
          exception: ""
          exceptionRef: ""
          inventory: []
          object: {merge: {metadata: {name: p1}}}
        - name: unprivileged
          violations: "no"
          assertionMessage: ""
          exception: ""
          exceptionRef: ""
          object: {base: pod, containerMerges: [{name: app, merge: {securityContext: {privileged: false}}}]}
`;

test("matrices written out in full: empty fields mean none, the block's empty base falls back", async () => {
  const dir = writeTree("policyc-dh-suites-expanded-", {
    "test_cases/constraints/security/expanded/test-matrix.yaml": expandedMatrix,
    "test_cases/constraints/security/expanded/constraints/policy_1.yaml": constraint,
  });
  try {
    const r = await runCli(["deckhouse", "suites", "--from", "test_cases", "--out", "out", "-v"], dir);
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /PASS {2}constraints\/security\/expanded {2}2\/2/);
    const suite = YAML.parse(readFileSync(path.join(dir, "out/constraints/security/expanded/suite.yaml"), "utf8"));
    assert.equal(suite.tests.map((t: any) => t.name), ["gator-name"]);
    assert.equal(suite.tests[0].cases[0].assertions, [{ violations: "yes" }]);
    assert.not.ok("inventory" in suite.tests[0].cases[0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
