/**
 * A ConstraintTemplate's `openAPIV3Schema` → the TypeScript `Params` type that policyc derives the
 * same schema from (the inverse of `frontend/schema.ts`): types, `required`, enums, nullable, maps,
 * and the description and keywords as TSDoc. What has no TypeScript form (anyOf, preserved unknown
 * fields, untyped values) is reported and written as `unknown`, which the build then rejects at the
 * property, so nothing is silently widened.
 */

export interface SchemaProblem {
  /** Dotted path of the property (`ranges[].min`), `(root)` for the schema itself. */
  path: string;
  why: string;
}

export interface ParamsType {
  /** The members of the interface, one per line group, without the braces. */
  members: string;
  /** TSDoc for the interface itself: the schema's own description (empty when it has none). */
  doc: string;
  /** Whether `Integer` from "policyc" is used. */
  usesInteger: boolean;
  /**
   * Named interfaces for described list items and map values (`export interface ...`), since TSDoc
   * attaches to a declaration: policyc takes a named type's TSDoc as its schema's description.
   */
  declarations: string[];
  problems: SchemaProblem[];
}

type Schema = Record<string, unknown>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const UNSUPPORTED = ["anyOf", "oneOf", "allOf", "not", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string", "$ref"];

/** `name` is the interface's name; named item types are called after it and the property. */
export function paramsType(schema: unknown, name = "Params"): ParamsType {
  const out: Out = { members: "", doc: "", usesInteger: false, declarations: [], problems: [], baseName: name };
  const s = isObject(schema) ? schema : {};
  for (const k of UNSUPPORTED) if (k in s) out.problems.push({ path: "(root)", why: `\`${k}\` has no TypeScript form` });
  out.doc = tsdoc({ description: s.description }, "", "(root)", out);
  out.members = members(s, "", "  ", out);
  const { baseName: _, ...result } = out;
  return result;
}

/** The result being built, and the interface name that named item types are called after. */
type Out = ParamsType & { baseName: string };

/** `ranges[]` → `<Params>Range`, `limits.*` → `<Params>LimitsValue`. */
function declarationName(path: string, out: Out): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1));
  const suffix = path.endsWith("[]") ? "Item" : "Value";
  let name = `${out.baseName}${words.join("")}${suffix}`;
  for (let n = 2; out.declarations.some((d) => d.includes(`interface ${name} `)); n++) name = `${out.baseName}${words.join("")}${suffix}${n}`;
  return name;
}

/** Item and value schemas: a described object becomes a named interface carrying the description. */
function elementType(s: Schema, path: string, indent: string, out: Out): string {
  const described = typeof s.description === "string" && s.description.trim() !== "";
  const isObjectSchema = (s.type ?? (isObject(s.properties) ? "object" : undefined)) === "object" && isObject(s.properties);
  if (described && isObjectSchema && s.nullable !== true) {
    const name = declarationName(path, out);
    const doc = tsdoc(s, "", path, out);
    out.declarations.push(`${doc ? `${doc}\n` : ""}export interface ${name} {\n${members(s, path, "  ", out)}\n}`);
    return name;
  }
  if (described) out.problems.push({ path, why: "the description of a list item or map value that is not an object is not carried over" });
  return typeOf(s, path, indent, out);
}

function isObject(v: unknown): v is Schema {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function members(s: Schema, prefix: string, indent: string, out: Out): string {
  const props = isObject(s.properties) ? s.properties : {};
  const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
  const lines: string[] = [];
  for (const [name, child] of Object.entries(props)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const c = isObject(child) ? child : {};
    const doc = tsdoc(c, indent, path, out);
    if (doc) lines.push(doc);
    const key = IDENTIFIER.test(name) ? name : JSON.stringify(name);
    lines.push(`${indent}${key}${required.has(name) ? "" : "?"}: ${typeOf(c, path, indent, out)};`);
  }
  return lines.join("\n");
}

function typeOf(s: Schema, path: string, indent: string, out: Out): string {
  for (const k of UNSUPPORTED) {
    if (k in s) {
      out.problems.push({ path, why: `\`${k}\` has no TypeScript form` });
      return "unknown";
    }
  }
  const base = baseType(s, path, indent, out);
  return s.nullable === true ? `${base} | null` : base;
}

function baseType(s: Schema, path: string, indent: string, out: Out): string {
  if (Array.isArray(s.enum) && s.enum.length > 0) {
    const literals = s.enum.filter((v) => ["string", "number", "boolean"].includes(typeof v));
    if (literals.length === s.enum.length) return literals.map((v) => JSON.stringify(v)).join(" | ");
    out.problems.push({ path, why: "an `enum` of other than strings, numbers and booleans has no TypeScript form" });
    return "unknown";
  }
  const type: unknown = s.type ?? (isObject(s.properties) || s.additionalProperties !== undefined ? "object" : undefined);
  switch (type) {
    case "string":
    case "boolean":
    case "number":
      return type as string;
    case "integer":
      out.usesInteger = true;
      return "Integer";
    case "array": {
      if (!isObject(s.items)) {
        out.problems.push({ path, why: "an array without `items` has no element type" });
        return "unknown[]";
      }
      const item = elementType(s.items, `${path}[]`, indent, out);
      return /[|&]/.test(item) && !item.startsWith("{") ? `(${item})[]` : `${item}[]`;
    }
    case "object": {
      if (isObject(s.additionalProperties) && !isObject(s.properties)) return `Record<string, ${elementType(s.additionalProperties, `${path}.*`, indent, out)}>`;
      if (s.additionalProperties === true) out.problems.push({ path, why: "`additionalProperties: true` (any value) has no TypeScript form" });
      const inner = members(s, path, `${indent}  `, out);
      return inner ? `{\n${inner}\n${indent}}` : "{}";
    }
    default:
      out.problems.push({ path, why: type === undefined ? "no `type`" : `type \`${String(type)}\` is not an OpenAPI type` });
      return "unknown";
  }
}

/** The description and the keywords policyc reads back from TSDoc tags. */
function tsdoc(s: Schema, indent: string, path: string, out: Out): string {
  const lines: string[] = [];
  if (typeof s.description === "string" && s.description.trim()) lines.push(...s.description.trim().split("\n"));
  const tag = (name: string, value: unknown) => lines.push(`@${name} ${value}`);
  for (const k of ["minimum", "maximum", "minLength", "maxLength"] as const) if (typeof s[k] === "number") tag(k, s[k]);
  if (typeof s.pattern === "string") tag("pattern", s.pattern);
  if (typeof s.format === "string") tag("format", s.format);
  if (s.default !== undefined) tag("default", JSON.stringify(s.default));
  if (s.example !== undefined) tag("example", JSON.stringify(s.example));
  for (const k of ["exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems"]) {
    if (k in s) out.problems.push({ path, why: `\`${k}\` is not carried over (policyc derives no such keyword)` });
  }
  if (lines.length === 0) return "";
  // `*/` would end the comment early.
  const body = lines.map((l) => l.replace(/\*\//g, "*\\/").trimEnd());
  if (body.length === 1 && !body[0]!.startsWith("@")) return `${indent}/** ${body[0]} */`;
  return [`${indent}/**`, ...body.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`].join("\n");
}
