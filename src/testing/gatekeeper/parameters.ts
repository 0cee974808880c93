/**
 * `input.parameters`: the constraint's `spec.parameters` ({} when absent) with the template schema's
 * `default`s filled in, as the API server's structural defaulting does for stored constraints:
 * a missing property with a default gets a copy of it, recursively through properties, array
 * items and additionalProperties. Present values, including null, are left alone.
 */
import { isObject } from "./objects.js";

export type JsonSchema = Record<string, unknown>;

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function applyDefaultsInPlace(value: unknown, schema: JsonSchema | undefined): unknown {
  if (!schema || !isObject(schema)) return value;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (isObject(items)) for (let i = 0; i < value.length; i++) value[i] = applyDefaultsInPlace(value[i], items);
    return value;
  }
  if (!isObject(value)) return value;
  const props = isObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
  for (const [key, sub] of Object.entries(props)) {
    if (!isObject(sub)) continue;
    if (!(key in value) && "default" in sub) value[key] = clone(sub.default);
    if (key in value) value[key] = applyDefaultsInPlace(value[key], sub);
  }
  const extra = schema.additionalProperties;
  if (isObject(extra)) {
    for (const key of Object.keys(value)) if (!(key in props)) value[key] = applyDefaultsInPlace(value[key], extra);
  }
  return value;
}

/** Returns a new parameters object; `spec.parameters` itself is not modified. */
export function parametersWithDefaults(parameters: unknown, schema: object | undefined): unknown {
  const base = parameters === undefined || parameters === null ? {} : clone(parameters);
  return applyDefaultsInPlace(base, schema as JsonSchema | undefined);
}
