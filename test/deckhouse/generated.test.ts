// Must show (issue 6): every Deckhouse, mutation and Kyverno object in generated/manifests/
// validates against the upstream CRD schema of its kind, and the Kyverno exceptions there list the
// autogen rule names for kube-system and d8-*.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { projectRoot, requireShared } from "../support/shared.js";
import { crdValidator } from "./support/crd.js";

const manifests = path.join(projectRoot, "generated/manifests");
const objects = readdirSync(manifests)
  .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
  .map((f) => ({ file: f, object: YAML.parse(readFileSync(path.join(manifests, f), "utf8")) }));
const kustomization = YAML.parse(readFileSync(path.join(manifests, "kustomization.yaml"), "utf8"));

const deckhouse = requireShared("schemas-upstream/deckhouse/modules/015-admission-policy-engine/crds", "upstream Deckhouse CRDs");
const gatekeeper = requireShared("schemas-upstream/gatekeeper/crds", "upstream Gatekeeper CRDs");
const kyverno = requireShared("schemas-upstream/kyverno/crds", "upstream Kyverno CRDs");

function crdFile(o: any): string | undefined {
  const [group] = String(o.apiVersion).split("/");
  if (group === "deckhouse.io" && deckhouse) {
    const f = { SecurityPolicy: "security-policy.yaml", OperationPolicy: "operation-policy.yaml", SecurityPolicyException: "security-policy-exception.yaml" }[o.kind as string];
    return f && path.join(deckhouse, f);
  }
  if ((group === "mutations.gatekeeper.sh" || group === "expansion.gatekeeper.sh") && gatekeeper)
    return path.join(gatekeeper, `${String(o.kind).toLowerCase()}-customresourcedefinition.yaml`);
  if (group === "kyverno.io" && kyverno && o.kind === "PolicyException") return path.join(kyverno, "kyverno.io_policyexceptions.yaml");
  return undefined;
}

if (deckhouse && gatekeeper && kyverno) {
  test("every Deckhouse, mutation, expansion and Kyverno manifest validates against its upstream CRD", () => {
    const counts: Record<string, number> = {};
    for (const { file, object } of objects) {
      const crd = crdFile(object);
      const group = String(object.apiVersion).split("/")[0]!;
      if (!["deckhouse.io", "mutations.gatekeeper.sh", "expansion.gatekeeper.sh", "kyverno.io"].includes(group)) continue;
      assert.ok(crd, `${file}: no upstream CRD for ${object.apiVersion} ${object.kind}`);
      const version = String(object.apiVersion).split("/")[1];
      const v = crdValidator(crd!, version);
      assert.is(v.version, version, `${file}: the CRD does not serve ${version}`);
      assert.equal(v.errors(object), [], file);
      assert.ok(kustomization.resources.includes(file), `${file} is not in kustomization.yaml`);
      counts[group] = (counts[group] ?? 0) + 1;
    }
    assert.ok((counts["deckhouse.io"] ?? 0) >= 9 && (counts["mutations.gatekeeper.sh"] ?? 0) >= 4 && (counts["kyverno.io"] ?? 0) >= 3 && counts["expansion.gatekeeper.sh"] === 2, JSON.stringify(counts));
  });
}

test("the ClusterPolicy with a Pod rule is exempted with its autogen variants for kube-system and d8-*", () => {
  const ex = objects.find((o) => o.object.kind === "PolicyException" && o.object.spec.exceptions[0].policyName === "require-team-label");
  assert.ok(ex, "no exception for examples/kyverno/cluster-policies/require-team-label.yaml");
  assert.equal(ex!.object.spec.exceptions[0].ruleNames, ["check-team-label", "autogen-check-team-label", "autogen-cronjob-check-team-label", "check-namespace-owner"]);
  assert.equal(ex!.object.spec.match.any[0].resources.namespaces, ["kube-system", "d8-*"]);
});

test.run();
