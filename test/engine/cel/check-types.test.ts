// The CEL checker with the roots typed as the API server types a ValidatingAdmissionPolicy's
// (src/engine/cel/schema-types.ts): fields of the matched kinds (from kubernetes-types), of the
// parameters schema and of the AdmissionRequest; misspelt fields and mistyped comparisons are
// errors, several kinds and kind-guarded branches are not, and every CEL source of the Gatekeeper
// library checks clean against the kinds its samples' constraints match.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseAllDocuments } from "yaml";
import { checkK8sNativeValidation } from "../../../src/engine/cel/check.js";
import { deriveShapes, kubernetesShapes, shapesCacheFile, shapesKey } from "../../../src/engine/cel/kubernetes-shapes.js";
import { objectShapes, shapeOfSchema, type CelSchemaEnv, type MatchedKinds } from "../../../src/engine/cel/schema-types.js";
import { requireShared } from "../../support/shared.js";

const POD: MatchedKinds[] = [{ apiGroups: [""], kinds: ["Pod"] }];
const WORKLOADS: MatchedKinds[] = [
  { apiGroups: [""], kinds: ["Pod"] },
  { apiGroups: ["apps"], kinds: ["Deployment", "StatefulSet"] },
];
const PARAMS = {
  type: "object",
  properties: { repos: { type: "array", items: { type: "string" } }, max: { type: "integer" }, labels: { type: "object", additionalProperties: { type: "string" } } },
};

function env(kinds: MatchedKinds[] | undefined, parameters: unknown = PARAMS): CelSchemaEnv {
  return { object: objectShapes([kinds]), parameters: shapeOfSchema(parameters) };
}

function errorsOf(expression: string, kinds: MatchedKinds[] | undefined = POD, variables: { name: string; expression: string }[] = []): string[] {
  return checkK8sNativeValidation({ variables, validations: [{ expression }] }, env(kinds)).map((e) => e.message);
}

test("a misspelt field of the matched kind is an error that names the field and suggests the right one", () => {
  const [e, ...rest] = errorsOf("variables.anyObject.spec.contaners.all(c, has(c.image))");
  assert.equal(rest, []);
  assert.match(e!, /undefined field 'contaners' in core\/v1\.PodSpec \(did you mean 'containers'\?\)/);
  assert.equal(errorsOf("object.spec.containers.all(c, has(c.imagee))").length, 1, "inside has() too");
  assert.equal(errorsOf("object.metadata.lables.size() > 0").length, 1);
  assert.equal(errorsOf("has(object.spec.constructor) || object.spec.toString == 1").length, 2, "only own fields");
  assert.equal(errorsOf("object.spec.containers.all(c, has(c.image) && c.image != '')"), []);
});

