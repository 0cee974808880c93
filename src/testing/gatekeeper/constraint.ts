/**
 * Validates a Constraint against the CRD Gatekeeper generates from its template, in the order the
 * framework does: name (DNS-1123 subdomain), kind, group, version, then the OpenAPI schema, then
 * unknown fields, then the label selectors. Only a schema failure is a "schema error": that is what
 * a gator test with `invalid: true` expects. Also reads what evaluation needs (match, action).
 */
import { Ajv, type ValidateFunction } from "ajv";
import { closest } from "../../diagnostics/index.js";
import { validateLabelSelector } from "./label-selector.js";
import type { Match } from "./match.js";
import { gvkOf, isObject, nameOf, type KubeObject } from "./objects.js";
import type { JsonSchema } from "./parameters.js";
import type { TemplateInfo } from "./template.js";

export type ConstraintProblem =
  | { kind: "schema"; message: string }
  | { kind: "invalid"; message: string; notes?: string[] };

export interface ConstraintInfo {
  name: string;
  kind: string;
  match?: Match;
  parameters: unknown;
  enforcementAction: string;
  scopedEnforcementActions?: unknown;
}

const selectorSchema = (): JsonSchema => ({
  type: "object",
  properties: {
    matchLabels: { type: "object", additionalProperties: { type: "string" } },
    matchExpressions: {
      type: "array",
      items: {
        type: "object",
        required: ["key", "operator"],
        properties: {
          key: { type: "string" },
          operator: { type: "string" },
          values: { type: "array", items: { type: "string" } },
        },
      },
    },
  },
});

const wildcardString = (): JsonSchema => ({ type: "string", pattern: "^\\*?[-:a-z0-9]*\\*?$" });

/** The `spec.match` schema of every Constraint CRD (Gatekeeper's embedded match type). */
export function matchSchema(): JsonSchema {
  return {
    type: "object",
    properties: {
      kinds: {
        type: "array",
        items: {
          type: "object",
          properties: {
            apiGroups: { type: "array", items: { type: "string" } },
            kinds: { type: "array", items: { type: "string" } },
          },
        },
      },
      scope: { type: "string" },
      namespaces: { type: "array", items: wildcardString() },
      excludedNamespaces: { type: "array", items: wildcardString() },
      labelSelector: selectorSchema(),
      namespaceSelector: selectorSchema(),
      name: wildcardString(),
      source: { type: "string", enum: ["All", "Generated", "Original"] },
    },
  };
}

/** The Constraint CRD's OpenAPI schema for a template (as the framework's CreateSchema builds it). */
export function constraintSchema(t: TemplateInfo): JsonSchema {
  const spec: Record<string, JsonSchema> = {
    match: matchSchema(),
    enforcementAction: { type: "string", default: "deny" },
    scopedEnforcementActions: {
      type: "array",
      items: {
        type: "object",
        properties: {
          action: { type: "string" },
          enforcementPoints: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
        },
      },
    },
  };
  if (t.schema) spec.parameters = t.legacySchema ? preserveUnknown(t.schema) : t.schema;
  else if (t.legacySchema) spec.parameters = { "x-kubernetes-preserve-unknown-fields": true };
  return {
    type: "object",
    properties: {
      metadata: { type: "object", properties: { name: { type: "string", maxLength: 63 } } },
      spec: { type: "object", properties: spec },
      status: { "x-kubernetes-preserve-unknown-fields": true },
    },
  };
}

/** legacySchema: unknown fields are kept at every object level. */
function preserveUnknown(s: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...s };
  if (out.type === "object" || isObject(out.properties)) out["x-kubernetes-preserve-unknown-fields"] = true;
  if (isObject(out.properties))
    out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, isObject(v) ? preserveUnknown(v) : v]));
  if (isObject(out.items)) out.items = preserveUnknown(out.items);
  if (isObject(out.additionalProperties)) out.additionalProperties = preserveUnknown(out.additionalProperties);
  return out;
}

/** Kubernetes OpenAPI (structural) → JSON Schema for ajv: nullable, int-or-string, no defaults. */
function toJsonSchema(s: unknown): unknown {
  if (!isObject(s)) return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === "default" || k === "example" || k === "description" || k === "nullable" || k.startsWith("x-kubernetes-")) continue;
    if (k === "properties" && isObject(v)) out[k] = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, toJsonSchema(pv)]));
    else if ((k === "items" || k === "additionalProperties" || k === "not") && isObject(v)) out[k] = toJsonSchema(v);
    else if ((k === "allOf" || k === "anyOf" || k === "oneOf") && Array.isArray(v)) out[k] = v.map(toJsonSchema);
    else out[k] = v;
  }
  if (s["x-kubernetes-int-or-string"] === true) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }, ...(Array.isArray(out.anyOf) ? out.anyOf : [])];
  }
  if (s.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  return out;
}

/** Field paths the structural schema does not know (Gatekeeper rejects them; an API server would prune them). */
export function unknownFields(value: unknown, schema: unknown, path: string, out: string[]): string[] {
  if (!isObject(schema)) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownFields(v, schema.items, `${path}[${i}]`, out));
    return out;
  }
  if (!isObject(value)) return out;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  const props = isObject(schema.properties) ? schema.properties : undefined;
  const extra = schema.additionalProperties;
  for (const [k, v] of Object.entries(value)) {
    const p = path === "" ? k : `${path}.${k}`;
    if (props && k in props) unknownFields(v, props[k], p, out);
    else if (isObject(extra)) unknownFields(v, extra, p, out);
    else if (extra === true || preserve) continue;
    else out.push(p);
  }
  return out;
}

