/**
 * JSON ↔ CEL values. Kubernetes objects are JSON; CEL tells `int` from `double`, and the API server
 * gives JSON integers the type `int`, so integral numbers become bigints here. Results come back as
 * plain JSON (lists as arrays, maps as objects, ints as numbers).
 */
import { celList, celMap, isCelList, isCelMap, type CelInput, type CelValue } from "@bufbuild/cel";

/**
 * A JSON value as CEL maps and lists, converted once: the CEL library would wrap a plain object
 * again at every field access, and an object is read by many expressions of many templates.
 */
export function toCel(v: unknown): CelInput {
  if (v === undefined) return null;
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return celList(v.map(toCel) as CelValue[]);
  if (v !== null && typeof v === "object") {
    if (isCelMap(v) || isCelList(v)) return v as CelInput;
    const out = new Map<string, CelValue>();
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out.set(k, toCel(x) as CelValue);
    return celMap(out);
  }
  return v as CelInput;
}

export function fromCel(v: CelValue): unknown {
  if (typeof v === "bigint") return Number(v);
  if (isCelList(v)) return [...v].map(fromCel);
  if (isCelMap(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) out[String(k)] = fromCel(x);
    return out;
  }
  if (v !== null && typeof v === "object" && "value" in v && typeof (v as { value: unknown }).value === "bigint") return Number((v as { value: bigint }).value);
  return v;
}
