/**
 * JSON ↔ CEL values. Kubernetes objects are JSON; CEL tells `int` from `double`, and the API server
 * gives JSON integers the type `int`, so integral numbers become bigints here. Objects and arrays
 * become lazy CEL maps and lists (json.ts), converted where an expression reads them. Results come
 * back as plain JSON (lists as arrays, maps as objects, ints as numbers).
 */
import { isCelList, isCelMap, type CelInput, type CelValue } from "@bufbuild/cel";
import { jsonToCel } from "./json.js";

/** A JSON value as a CEL value (CEL maps and lists are kept as they are). */
export function toCel(v: unknown): CelInput {
  if (v !== null && typeof v === "object" && (isCelMap(v) || isCelList(v))) return v as CelInput;
  return jsonToCel(v) as CelInput;
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
