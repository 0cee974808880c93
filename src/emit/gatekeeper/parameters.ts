/**
 * Checks constraint parameters against the template's derived schema (the JSON Schema subset of
 * src/ir/schema.ts). A direct interpreter rather than ajv: compiling one validator per template
 * dominated large builds, and the subset is small.
 */
import type { JsonSchema } from "../../ir/schema.js";

/** Problems as `"/path message"`, empty when the value conforms. */
export function validateParameters(schema: JsonSchema, value: unknown, at = ""): string[] {
  const out: string[] = [];
  const where = at || "/";
  if (value === null) {
    if (!schema.nullable && schema.type) out.push(`${where} must not be null`);
    return out;
  }
  switch (schema.type) {
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) return [`${where} must be object`];
      const obj = value as Record<string, unknown>;
      for (const r of schema.required ?? []) if (!(r in obj)) out.push(`${where} must have required property '${r}'`);
      for (const [k, v] of Object.entries(obj)) {
        const prop = schema.properties?.[k];
        if (prop) out.push(...validateParameters(prop, v, `${at}/${k}`));
        else if (typeof schema.additionalProperties === "object") out.push(...validateParameters(schema.additionalProperties, v, `${at}/${k}`));
        else if (schema.properties && schema.additionalProperties !== true) out.push(`${where} must NOT have additional property '${k}'`);
      }
      break;
    }
    case "array":
      if (!Array.isArray(value)) return [`${where} must be array`];
      if (schema.items) value.forEach((v, i) => out.push(...validateParameters(schema.items!, v, `${at}/${i}`)));
      break;
    case "string":
      if (typeof value !== "string") return [`${where} must be string`];
      if (schema.minLength !== undefined && value.length < schema.minLength) out.push(`${where} must NOT have fewer than ${schema.minLength} characters`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) out.push(`${where} must NOT have more than ${schema.maxLength} characters`);
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) out.push(`${where} must match pattern "${schema.pattern}"`);
      break;
    case "integer":
    case "number":
      if (typeof value !== "number" || (schema.type === "integer" && !Number.isInteger(value))) return [`${where} must be ${schema.type}`];
      if (schema.minimum !== undefined && value < schema.minimum) out.push(`${where} must be >= ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) out.push(`${where} must be <= ${schema.maximum}`);
      break;
    case "boolean":
      if (typeof value !== "boolean") return [`${where} must be boolean`];
      break;
  }
  if (schema.enum && !schema.enum.includes(value as string)) out.push(`${where} must be equal to one of the allowed values ${JSON.stringify(schema.enum)}`);
  return out;
}
