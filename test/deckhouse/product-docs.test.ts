// Every Deckhouse object in the product docs comes out of the DSL examples as the same object, and
// validates against the upstream CRD. The docs are parsed here at test time from ../shared.
import { test } from "uvu";
import * as assert from "uvu/assert";
import path from "node:path";
import { readdirSync } from "node:fs";
import { requireShared, projectRoot } from "../support/shared.js";
import { productDocExamples, type DocExample } from "./support/product-docs.js";
import { loadResources, type LoadedResource } from "./support/load-examples.js";
import { crdValidator } from "./support/crd.js";
import { validateDeckhouseObject } from "../../src/api/deckhouse/validate.js";

const docsDir = requireShared("product-docs", "the product-docs comparison");
const crdDir = requireShared("schemas-upstream/deckhouse/modules/015-admission-policy-engine/crds", "the Deckhouse CRD validation");
const exampleFiles = readdirSync(path.join(projectRoot, "examples/deckhouse"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => path.join(projectRoot, "examples/deckhouse", f));

let resources: LoadedResource[] = [];
const key = (o: any) => `${o.kind}/${o.metadata?.name}`;

test.before(async () => {
  resources = await loadResources(exampleFiles);
});

if (docsDir) {
  const docs = productDocExamples(docsDir).filter((d) => d.object.apiVersion === "deckhouse.io/v1alpha1");

  test("the docs hold the Deckhouse examples the issue names", () => {
    const names = new Set(docs.map((d) => key(d.object)));
    for (const n of ["OperationPolicy/common", "SecurityPolicy/mypolicy", "SecurityPolicy/baseline", "SecurityPolicy/restricted", "SecurityPolicy/foo", "SecurityPolicy/bar", "SecurityPolicy/verify-image-signatures"]) {
      assert.ok(names.has(n), `docs example ${n} not found`);
    }
  });

  // The docs' test-operation-policy is mis-indented: `operation-policy.deckhouse.io/enabled` sits beside
  // `matchLabels: null`. policyc must reject that object and the example carries the intended one.
  const isMisindented = (d: DocExample) => {
    const ls = (d.object as any).spec?.match?.namespaceSelector?.labelSelector;
    return ls && "matchLabels" in ls && ls.matchLabels === null;
  };

  test("every well-formed Deckhouse docs example is produced by the DSL examples", () => {
    let compared = 0;
    for (const d of docs.filter((x) => !isMisindented(x))) {
      const mine = resources.find((r) => key(r.object) === key(d.object));
      assert.ok(mine, `no DSL example produces ${key(d.object)} (${d.file})`);
      assert.equal(mine!.object, d.object, `${key(d.object)} differs from ${d.file}`);
      compared++;
    }
    assert.ok(compared >= 8, `compared only ${compared} examples`);
  });

  test("the mis-indented docs example is rejected and the DSL carries its intended form", () => {
    const broken = docs.filter(isMisindented);
    assert.is(broken.length, 1);
    const d = broken[0]!;
    const diags = validateDeckhouseObject(d.object as any, () => undefined);
    assert.ok(diags.some((x) => x.code === "PC6001" && x.message.includes("operation-policy.deckhouse.io/enabled")), JSON.stringify(diags));
    const fixed = structuredClone(d.object) as any;
    const ls = fixed.spec.match.namespaceSelector.labelSelector;
    fixed.spec.match.namespaceSelector.labelSelector = { matchLabels: { "operation-policy.deckhouse.io/enabled": ls["operation-policy.deckhouse.io/enabled"] } };
    const mine = resources.find((r) => key(r.object) === key(d.object));
    assert.equal(mine?.object, fixed);
  });
}

if (crdDir) {
  const crdFor: Record<string, string> = {
    SecurityPolicy: "security-policy.yaml",
    OperationPolicy: "operation-policy.yaml",
    SecurityPolicyException: "security-policy-exception.yaml",
  };
  test("every Deckhouse example validates against the upstream CRD and policyc's own checks", () => {
    let n = 0;
    for (const r of resources) {
      const file = crdFor[r.object.kind];
      if (!file) continue;
      const errors = crdValidator(path.join(crdDir, file), "v1alpha1").errors(r.object);
      assert.equal(errors, [], `${key(r.object)}: ${errors.join("; ")}`);
      const own = validateDeckhouseObject(r.object, () => undefined).filter((x) => x.severity === "error");
      assert.equal(own, [], `${key(r.object)}: ${JSON.stringify(own)}`);
      n++;
    }
    assert.ok(n >= 9, `only ${n} Deckhouse examples`);
  });
}

test.run();
