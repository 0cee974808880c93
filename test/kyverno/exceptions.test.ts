// Kyverno exceptions: autogen rule names, discovery from a YAML folder with positioned
// diagnostics, the generated PolicyException (valid against the upstream CRD), resourceFilters.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { requireShared, projectRoot } from "../support/shared.js";
import { crdValidator } from "../deckhouse/support/crd.js";
import { ruleNamesFor } from "../../src/emit/kyverno/autogen.js";
import { discoverPolicies, policiesInText } from "../../src/emit/kyverno/discover.js";
import { exceptionFor, resourceFilterEntries } from "../../src/emit/kyverno/exceptions.js";
import { schemaValidator } from "../../src/api/deckhouse/support/schema-check.js";

test("autogen names follow the autogen-controllers annotation", () => {
  assert.equal(ruleNamesFor("r", ["Pod"], undefined), ["r", "autogen-r", "autogen-cronjob-r"]);
  assert.equal(ruleNamesFor("r", ["v1/Pod"], "Deployment,StatefulSet"), ["r", "autogen-r"]);
  assert.equal(ruleNamesFor("r", ["Pod"], "CronJob"), ["r", "autogen-cronjob-r"]);
  assert.equal(ruleNamesFor("r", ["Pod"], "none"), ["r"]);
  assert.equal(ruleNamesFor("r", ["Namespace"], undefined), ["r"]);
  assert.equal(ruleNamesFor("r", ["Pod/exec"], undefined), ["r"]);
});

test("a file that is not YAML is reported at its line and column", () => {
  const r = policiesInText("apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: x\n   bad: [\n", "p/bad.yaml");
  assert.is(r.policies.length, 0);
  assert.is(r.diagnostics.length, 1);
  const d = r.diagnostics[0]!;
  assert.is(d.code, "PC6030");
  assert.is(d.span!.file, "p/bad.yaml");
  assert.ok(d.span!.line >= 4, JSON.stringify(d));
});

test("a policy without rules is reported at its spec", () => {
  const text = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: empty\nspec:\n  rules: []\n";
  const r = policiesInText(text, "e.yaml");
  assert.equal(r.diagnostics.map((d) => [d.code, d.span!.line, d.span!.col]), [["PC6031", 11, 10]]);
  assert.ok(r.diagnostics[0]!.message.includes("`empty`"));
  const noSpec = policiesInText("apiVersion: kyverno.io/v1\nkind: Policy\nmetadata: {name: p, namespace: team}\n", "n.yaml");
  assert.equal(noSpec.diagnostics.map((d) => d.code), ["PC6031"]);
});

test("a ClusterPolicy with a Pod rule gets an exception with the rule and its autogen variants for kube-system and d8-*", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "policyc-kyverno-"));
  try {
    mkdirSync(path.join(dir, "kyverno", "nested"), { recursive: true });
    writeFileSync(
      path.join(dir, "kyverno", "nested", "p.yaml"),
      "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: require-probes\nspec:\n  rules:\n  - name: check-probes\n    match:\n      any:\n      - resources:\n          kinds: [Pod]\n",
    );
    writeFileSync(
      path.join(dir, "kyverno", "team.yml"),
      "apiVersion: kyverno.io/v1\nkind: Policy\nmetadata:\n  name: limits\n  namespace: team-a\nspec:\n  rules:\n  - name: cpu\n    match:\n      resources:\n        kinds: [Deployment]\n",
    );
    const found = discoverPolicies(dir, ["kyverno"], "policyc.config.ts");
    assert.equal(found.diagnostics, []);
    assert.equal(found.policies.map((p) => [p.kind, p.name, p.origin.file]), [
      ["ClusterPolicy", "require-probes", "kyverno/nested/p.yaml"],
      ["Policy", "limits", "kyverno/team.yml"],
    ]);
    const ex = exceptionFor(found.policies[0]!, "kyverno", ["kube-system", "d8-*"]);
    assert.equal(ex.spec.exceptions, [{ policyName: "require-probes", ruleNames: ["check-probes", "autogen-check-probes", "autogen-cronjob-check-probes"] }]);
    assert.equal(ex.spec.match.any[0]!.resources.namespaces, ["kube-system", "d8-*"]);
    assert.is(ex.metadata.namespace, "kyverno");
    const nsEx = exceptionFor(found.policies[1]!, "kyverno", ["kube-system", "d8-*"]);
    assert.equal(nsEx.spec.exceptions[0], { policyName: "team-a/limits", ruleNames: ["cpu"] });
    assert.is(nsEx.metadata.name, "team-a-limits-system-namespaces");
    const own = schemaValidator("kyverno/policyexception.json");
    assert.ok(own(ex), JSON.stringify(own.errors));
    const crds = requireShared("schemas-upstream/kyverno/crds", "the Kyverno CRD validation");
    if (crds) {
      const v = crdValidator(path.join(crds, "kyverno.io_policyexceptions.yaml"), "v2");
      assert.is(v.version, "v2");
      assert.equal(v.errors(ex), []);
      assert.equal(v.errors(nsEx), []);
      assert.ok(v.errors({ ...ex, spec: { ...ex.spec, exceptions: [{ policyName: "x", ruleNames: "r" }] } }).length > 0, "the CRD check must be able to fail");
    }
    const missing = discoverPolicies(dir, ["nope"], "policyc.config.ts");
    assert.equal(missing.diagnostics.map((d) => d.code), ["PC6035"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the repo's Kyverno examples are discovered", () => {
  const found = discoverPolicies(projectRoot, ["examples/kyverno/cluster-policies"], "policyc.config.ts");
  assert.equal(found.diagnostics, []);
  const latest = found.policies.find((p) => p.name === "disallow-latest-tag")!;
  assert.equal(exceptionFor(latest, "kyverno", ["kube-system", "d8-*"]).spec.exceptions[0]!.ruleNames, ["require-image-tag", "autogen-require-image-tag"]);
});

test("resourceFilters entries", () => {
  assert.is(resourceFilterEntries(["kube-system", "d8-*"]), "[*/*,kube-system,*][*/*,d8-*,*]");
});

test.run();
