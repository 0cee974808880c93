/**
 * Compares an actual result set with a case's `want_result` as OPA's Wasm runner does: rows form a
 * set (order never matters), `sort_bindings` sorts each bound array of the actual side, numbers
 * compare exactly by value (1 == 1.0; big integers digit for digit), object keys are unordered, and
 * `ignore_generated_vars` drops `__localq` keys.
 */
import { compare as compareValues, type Value, ExactNum, toDecimal, decimalText } from "../builtins/value.js";
import { decode } from "../builtins/tagged.js";

export type Row = Record<string, unknown>;

/** A canonical text for a JSON value: sorted keys, numbers as exact normalised decimals. */
export function canonical(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number" || v instanceof ExactNum) {
    const d = toDecimal(v);
    return d ? decimalText(d) : String(v);
  }
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string" || typeof v === "boolean") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return String(v);
}

export interface CompareOptions {
  sortBindings?: boolean;
  ignoreGeneratedVars?: boolean;
}

/** Applies the runner's normalisations to actual rows. */
export function normalizeActual(rows: Row[], opts: CompareOptions): Row[] {
  return rows.map((row) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(row)) {
      if (opts.ignoreGeneratedVars && k.startsWith("__localq")) continue;
      out[k] = opts.sortBindings && Array.isArray(v) ? sortJsonArray(v) : v;
    }
    return out;
  });
}

function sortJsonArray(items: unknown[]): unknown[] {
  const decoded = items.map((x) => ({ x, v: toValue(x) }));
  decoded.sort((a, b) => compareValues(a.v, b.v));
  return decoded.map((d) => d.x);
}

export interface Mismatch {
  missing: Row[];
  unexpected: Row[];
}

/** Set comparison of rows; returns undefined when equal. */
export function compareResultSets(actual: Row[], expected: Row[], opts: CompareOptions = {}): Mismatch | undefined {
  const act = normalizeActual(actual, opts);
  const a = new Map(act.map((r) => [canonical(r), r]));
  const e = new Map(expected.map((r) => [canonical(r), r]));
  const missing = [...e.entries()].filter(([k]) => !a.has(k)).map(([, r]) => r);
  const unexpected = [...a.entries()].filter(([k]) => !e.has(k)).map(([, r]) => r);
  return missing.length === 0 && unexpected.length === 0 ? undefined : { missing, unexpected };
}

export function describeMismatch(m: Mismatch): string {
  const cut = (s: string) => (s.length > 300 ? s.slice(0, 300) + "…" : s);
  const parts: string[] = [];
  if (m.missing.length) parts.push(`missing ${cut(canonical(m.missing))}`);
  if (m.unexpected.length) parts.push(`unexpected ${cut(canonical(m.unexpected))}`);
  return parts.join("; ");
}

/** Rows hold JSON plus ExactNum (exact big numbers); anything else goes through the tag decoder. */
function toValue(x: unknown): Value {
  if (x instanceof ExactNum) return x;
  if (Array.isArray(x)) return x.map(toValue);
  if (x && typeof x === "object") {
    const o: Record<string, Value> = {};
    for (const [k, v] of Object.entries(x)) Object.defineProperty(o, k, { value: toValue(v), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return decode(x);
}