test("admission rules carry resources and scope, which the kubernetes-types typings leave out", () => {
  const webhooks: MatchedKinds[] = [{ apiGroups: ["admissionregistration.k8s.io"], kinds: ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"] }];
  assert.equal(errorsOf(`object.webhooks.all(w, w.rules.all(r, !("*" in r.resources) && r.scope != "*"))`, webhooks), []);
  const policies: MatchedKinds[] = [{ apiGroups: ["admissionregistration.k8s.io"], kinds: ["ValidatingAdmissionPolicy"] }];
  assert.equal(errorsOf(`object.spec.matchConstraints.resourceRules.all(r, r.resources.size() > 0 && r.scope == "Namespaced")`, policies), []);
  assert.equal(errorsOf(`object.spec.matchConstraints.resourceRules.all(r, r.resources == 1)`, policies).length, 1, "typed, not dyn");
  assert.equal(errorsOf(`object.spec.matchConstraints.resourceRules.all(r, has(r.resource))`, policies).length, 1);
});

test("optional syntax: `.?f` and `[?k]` check the field as `.f` does and carry its type", () => {
  assert.equal(errorsOf(`object.spec.?containers.orValue([]).all(c, c.image != "")`), []);
  assert.equal(errorsOf(`object.?spec.?hostNetwork.orValue(false) || object.metadata.?labels[?"app"].orValue("") == "web"`), []);
  assert.match(errorsOf(`object.spec.?contaners.orValue([]).size() == 0`)[0]!, /undefined field 'contaners' in core\/v1\.PodSpec/);
  assert.equal(errorsOf(`object.?spec.?hostNetwork.orValue(false) == "yes"`).length, 1);
});

test("comparing a field with a value of another type is an error", () => {
  const kinds: MatchedKinds[] = [{ apiGroups: ["apps"], kinds: ["Deployment"] }];
  assert.match(errorsOf(`object.spec.replicas == "3"`, kinds)[0]!, /no matching overload for '_==_' applied to '\(int, string\)'/);
  assert.equal(errorsOf(`object.spec.replicas == 3`, kinds), []);
  assert.equal(errorsOf(`object.spec.paused == "true"`, kinds).length, 1);
  assert.equal(errorsOf(`object.spec.template.spec.hostNetwork == true`, kinds), []);
  assert.equal(errorsOf(`object.spec.template.spec.containers[0].name + 1 == "x"`, kinds).length, 1);
});

test("several kinds: a field of any of them is valid; a field of none is an error; kind tests narrow", () => {
  assert.equal(errorsOf(`has(object.spec.containers) || has(object.spec.template)`, WORKLOADS), []);
  assert.equal(errorsOf(`object.kind == "Pod" ? size(object.spec.containers) > 0 : size(object.spec.template.spec.containers) > 0`, WORKLOADS), []);
  assert.equal(errorsOf(`object.spec.contaners == []`, WORKLOADS).length, 1);
  // Within `kind == "Pod"` a Deployment's field is not there...
  assert.equal(errorsOf(`object.kind == "Pod" && has(object.spec.template)`, WORKLOADS).length, 1);
  // ...and a branch no matched kind reaches is not checked (podSpecOf's CronJob branch for pods).
  assert.equal(errorsOf(`object.kind == "CronJob" ? has(object.spec.jobTemplate) : has(object.spec.containers)`, POD), []);
  assert.equal(errorsOf(`object.kind in ["Deployment"] && has(object.spec.template)`, POD), []);
  // Through a variable, as Gatekeeper's `anyObject`.
  assert.equal(errorsOf(`variables.anyObject.kind != "Pod" || has(variables.anyObject.spec.nodeName)`, WORKLOADS), []);
  assert.equal(errorsOf(`has(variables.anyObject.spec.template) && has(variables.anyObject.spec.template.spec.nodeName)`, WORKLOADS), []);
});

test("matchConditions narrow the kinds the variables and validations see", () => {
  const source = {
    matchConditions: [{ name: "pods", expression: `object.kind == "Pod"` }],
    variables: [{ name: "c", expression: `has(object.spec.containers) ? object.spec.containers : []` }],
    validations: [{ expression: `variables.c.all(x, has(x.image))` }],
  };
  assert.equal(checkK8sNativeValidation(source, env(POD)), []);
  const deployments: MatchedKinds[] = [{ apiGroups: ["apps"], kinds: ["Deployment"] }, ...POD];
  assert.equal(checkK8sNativeValidation(source, env(deployments)), []);
  // Without the condition, a Deployment-only constraint reading pod fields is an error.
  const { matchConditions: _, ...bare } = source;
  assert.equal(checkK8sNativeValidation(bare, env([{ apiGroups: ["apps"], kinds: ["Deployment"] }])).length, 1);
});

test("kinds policyc has no schema of, `*` and a constraint without kinds: any Kubernetes object (metadata checked, other fields open)", () => {
  const widget: MatchedKinds[] = [{ apiGroups: ["example.com"], kinds: ["Widget"] }];
  for (const kinds of [widget, [{ apiGroups: ["*"], kinds: ["*"] }], [...POD, ...widget]]) {
    assert.equal(errorsOf(`object.spec.anything == "x" && object.metadata.name != "" && "a" in object.metadata.labels`, kinds), [], JSON.stringify(kinds));
    assert.match(errorsOf(`object.metadata.lables.size() > 0`, kinds)[0] ?? "", /undefined field 'lables' in meta\/v1\.ObjectMeta \(did you mean 'labels'\?\)/);
    assert.equal(errorsOf(`object.metadata.name == 1`, kinds).length, 1);
  }
  // With a Pod and an unknown kind, a field of neither is open (the unknown kind may have it).
  assert.equal(errorsOf(`has(object.spec.widgetSize)`, [...POD, ...widget]), []);
  assert.equal(objectShapes([undefined]).map((s) => s.name), ["a Kubernetes object"], "a constraint without kinds");
  assert.equal(objectShapes([]).map((s) => s.name), ["a Kubernetes object"], "no constraint");
});

test("params: spec.parameters and variables.params from the parameters schema", () => {
  assert.equal(errorsOf(`variables.params.repos.all(r, r != "") && params.spec.parameters.max > 1 && "a" in variables.params.labels`), []);
  assert.match(errorsOf(`variables.params.repoz.size() > 0`)[0]!, /undefined field 'repoz' in parameters \(did you mean 'repos'\?\)/);
  assert.equal(errorsOf(`params.spec.parametrs.max > 1`).length, 1);
  assert.equal(errorsOf(`variables.params.max == "1"`).length, 1);
  // Without a declared schema the parameters are anything.
  assert.equal(checkK8sNativeValidation({ validations: [{ expression: "variables.params.whatever == 1" }] }, { object: objectShapes([POD]) }), []);
  assert.equal(checkK8sNativeValidation({ validations: [{ expression: "variables.params.whatever == 1" }] }, env(POD, { type: "object", "x-kubernetes-preserve-unknown-fields": true })), []);
});

test("request is an AdmissionRequest", () => {
  assert.equal(errorsOf(`request.operation == "CREATE" && request.userInfo.username != "" && "system:masters" in request.userInfo.groups && request.kind.kind == "Pod"`), []);
  assert.match(errorsOf(`request.operaton == "CREATE"`)[0]!, /undefined field 'operaton' in AdmissionRequest \(did you mean 'operation'\?\)/);
  assert.equal(errorsOf(`request.userInfo.user == "x"`).length, 1);
  assert.equal(errorsOf(`request.dryRun == "true"`).length, 1);
});

test("namespaceObject is a Namespace", () => {
  assert.equal(errorsOf(`namespaceObject == null || ("team" in namespaceObject.metadata.labels && namespaceObject.status.phase == "Active")`), []);
  assert.match(errorsOf(`namespaceObject.metadata.lables.size() > 0`)[0]!, /undefined field 'lables' in meta\/v1\.ObjectMeta/);
  assert.equal(errorsOf(`namespaceObject.spec.containers.size() > 0`).length, 1);
});

test("the derived table: pods, workloads, quantities, int-or-string, open objects", () => {
  const t = kubernetesShapes();
  assert.is(t.shapes["core/v1.Pod"]!.kind, "Pod");
  assert.equal(t.shapes["core/v1.ResourceRequirements"]!.obj.limits, { map: "string" });
  assert.is(t.shapes["core/v1.ContainerPort"]!.obj.containerPort, "int");
  assert.is(t.shapes["apps/v1.RollingUpdateDeployment"]!.obj.maxSurge, "dyn");
  assert.is(t.shapes["apps/v1.ControllerRevision"]!.obj.data, "dyn");
  assert.ok(t.kinds.some((k) => k.group === "apps" && k.version === "v1" && k.kind === "Deployment"));
  // The install step (npm run prepare) wrote the table for this kubernetes-types, as derived here.
  assert.ok(existsSync(shapesCacheFile), `${shapesCacheFile} is missing: run \`npm run prepare\``);
  const cached = JSON.parse(readFileSync(shapesCacheFile, "utf8")) as { key: string };
  assert.is(cached.key, shapesKey(), "the precompiled table is stale: run `npm run prepare`");
  assert.equal(JSON.stringify(deriveShapes(t.key)), JSON.stringify(cached));
});

test("every CEL source of the Gatekeeper library checks clean against its samples' kinds and its parameters schema", () => {
  const lib = requireShared("corpora/gatekeeper-library/library", "the library's CEL");
  if (!lib) return;
  const templates: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "template.yaml") templates.push(p);
    }
  };
  walk(lib);
  let checked = 0;
  let typed = 0;
  const problems: string[] = [];
  for (const file of templates.sort()) {
    const t = parseAllDocuments(readFileSync(file, "utf8"))[0]!.toJS() as Record<string, any>;
    const code = (t.spec?.targets?.[0]?.code ?? []) as { engine: string; source: Record<string, any> }[];
    const cel = code.find((c) => c.engine === "K8sNativeValidation");
    if (!cel) continue;
    const kind = t.spec.crd.spec.names.kind as string;
    const samples = path.join(path.dirname(file), "samples");
    const matches: (MatchedKinds[] | undefined)[] = [];
    for (const s of existsSync(samples) ? readdirSync(samples) : []) {
      const c = path.join(samples, s, "constraint.yaml");
      if (!existsSync(c)) continue;
      const o = parseAllDocuments(readFileSync(c, "utf8"))[0]!.toJS() as Record<string, any>;
      if (o?.kind === kind) matches.push(o.spec?.match?.kinds);
    }
    const object = objectShapes(matches);
    if (!object.some((s) => s.open)) typed++;
    const errs = checkK8sNativeValidation(cel.source as never, { object, parameters: shapeOfSchema(t.spec.crd.spec.validation?.openAPIV3Schema) });
    for (const e of errs) problems.push(`${path.relative(lib, file)} ${e.path}: ${e.message}`);
    checked++;
  }
  console.log(`  library CEL sources type-checked: ${checked} (${typed} with every field of the object typed by its samples' kinds), ${problems.length} error(s)`);
  assert.is(checked, 16);
  assert.is(typed, 16);
  assert.equal(problems, []);
});

test.run();
