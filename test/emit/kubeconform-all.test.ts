/**
 * kubeconform for everything: every manifest in the repo's generated/ (but kustomization.yaml) has
 * its JSON Schema at kubeconform's `{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json` path
 * under generated/schemas, and validates against it (as `kubeconform -strict` would, draft-07).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Ajv } from "ajv";
import YAML from "yaml";
import { projectRoot } from "../support/shared.js";
import { kubeconformSchemaPath } from "../../src/emit/kubeconform-schemas.js";

const generated = path.join(projectRoot, "generated");

test("every generated manifest resolves to its kubeconform schema and validates; a broken copy does not", () => {
  const manifests = readdirSync(path.join(generated, "manifests")).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
  assert.ok(manifests.length > 20, `${manifests.length} manifests`);
  const ajv = new Ajv({ allErrors: true, strict: false });
  const kinds = new Set<string>();
  for (const file of manifests) {
    for (const doc of YAML.parseAllDocuments(readFileSync(path.join(generated, "manifests", file), "utf8"))) {
      const obj = doc.toJS() as { apiVersion: string; kind: string; spec?: Record<string, unknown> };
      const at = kubeconformSchemaPath(obj.apiVersion, obj.kind);
      assert.ok(at, `${file}: ${obj.apiVersion} is a core kind`);
      const schemaFile = path.join(generated, at!);
      assert.ok(existsSync(schemaFile), `${file}: no schema at ${at}`);
      const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")) as object);
      assert.ok(validate(obj), `${file} against ${at}: ${ajv.errorsText(validate.errors)}`);
      // The schema is no rubber stamp: an unknown field in spec is rejected.
      if (obj.spec && typeof obj.spec === "object") {
        assert.not.ok(validate({ ...obj, spec: { ...obj.spec, notAField: 1 } }), `${file}: ${at} accepts an unknown spec field`);
      }
      kinds.add(obj.kind);
    }
  }
  for (const k of ["ConstraintTemplate", "SecurityPolicy", "OperationPolicy", "SecurityPolicyException", "PolicyException"]) assert.ok(kinds.has(k), `no ${k} among the examples`);
});

test("the core group has no path of its own (kubeconform's default location covers it)", () => {
  assert.is(kubeconformSchemaPath("v1", "Namespace"), undefined);
  assert.is(kubeconformSchemaPath("mutations.gatekeeper.sh/v1", "AssignMetadata"), "schemas/mutations.gatekeeper.sh/assignmetadata_v1.json");
});

test.run();