/** The property names the schema declares for the object holding the field at `path` (e.g. `spec.match.kinds[0].versions`). */
export function knownFieldsBeside(schema: unknown, path: string): string[] {
  const steps = path.split(".").flatMap((seg) => {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(seg);
    if (!m) return [seg];
    const items = (m[2]!.match(/\[\d+\]/g) ?? []).map(() => "[]");
    return [...(m[1] ? [m[1]] : []), ...items];
  });
  steps.pop();
  let node: unknown = schema;
  for (const step of steps) {
    if (!isObject(node)) return [];
    if (step === "[]") node = node.items;
    else node = isObject(node.properties) && step in node.properties ? node.properties[step] : undefined;
  }
  return isObject(node) && isObject(node.properties) ? Object.keys(node.properties).sort() : [];
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validators = new WeakMap<TemplateInfo, { schema: JsonSchema; validate: (c: unknown) => string[] }>();
const compiled = new Map<string, ValidateFunction>();
let envelope: ValidateFunction | undefined;

/** ajv compiles once per distinct schema text (many templates share none, but runs repeat them). */
function compileCached(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(schema as object);
    compiled.set(key, v);
  }
  return v;
}

const errorsOf = (v: ValidateFunction, prefix = "") =>
  (v.errors ?? []).map((e) => `${prefix}${e.instancePath.replace(/\//g, ".")}`.replace(/^$/, "<root>") + `: ${e.message}`);

/**
 * The Constraint CRD schema as one validator would check it, split in two for speed: the part
 * every template shares (metadata, match, enforcement) compiled once, and the template's
 * `parameters` schema compiled per template.
 */
function validatorFor(t: TemplateInfo) {
  let v = validators.get(t);
  if (!v) {
    const schema = constraintSchema(t);
    const spec = (schema.properties as Record<string, JsonSchema>).spec!;
    const { parameters, ...shared } = spec.properties as Record<string, JsonSchema>;
    envelope ??= ajv.compile(toJsonSchema({ ...schema, properties: { ...(schema.properties as object), spec: { ...spec, properties: shared } } }) as object);
    const env = envelope;
    const params = parameters ? compileCached(toJsonSchema(parameters)) : undefined;
    const validate = (c: unknown): string[] => {
      const errs = env(c) ? [] : errorsOf(env);
      const p = isObject(c) && isObject(c.spec) ? c.spec.parameters : undefined;
      if (params && p !== undefined && !params(p)) errs.push(...errorsOf(params, ".spec.parameters"));
      return errs;
    };
    v = { schema, validate };
    validators.set(t, v);
  }
  return v;
}

/** Returns the first problem Gatekeeper would report when adding this constraint, or undefined. */
export function validateConstraint(c: KubeObject, t: TemplateInfo): ConstraintProblem | undefined {
  const name = nameOf(c);
  if (name === "" || name.length > 253 || !dns1123Subdomain.test(name))
    return { kind: "invalid", message: `invalid name: ${JSON.stringify(name)} must be a lowercase RFC 1123 subdomain` };
  const g = gvkOf(c);
  if (g.kind !== t.kind) return { kind: "invalid", message: `wrong kind "${g.kind}" for constraint "${name}"; want "${t.kind}"` };
  if (g.group !== "constraints.gatekeeper.sh")
    return { kind: "invalid", message: `unsupported group "${g.group}" for constraint "${name}"; allowed group: "constraints.gatekeeper.sh"` };
  if (g.version !== "v1beta1" && g.version !== "v1alpha1")
    return { kind: "invalid", message: `unsupported version "${g.version}" for Constraint "${name}"; supported versions: v1alpha1, v1beta1` };
  const { schema, validate } = validatorFor(t);
  const errors = validate(c);
  if (errors.length > 0) return { kind: "schema", message: errors.join("; ") };
  const top = new Set(["apiVersion", "kind", "metadata"]);
  const rest = Object.fromEntries(Object.entries(c).filter(([k]) => !top.has(k)));
  const unknown = unknownFields(rest, { ...schema, properties: { ...(schema.properties as object) } }, "", []).filter(
    (p) => p !== "metadata",
  );
  if (unknown.length > 0) {
    // Gatekeeper's own message names the paths; the notes add what the schema allows there.
    const notes = unknown.flatMap((p) => {
      const known = knownFieldsBeside(schema, p);
      if (known.length === 0) return [];
      const near = closest(p.slice(p.lastIndexOf(".") + 1), known);
      return [`${p}: ${near ? `did you mean '${near}'? ` : ""}the fields allowed beside it are ${known.join(", ")}`];
    });
    return { kind: "invalid", message: `unknown fields: ${unknown.join(", ")}`, ...(notes.length > 0 ? { notes } : {}) };
  }
  const spec = isObject(c.spec) ? c.spec : {};
  const match = isObject(spec.match) ? spec.match : {};
  const selProblems = [
    ...validateLabelSelector(match.labelSelector, "spec.match.labelSelector"),
    ...validateLabelSelector(match.namespaceSelector, "spec.match.namespaceSelector"),
  ];
  if (selProblems.length > 0) return { kind: "invalid", message: selProblems.join("; ") };
  return undefined;
}

/** What evaluation needs from a (validated) constraint. */
export function readConstraint(c: KubeObject): ConstraintInfo {
  const spec = isObject(c.spec) ? c.spec : {};
  const info: ConstraintInfo = {
    name: nameOf(c),
    kind: gvkOf(c).kind,
    parameters: spec.parameters,
    enforcementAction: typeof spec.enforcementAction === "string" && spec.enforcementAction !== "" ? spec.enforcementAction : "deny",
  };
  if (isObject(spec.match)) info.match = spec.match as Match;
  if (spec.scopedEnforcementActions !== undefined) info.scopedEnforcementActions = spec.scopedEnforcementActions;
  return info;
}
