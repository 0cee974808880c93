/**
 * The JS half of the host-call codec. The SDK passes built-in arguments through `opa_json_dump` and
 * `JSON.parse`, which would turn sets into arrays and round big numbers, so generated code tags each
 * argument first (`policyc_host_tag`) and untags the result (`policyc_host_untag`):
 *
 *   set                                   → {"$set": [elements sorted]}
 *   object with a non-string or `$` key   → {"$obj": [[k, v], ...]}
 *   number a double cannot hold exactly   → {"$num": "<exact text>"}
 *
 * `decode` turns tagged JSON into `Value`s, `encode` does the reverse, and `wrapBuiltin` adapts a
 * built-in written against `Value`s to the SDK's calling convention (errors become undefined,
 * as in OPA's non-strict mode).
 */
import { HostHalt } from "./budget.js";
import { ExactNum, RObject, RSet, type PlainObject, type Value, isPlainObject, objectEntries, makeObject, setKey, toDecimal, fromDecimal, isJsonNumberText, plainNumber } from "./value.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function decode(j: unknown): Value {
  if (j === null || typeof j === "boolean" || typeof j === "string") return j;
  if (typeof j === "number") return j;
  if (Array.isArray(j)) return j.map(decode);
  if (typeof j === "object") {
    const o = j as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const k = keys[0]!;
      if (k === "$set" && Array.isArray(o.$set)) return new RSet(o.$set.map(decode));
      if (k === "$obj" && Array.isArray(o.$obj)) {
        return makeObject((o.$obj as unknown[][]).map((e) => [decode(e[0]), decode(e[1])] as [Value, Value]));
      }
      if (k === "$num" && typeof o.$num === "string") {
        // Keep the runtime's text ("2e308", "1.0": OPA prints a number as written) unless it is
        // not JSON's number syntax and a double holds the value exactly.
        if (isJsonNumberText(o.$num)) return plainNumber(o.$num) ?? new ExactNum(o.$num);
        const d = toDecimal(new ExactNum(o.$num));
        const n = d && d.e > -400 && d.e < 400 ? fromDecimal(d) : undefined;
        return typeof n === "number" ? n : new ExactNum(o.$num);
      }
    }
    const out: PlainObject = {};
    for (const key of keys) setKey(out, key, decode(o[key]));
    return out;
  }
  throw new TypeError(`cannot decode ${typeof j}`);
}

/** Encodes a value for the runtime; undefined when the value has no Rego form (NaN, Infinity). */
export function encode(v: Value): Json | undefined {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return undefined;
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) return { $num: BigInt(v).toString() };
    return v;
  }
  if (v instanceof ExactNum) {
    if (isJsonNumberText(v.text)) return plainNumber(v.text) ?? { $num: v.text };
    const d = toDecimal(v);
    if (!d) return undefined;
    const n = fromDecimal(d);
    return typeof n === "number" ? n : { $num: n.text };
  }
  if (Array.isArray(v)) return encodeList(v);
  if (v instanceof RSet) {
    const items = encodeList(v.items);
    return items === undefined ? undefined : { $set: items };
  }
  if (v instanceof RObject || needsObjTag(v)) {
    const entries: Json[] = [];
    for (const [k, x] of objectEntries(v as PlainObject)) {
      const ek = encode(k);
      const ev = encode(x);
      if (ek === undefined || ev === undefined) return undefined;
      entries.push([ek, ev]);
    }
    return { $obj: entries };
  }
  const out: { [key: string]: Json } = {};
  for (const k of Object.keys(v)) {
    const ev = encode((v as PlainObject)[k]!);
    if (ev === undefined) return undefined;
    Object.defineProperty(out, k, { value: ev, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function encodeList(items: Value[]): Json[] | undefined {
  const out: Json[] = [];
  for (const x of items) {
    const e = encode(x);
    if (e === undefined) return undefined;
    out.push(e);
  }
  return out;
}

function needsObjTag(v: Value): boolean {
  return isPlainObject(v) && Object.keys(v).some((k) => k.startsWith("$"));
}

export type Builtin = (...args: Value[]) => Value | undefined;
export type HostFunction = (...args: unknown[]) => unknown;

/** Adapts a built-in to the SDK: decode arguments, encode the result, errors → undefined. */
export function wrapBuiltin(fn: Builtin): HostFunction {
  return (...args: unknown[]) => {
    try {
      const r = fn(...args.map(decode));
      return r === undefined ? undefined : encode(r);
    } catch (e) {
      if (e instanceof HostHalt) throw e;
      return undefined;
    }
  };
}

export { HostHalt };
