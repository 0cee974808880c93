/**
 * Upstream CRDs (../shared/schemas-upstream) as validators: the version's openAPIV3Schema with
 * Kubernetes' structural rules emulated — unknown fields are rejected (as strict field validation
 * does) unless `x-kubernetes-preserve-unknown-fields` is set.
 */
import { readFileSync } from "node:fs";
import AjvModule from "ajv";
import YAML from "yaml";

const Ajv = AjvModule.default;

export interface Crd {
  group: string;
  kind: string;
  versions: { name: string; schema: any }[];
}

export function readCrd(file: string): Crd {
  const doc = YAML.parseAllDocuments(readFileSync(file, "utf8"))
    .map((d) => d.toJS())
    .find((d: any) => d?.kind === "CustomResourceDefinition");
  return {
    group: doc.spec.group,
    kind: doc.spec.names.kind,
    versions: doc.spec.versions.map((v: any) => ({ name: v.name, schema: v.schema.openAPIV3Schema })),
  };
}

function structural(s: any): any {
  if (Array.isArray(s)) return s.map(structural);
  if (!s || typeof s !== "object") return s;
  const out: any = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith("x-") || k === "description" || k === "default") continue;
    if (k === "properties") out.properties = Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, structural(pv)]));
    else out[k] = structural(v);
  }
  if (s.type === "object" && s.properties && s.additionalProperties === undefined && !s["x-kubernetes-preserve-unknown-fields"]) {
    out.additionalProperties = false;
  }
  if (s.nullable) delete out.type;
  return out;
}

const cache = new Map<string, ReturnType<typeof buildValidator>>();

/** A validator for `kind` at `version` of the CRD in `file` (compiled once per file and version). */
export function crdValidator(file: string, version?: string) {
  const key = `${file}@${version ?? ""}`;
  let v = cache.get(key);
  if (!v) cache.set(key, (v = buildValidator(file, version)));
  return v;
}

function buildValidator(file: string, version?: string) {
  const crd = readCrd(file);
  const v = crd.versions.find((x) => !version || x.name === version) ?? crd.versions[0]!;
  const schema = structural(v.schema);
  // apiVersion/kind/metadata are checked by the API server, not by the CRD schema.
  schema.properties = { ...schema.properties, apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" } };
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(schema);
  return {
    crd,
    version: v.name,
    errors(object: unknown): string[] {
      return validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    },
  };
}
