/**
 * `json.verify_schema` / `json.match_schema` on ajv, with results shaped like OPA's (gojsonschema)
 * output: `[true, null]` / `[false, "jsonschema: ..."]` and `[ok, [{error, type, field, desc}]]`.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { type Value, isObject } from "./value.js";
import { parseJson } from "./json.js";
import { goJson } from "./format.js";
import type { Builtin } from "./tagged.js";

const PRIMITIVES = ["array", "boolean", "integer", "number", "null", "object", "string"];

const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
const cache = new Map<string, ValidateFunction>();

function toJs(v: Value): unknown {
  return JSON.parse(goJson(v));
}

/** A schema or document argument: an object, or a string holding JSON (OPA loads nothing else). */
function loaderArg(v: Value): unknown {
  if (typeof v === "string") return toJs(parseJson(v));
  if (isObject(v)) return toJs(v);
  throw new TypeError("wrong type, expected string or object");
}

/** gojsonschema rejects unknown primitive type names with this exact message. */
function checkTypes(s: unknown): void {
  if (Array.isArray(s)) return s.forEach(checkTypes);
  if (typeof s !== "object" || s === null) return;
  for (const [k, v] of Object.entries(s)) {
    if (k === "type") {
      for (const t of Array.isArray(v) ? v : [v]) {
        if (typeof t === "string" && !PRIMITIVES.includes(t)) {
          throw new Error(`has a primitive type that is NOT VALID -- given: /${t}/ Expected valid values are:[${PRIMITIVES.join(" ")}]`);
        }
      }
    } else checkTypes(v);
  }
}

function compile(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  const hit = cache.get(key);
  if (hit) return hit;
  checkTypes(schema);
  const f: ValidateFunction = ajv.compile(schema as object);
  if (cache.size > 200) cache.clear();
  cache.set(key, f);
  return f;
}

function jsType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function getAt(doc: unknown, pointer: string): unknown {
  let cur = doc;
  for (const seg of pointer.split("/").slice(1)) {
    const k = seg.replace(/~1/g, "/").replace(/~0/g, "~");
    cur = (cur as Record<string, unknown> | undefined)?.[k];
  }
  return cur;
}

/** gojsonschema's context root: `(Root)` in OPA's copy; nested fields drop it (`a.b`). */
const ROOT = "(Root)";

/** A bound as Go's text/template prints gojsonschema's detail values. */
function num(v: unknown): string {
  return typeof v === "number" ? String(v) : JSON.stringify(v);
}

/** Type names of a `type` keyword as gojsonschema prints them: `number`, or `[string,number]`. */
function typeList(t: string | string[]): string {
  const ts = Array.isArray(t) ? t : String(t).split(",");
  return ts.length > 1 ? `[${ts.join(",")}]` : ts[0];
}

/**
 * One ajv error as gojsonschema reports it: the error type and the locale's description.
 * Keywords with no gojsonschema counterpart keep ajv's message.
 */
function describe(e: ErrorObject, doc: unknown): { field: string; type: string; desc: string } {
  const path = e.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const field = path.length ? path.join(".") : ROOT;
  const p = e.params as Record<string, unknown>;
  const out = (type: string, desc: string) => ({ field, type, desc });
  switch (e.keyword) {
    case "type":
      return out("invalid_type", `Invalid type. Expected: ${typeList(p.type as string | string[])}, given: ${jsType(getAt(doc, e.instancePath))}`);
    case "required":
      return out("required", `${String(p.missingProperty)} is required`);
    case "additionalProperties":
      return out("additional_property_not_allowed", `Additional property ${String(p.additionalProperty)} is not allowed`);
    case "enum":
      return out("enum", `${field} must be one of the following: ${((p.allowedValues as unknown[]) ?? []).map((x) => JSON.stringify(x)).join(", ")}`);
    case "const":
      return out("const", `${field} does not match: ${JSON.stringify(p.allowedValue)}`);
    case "minItems":
      return out("array_min_items", `Array must have at least ${num(p.limit)} items`);
    case "maxItems":
      return out("array_max_items", `Array must have at most ${num(p.limit)} items`);
    case "uniqueItems":
      return out("unique", "array items must be unique");
    case "additionalItems":
    case "items":
      return out("array_no_additional_items", "No additional items allowed on array");
    case "contains":
      return out("contains", "At least one of the items must match");
    case "minProperties":
      return out("array_min_properties", `Must have at least ${num(p.limit)} properties`);
    case "maxProperties":
      return out("array_max_properties", `Must have at most ${num(p.limit)} properties`);
    case "minLength":
      return out("string_gte", `String length must be greater than or equal to ${num(p.limit)}`);
    case "maxLength":
      return out("string_lte", `String length must be less than or equal to ${num(p.limit)}`);
    case "pattern":
      return out("pattern", `Does not match pattern '${String(p.pattern)}'`);
    case "format":
      return out("format", `Does not match format '${String(p.format)}'`);
    case "multipleOf":
      return out("multiple_of", `Must be a multiple of ${num(p.multipleOf)}`);
    case "minimum":
      return out("number_gte", `Must be greater than or equal to ${num(p.limit)}`);
    case "exclusiveMinimum":
      return out("number_gt", `Must be greater than ${num(p.limit)}`);
    case "maximum":
      return out("number_lte", `Must be less than or equal to ${num(p.limit)}`);
    case "exclusiveMaximum":
      return out("number_lt", `Must be less than ${num(p.limit)}`);
    case "anyOf":
      return out("number_any_of", "Must validate at least one schema (anyOf)");
    case "oneOf":
      return out("number_one_of", "Must validate one and only one schema (oneOf)");
    case "not":
      return out("number_not", "Must not validate the schema (not)");
    case "if":
      return p.failingKeyword === "else"
        ? out("condition_else", 'Must validate "else" as "if" was not valid')
        : out("condition_then", 'Must validate "then" as "if" was valid');
    case "dependencies":
    case "dependentRequired":
      return out("missing_dependency", `Has a dependency on ${String(p.missingProperty)}`);
    case "false schema":
      return out("false", "False always fails validation");
    default:
      return out(e.keyword, e.message ?? e.keyword);
  }
}

function verifySchema(s: Value): Value | undefined {
  try {
    compile(loaderArg(s));
    return [true, null];
  } catch (e) {
    return [false, `jsonschema: ${(e as Error).message}`];
  }
}

function matchSchema(doc: Value, s: Value): Value | undefined {
  let validate: ValidateFunction;
  try {
    validate = compile(loaderArg(s));
  } catch (e) {
    throw new Error(`json.match_schema: ${(e as Error).message}`);
  }
  let d: unknown;
  try {
    d = loaderArg(doc);
  } catch (e) {
    throw new Error(`json.match_schema: ${(e as Error).message}`);
  }
  if (validate(d)) return [true, []];
  const errors = (validate.errors ?? []).map((e) => {
    const x = describe(e, d);
    return { error: `${x.field}: ${x.desc}`, type: x.type, field: x.field, desc: x.desc };
  });
  return [false, errors];
}

export const jsonSchemaBuiltins: Record<string, Builtin> = {
  "json.verify_schema": verifySchema,
  "json.match_schema": matchSchema,
};
