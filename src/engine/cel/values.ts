/**
 * JSON ↔ CEL values. Kubernetes objects are JSON; CEL tells `int` from `double`, and the API server
 * gives JSON integers the type `int`, so integral numbers become bigints here. Results come back as
 * plain JSON (lists as arrays, maps as objects, ints as numbers).
 */
import { celList, celMap, isCelList, isCelMap, type CelInput, type CelValue } from "@bufbuild/cel";

/**
 * Lists and maps are built as CEL lists and maps here: a plain object or array handed to the
 * evaluator would be converted again each time an expression reaches it.
 */
export function toCel(v: unknown): CelInput {
  if (v === undefined) return null;
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return celList(v.map(toCel));
  if (v !== null && typeof v === "object") {
    const out = new Map<string, CelInput>();
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out.set(k, toCel(x));
    return celMap(out);
  }
  return v as CelInput;
}

const converted = new WeakMap<object, CelInput>();

/**
 * `toCel` of a value the caller never changes afterwards (a review, a constraint's parameters),
 * converted once however many policies read it.
 */
export function toCelShared(v: unknown): CelInput {
  if (v === null || typeof v !== "object") return toCel(v);
  let c = converted.get(v);
  if (c === undefined) {
    c = toCel(v);
    converted.set(v, c);
  }
  return c;
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
