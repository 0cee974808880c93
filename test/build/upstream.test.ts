// Cross-checks against Gatekeeper's own CRDs (../shared/schemas-upstream/gatekeeper): every
// generated manifest validates against them, and our schemas/ agree with them on fields and patterns.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { projectRoot, requireShared } from "../support/shared.js";

type Obj = Record<string, any>;
const crds = requireShared("schemas-upstream/gatekeeper/crds", "validating manifests against upstream Gatekeeper CRDs");

function crdSchema(file: string, version: string): Obj {
  const crd = parse(readFileSync(path.join(crds!, file), "utf8"));
  return crd.spec.versions.find((v: Obj) => v.name === version).schema.openAPIV3Schema;
}

const manifests = path.join(projectRoot, "generated", "manifests");
const docs = () =>
  readdirSync(manifests)
    .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
    .map((f) => ({ file: f, doc: parse(readFileSync(path.join(manifests, f), "utf8")) as Obj }));

if (crds) {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  const templateSchema = crdSchema("constrainttemplate-customresourcedefinition.yaml", "v1");
  const embeddedMatch = crdSchema("match.gatekeeper.sh_matchcrd.yaml", "match").properties.embeddedMatch;

  test("every ConstraintTemplate validates against the upstream CRD (v1)", () => {
    const validate = ajv.compile(templateSchema);
    const templates = docs().filter((d) => d.doc.kind === "ConstraintTemplate");
    assert.ok(templates.length >= 6);
    for (const { file, doc } of templates) {
      assert.ok(validate(doc), `${file}: ${ajv.errorsText(validate.errors)}`);
      assert.is(doc.metadata.name, doc.spec.crd.spec.names.kind.toLowerCase());
      assert.is(doc.spec.targets.length, 1);
    }
  });

  test("every Constraint validates against the CRD Gatekeeper generates from its template", () => {
    const all = docs();
    const constraints = all.filter((d) => d.doc.apiVersion === "constraints.gatekeeper.sh/v1beta1");
    assert.ok(constraints.length >= 6);
    for (const { file, doc } of constraints) {
      const template = all.find((d) => d.doc.kind === "ConstraintTemplate" && d.doc.spec.crd.spec.names.kind === doc.kind);
      assert.ok(template, `${file}: no template for kind ${doc.kind}`);
      const params = template!.doc.spec.crd.spec.validation?.openAPIV3Schema ?? { type: "object" };
      // Gatekeeper's generated Constraint CRD: match, enforcementAction, scopedEnforcementActions, parameters.
      const schema = {
        type: "object",
        properties: {
          metadata: { type: "object", properties: { name: { type: "string", maxLength: 63 } } },
          spec: {
            type: "object",
            additionalProperties: false,
            properties: {
              match: embeddedMatch,
              enforcementAction: { type: "string" },
              scopedEnforcementActions: { type: "array" },
              parameters: params,
            },
          },
        },
      };
      const validate = ajv.compile(schema);
      assert.ok(validate(doc), `${file}: ${ajv.errorsText(validate.errors)}`);
      assert.is(doc.metadata.namespace, undefined);
    }
  });

  test("schemas/gatekeeper/match.json has upstream's fields and glob pattern", () => {
    const ours = JSON.parse(readFileSync(path.join(projectRoot, "schemas/gatekeeper/match.json"), "utf8"));
    assert.equal(Object.keys(ours.properties).sort(), Object.keys(embeddedMatch.properties).sort());
    for (const field of ["namespaces", "excludedNamespaces"]) {
      assert.is(ours.definitions.glob.pattern, embeddedMatch.properties[field].items.pattern, field);
    }
    assert.is(ours.definitions.glob.pattern, embeddedMatch.properties.name.pattern);
    assert.equal(ours.properties.source.enum, embeddedMatch.properties.source.enum);
    assert.equal(
      ours.definitions.labelSelector.properties.matchExpressions.items.required,
      embeddedMatch.properties.labelSelector.properties.matchExpressions.items.required,
    );
  });

  test("schemas/gatekeeper/constrainttemplate.json only uses fields upstream defines", () => {
    const ours = JSON.parse(readFileSync(path.join(projectRoot, "schemas/gatekeeper/constrainttemplate.json"), "utf8"));
    const up = templateSchema.properties.spec.properties;
    const ourSpec = ours.properties.spec.properties;
    const subset = (a: Obj, b: Obj, where: string) => {
      for (const k of Object.keys(a)) assert.ok(k in b, `${where}.${k} is not an upstream field`);
    };
    subset(ourSpec, up, "spec");
    subset(ourSpec.crd.properties.spec.properties, up.crd.properties.spec.properties, "spec.crd.spec");
    subset(ourSpec.crd.properties.spec.properties.names.properties, up.crd.properties.spec.properties.names.properties, "names");
    subset(ourSpec.targets.items.properties, up.targets.items.properties, "targets[]");
    subset(ourSpec.targets.items.properties.code.items.properties, up.targets.items.properties.code.items.properties, "code[]");
    assert.equal([...ourSpec.targets.items.properties.operations.items.enum].sort(), [...up.targets.items.properties.operations.items.enum].sort());
  });
}

test.run();
