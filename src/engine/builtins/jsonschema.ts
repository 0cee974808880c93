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

/** A schema argument: an object, or a string holding JSON. */
function schemaArg(v: Value): unknown {
  if (typeof v === "string") return toJs(parseJson(v));
  if (isObject(v) || typeof v === "boolean") return toJs(v);
  throw new TypeError("schema must be an object or a JSON string");
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

function describe(e: ErrorObject, doc: unknown): { field: string; type: string; desc: string } {
  const path = e.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  let field = path.length ? path.join(".") : "(root)";
  switch (e.keyword) {
    case "type": {
      const expected = String((e.params as { type: string | string[] }).type);
      return { field, type: "invalid_type", desc: `Invalid type. Expected: ${expected}, given: ${jsType(getAt(doc, e.instancePath))}` };
    }
    case "required": {
      const prop = (e.params as { missingProperty: string }).missingProperty;
      return { field, type: "required", desc: `${prop} is required` };
    }
    case "enum":
      return { field, type: "enum", desc: `${field} must be one of the following: ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((x) => JSON.stringify(x)).join(", ")}` };
    default:
      field = field || "(root)";
      return { field, type: e.keyword, desc: e.message ?? e.keyword };
  }
}

function verifySchema(s: Value): Value | undefined {
  try {
    compile(schemaArg(s));
    return [true, null];
  } catch (e) {
    return [false, `jsonschema: ${(e as Error).message}`];
  }
}

function matchSchema(doc: Value, s: Value): Value | undefined {
  let validate: ValidateFunction;
  try {
    validate = compile(schemaArg(s));
  } catch (e) {
    throw new Error(`json.match_schema: ${(e as Error).message}`);
  }
  const d = typeof doc === "string" ? toJs(parseJson(doc)) : toJs(doc);
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
