// policyc's own JSON Schemas (schemas/deckhouse, schemas/mutations, schemas/kyverno) were written
// from the API facts; this cross-checks them field by field against the upstream CRDs: the same
// fields, types, enums, patterns and required lists. Deliberate differences are listed here.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot, requireShared } from "../support/shared.js";
import { readCrd } from "./support/crd.js";

const shared = requireShared("schemas-upstream", "the schema cross-check");

// Places where policyc is stricter than the CRD on purpose (Gatekeeper's or Kyverno's webhook
// rejects what the CRD lets through), keyed `<schema>:<path>:<aspect>`.
const stricter = new Set([
  "mutations/assign.json:spec:required",
  "mutations/modifyset.json:spec:required",
  "mutations/assignimage.json:spec:required",
  "mutations/assignmetadata.json:spec:required",
  "mutations/assign.json:spec.parameters:required",
  "mutations/assignmetadata.json:spec.parameters:required",
  "mutations/modifyset.json:spec.parameters:required",
  "mutations/modifyset.json:spec.parameters.values:properties",
  "mutations/modifyset.json:spec.parameters.values:type",
  "mutations/modifyset.json:spec.parameters.values:required",
  "mutations/assign.json:spec.parameters.assign.fromMetadata.field:enum",
  "mutations/assignmetadata.json:spec.parameters.assign.fromMetadata.field:enum",
  "mutations/assign.json:spec.match.scope:enum",
  "mutations/assignmetadata.json:spec.match.scope:enum",
  "mutations/modifyset.json:spec.match.scope:enum",
  "mutations/assignimage.json:spec.match.scope:enum",
  ...["assign", "assignmetadata", "modifyset", "assignimage"].flatMap((k) =>
    ["labelSelector", "namespaceSelector"].map((s) => `mutations/${k}.json:spec.match.${s}.matchExpressions[].operator:enum`),
  ),
  ...["any", "all"].flatMap((m) =>
    ["selector", "namespaceSelector"].map((s) => `kyverno/policyexception.json:spec.match.${m}[].resources.${s}.matchExpressions[].operator:enum`),
  ),
]);

function resolve(schema: any, root: any): any {
  if (schema?.$ref?.startsWith("#/definitions/")) return root.definitions[schema.$ref.slice("#/definitions/".length)];
  return schema;
}

function compare(mine: any, up: any, p: string, rel: string, root: any, problems: string[]): void {
  mine = resolve(mine, root);
  const aspect = (a: string) => !stricter.has(`${rel}:${p}:${a}`);
  const upType = up["x-kubernetes-preserve-unknown-fields"] && !up.type ? undefined : up.type;
  if (upType !== mine.type && aspect("type")) problems.push(`${p}: type ${mine.type} vs upstream ${upType}`);
  const e1 = JSON.stringify([...(mine.enum ?? [])].sort());
  const e2 = JSON.stringify([...(up.enum ?? [])].sort());
  if (e1 !== e2 && aspect("enum")) problems.push(`${p}: enum ${e1} vs upstream ${e2}`);
  if ((mine.pattern ?? "") !== (up.pattern ?? "") && aspect("pattern")) problems.push(`${p}: pattern ${mine.pattern} vs upstream ${up.pattern}`);
  if (mine.type === "object" || up.type === "object") {
    const r1 = JSON.stringify([...(mine.required ?? [])].sort());
    const r2 = JSON.stringify([...(up.required ?? [])].sort());
    if (r1 !== r2 && aspect("required")) problems.push(`${p}: required ${r1} vs upstream ${r2}`);
    const mp = mine.properties ?? {};
    const uprops = up.properties ?? {};
    const keys = new Set([...Object.keys(mp), ...Object.keys(uprops)]);
    for (const k of keys) {
      if (p === "" && ["status", "apiVersion", "kind", "metadata"].includes(k)) continue;
      const child = p ? `${p}.${k}` : k;
      if (!(k in uprops)) {
        if (aspect("properties")) problems.push(`${child}: not in the upstream CRD`);
      } else if (!(k in mp)) {
        problems.push(`${child}: missing from policyc's schema`);
      } else compare(mp[k], uprops[k], child, rel, root, problems);
    }
  }
  if (up.items || mine.items) {
    if (!up.items || !mine.items) problems.push(`${p}: items differ`);
    else compare(mine.items, up.items, `${p}[]`, rel, root, problems);
  }
}

const pairs: [string, string, string][] = [
  ["deckhouse/securitypolicy.json", "deckhouse/modules/015-admission-policy-engine/crds/security-policy.yaml", "v1alpha1"],
  ["deckhouse/operationpolicy.json", "deckhouse/modules/015-admission-policy-engine/crds/operation-policy.yaml", "v1alpha1"],
  ["deckhouse/securitypolicyexception.json", "deckhouse/modules/015-admission-policy-engine/crds/security-policy-exception.yaml", "v1alpha1"],
  ["mutations/assign.json", "gatekeeper/crds/assign-customresourcedefinition.yaml", "v1"],
  ["mutations/assignmetadata.json", "gatekeeper/crds/assignmetadata-customresourcedefinition.yaml", "v1"],
  ["mutations/modifyset.json", "gatekeeper/crds/modifyset-customresourcedefinition.yaml", "v1"],
  ["mutations/assignimage.json", "gatekeeper/crds/assignimage-customresourcedefinition.yaml", "v1alpha1"],
  ["kyverno/policyexception.json", "kyverno/crds/kyverno.io_policyexceptions.yaml", "v2"],
];

if (shared) {
  for (const [rel, crdPath, version] of pairs) {
    test(`${rel} agrees with the upstream CRD ${path.basename(crdPath)} (${version})`, () => {
      const mine = JSON.parse(readFileSync(path.join(projectRoot, "schemas", rel), "utf8"));
      const crd = readCrd(path.join(shared, crdPath));
      const up = crd.versions.find((v) => v.name === version)!.schema;
      assert.is(mine.properties.kind.const, crd.kind);
      assert.is(mine.properties.apiVersion.const, `${crd.group}/${version}`);
      const problems: string[] = [];
      compare(mine.properties.spec, up.properties.spec, "spec", rel, mine, problems);
      assert.equal(problems, []);
    });
  }
  test("the cross-check notices a missing field", () => {
    const mine = JSON.parse(readFileSync(path.join(projectRoot, "schemas/deckhouse/securitypolicy.json"), "utf8"));
    delete mine.properties.spec.properties.policies.properties.allowHostIPC;
    const up = readCrd(path.join(shared, pairs[0]![1])).versions[0]!.schema;
    const problems: string[] = [];
    compare(mine.properties.spec, up.properties.spec, "spec", "x", mine, problems);
    assert.equal(problems, ["spec.policies.allowHostIPC: missing from policyc's schema"]);
  });
}

test.run();
