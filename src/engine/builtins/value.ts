/**
 * The JS-side model of Rego values seen by host built-ins, and OPA's total order on them.
 *
 * Strings, booleans, null and arrays are plain JS values. Numbers are JS numbers when a double
 * holds them exactly and JavaScript prints them as written, else `ExactNum` (source text: big
 * integers, long decimals, and texts such as `1.0` or `1e3` that OPA keeps as written, since a
 * `json.Number` prints its text). Objects with
 * only string keys are plain JS objects; objects with any non-string key are `RObject`. Sets are
 * `RSet` with elements kept sorted and unique, so printing and comparing them is canonical.
 */
import { bitLength, chargeDecimal } from "./budget.js";

/** JSON's number grammar: the texts OPA keeps and prints as written. */
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

export function isJsonNumberText(t: string): boolean {
  return JSON_NUMBER.test(t);
}

/**
 * Whether a JSON number's text must travel as `ExactNum`: JavaScript would print it otherwise
 * (`1.0`, `1e3`, `2.50`, `-0`, big integers), and OPA prints a number as written.
 */
export function keepsText(t: string): boolean {
  return isJsonNumberText(t) && plainNumber(t) === undefined;
}

/** The JS number of a text JavaScript prints back as written and holds exactly, else undefined. */
export function plainNumber(t: string): number | undefined {
  const n = Number(t);
  if (String(n) !== t || (Number.isInteger(n) && !Number.isSafeInteger(n))) return undefined;
  return n;
}

export class ExactNum {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Value =
  | null
  | boolean
  | number
  | ExactNum
  | string
  | Value[]
  | RSet
  | RObject
  | { [key: string]: Value };

export type PlainObject = { [key: string]: Value };

/** An object with at least one non-string key; entries are kept sorted by key. */
export class RObject {
  readonly entries: [Value, Value][];
  constructor(entries: [Value, Value][]) {
    this.entries = sortEntries(entries);
  }
}

export class RSet {
  readonly items: Value[];
  constructor(items: Iterable<Value> = []) {
    this.items = sortUnique([...items]);
  }
  has(v: Value): boolean {
    return binarySearch(this.items, v) >= 0;
  }
  get size(): number {
    return this.items.length;
  }
}

export function isNumber(v: unknown): v is number | ExactNum {
  return typeof v === "number" || v instanceof ExactNum;
}
export function isString(v: unknown): v is string {
  return typeof v === "string";
}
export function isArray(v: unknown): v is Value[] {
  return Array.isArray(v);
}
export function isSet(v: unknown): v is RSet {
  return v instanceof RSet;
}
export function isPlainObject(v: unknown): v is PlainObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}
export function isObject(v: unknown): v is PlainObject | RObject {
  return v instanceof RObject || isPlainObject(v);
}

export type TypeName = "null" | "boolean" | "number" | "string" | "array" | "object" | "set";

export function typeName(v: Value): TypeName {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return "boolean";
    case "number":
      return "number";
    case "string":
      return "string";
  }
  if (v instanceof ExactNum) return "number";
  if (Array.isArray(v)) return "array";
  if (v instanceof RSet) return "set";
  return "object";
}

const rank: Record<TypeName, number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6 };

// ---------------------------------------------------------------------------------------------
// Objects
// ---------------------------------------------------------------------------------------------

export function objectEntries(o: PlainObject | RObject): [Value, Value][] {
  if (o instanceof RObject) return o.entries;
  return Object.keys(o)
    .sort(compareStrings)
    .map((k) => [k, o[k]!] as [Value, Value]);
}

export function objectKeys(o: PlainObject | RObject): Value[] {
  return objectEntries(o).map((e) => e[0]);
}

export function objectGet(o: PlainObject | RObject, key: Value): Value | undefined {
  if (o instanceof RObject) {
    for (const [k, v] of o.entries) if (compare(k, key) === 0) return v;
    return undefined;
  }
  if (typeof key !== "string") return undefined;
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

export function objectSize(o: PlainObject | RObject): number {
  return o instanceof RObject ? o.entries.length : Object.keys(o).length;
}

/** Builds an object from entries (later entries win), choosing the plain form when possible. */
export function makeObject(entries: Iterable<[Value, Value]>): PlainObject | RObject {
  const list = [...entries];
  if (list.every(([k]) => typeof k === "string")) {
    const o: PlainObject = {};
    for (const [k, v] of list) setKey(o, k as string, v);
    return o;
  }
  const out: [Value, Value][] = [];
  for (const [k, v] of list) {
    const i = out.findIndex(([x]) => compare(x, k) === 0);
    if (i >= 0) out[i] = [k, v];
    else out.push([k, v]);
  }
  return new RObject(out);
}

/** Sets a key on a plain object safely (keys like `__proto__` stay data). */
export function setKey(o: PlainObject, k: string, v: Value): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function sortEntries(entries: [Value, Value][]): [Value, Value][] {
  return [...entries].sort((a, b) => compare(a[0], b[0]));
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/** An exact decimal m × 10^e. */
export interface Decimal {
  m: bigint;
  e: number;
}

/** Decimal literals: JSON numbers plus the looser forms Go's ParseFloat takes (`+1`, `.5`, `1.`). */
const decimalLiteral = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

export function parseDecimal(text: string): Decimal | undefined {
  // Reading digits into a BigInt costs what printing them does.
  if (text.length > 1200) chargeDecimal(text.length * 3.33);
  const t = text.trim();
  if (!decimalLiteral.test(t)) return undefined;
  let s = t;
  let exp = 0;
  const ei = s.search(/[eE]/);
  if (ei >= 0) {
    exp = Number(s.slice(ei + 1));
    s = s.slice(0, ei);
  }
  let neg = false;
  if (s[0] === "-" || s[0] === "+") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  const dot = s.indexOf(".");
  if (dot >= 0) {
    exp -= s.length - dot - 1;
    s = s.slice(0, dot) + s.slice(dot + 1);
  }
  if (s === "") s = "0";
  let m = BigInt(s);
  if (neg) m = -m;
  return normDecimal({ m, e: exp });
}

export function normDecimal(d: Decimal): Decimal {
  if (d.m === 0n) return { m: 0n, e: 0 };
  let { m, e } = d;
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  return { m, e };
}

export function toDecimal(n: number | ExactNum): Decimal | undefined {
  if (n instanceof ExactNum) return parseDecimal(n.text);
  if (!Number.isFinite(n)) return undefined;
  if (Number.isInteger(n)) return normDecimal({ m: BigInt(n), e: 0 });
  // The shortest round-trip text of a double is what Go OPA would have produced as well.
  return parseDecimal(String(n));
}

const SMALL_MANTISSA = 1n << 4096n;

/** Exponents beyond this print in e-notation (expanding them would cost memory without bound). */
const MAX_EXPANDED_EXPONENT = 4096;

export function decimalText(d: Decimal): string {
  const n = normDecimal(d);
  // Printing the digits of a big mantissa is the expensive part of every exact result.
  if (n.m > SMALL_MANTISSA || n.m < -SMALL_MANTISSA) chargeDecimal(bitLength(n.m) + Math.max(0, n.e) * 3.33);
  if (Math.abs(n.e) > MAX_EXPANDED_EXPONENT) return `${n.m}e${n.e}`;
  if (n.e >= 0) return (n.m * 10n ** BigInt(n.e)).toString();
  const neg = n.m < 0n;
  let digits = (neg ? -n.m : n.m).toString();
  const frac = -n.e;
  if (digits.length <= frac) digits = "0".repeat(frac - digits.length + 1) + digits;
  const intPart = digits.slice(0, digits.length - frac);
  const fracPart = digits.slice(digits.length - frac);
  return `${neg ? "-" : ""}${intPart}.${fracPart}`;
}

/** A number value from an exact decimal: a JS number when that is exact, else ExactNum. */
export function fromDecimal(d: Decimal): number | ExactNum {
  const text = decimalText(d);
  const n = Number(text);
  // JSON.stringify must reproduce the value: safe integers, or doubles that print back exactly.
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return new ExactNum(text);
  if (Number.isFinite(n) && toDecimalEqual(n, d)) return n === 0 ? 0 : n;
  return new ExactNum(text);
}

function toDecimalEqual(n: number, d: Decimal): boolean {
  const x = toDecimal(n);
  return x !== undefined && compareDecimal(x, d) === 0;
}

export function fromBigInt(b: bigint): number | ExactNum {
  if (b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= -BigInt(Number.MAX_SAFE_INTEGER)) return Number(b);
  chargeDecimal(bitLength(b));
  return new ExactNum(b.toString());
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  const sa = a.m < 0n ? -1 : a.m > 0n ? 1 : 0;
  const sb = b.m < 0n ? -1 : b.m > 0n ? 1 : 0;
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  // Compare magnitudes by their leading exponent first, so huge exponent gaps never get expanded.
  const mag = (d: Decimal) => (d.m < 0n ? -d.m : d.m).toString().length + d.e;
  const ma = mag(a);
  const mb = mag(b);
  if (ma !== mb) return (ma < mb ? -1 : 1) * sa;
  const e = Math.min(a.e, b.e);
  const am = a.m * 10n ** BigInt(a.e - e);
  const bm = b.m * 10n ** BigInt(b.e - e);
  return am < bm ? -1 : am > bm ? 1 : 0;
}

export function compareNumbers(a: number | ExactNum, b: number | ExactNum): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  const da = toDecimal(a);
  const db = toDecimal(b);
  if (!da || !db) {
    const x = Number(a instanceof ExactNum ? a.text : a);
    const y = Number(b instanceof ExactNum ? b.text : b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compareDecimal(da, db);
}

/** The integer value of a number, or undefined when it is not integral. */
export function toBigInt(n: Value): bigint | undefined {
  if (typeof n === "number") return Number.isInteger(n) ? BigInt(n) : undefined;
  if (n instanceof ExactNum) {
    const d = parseDecimal(n.text);
    if (!d || d.e < 0 || d.e > 4096) return undefined;
    return d.m * 10n ** BigInt(d.e);
  }
  return undefined;
}

/** A JS double for a number value (may round). */
export function toFloat(n: number | ExactNum): number {
  return typeof n === "number" ? n : Number(n.text);
}

/** A safe JS integer, or undefined. */
export function toInt(n: Value): number | undefined {
  const b = toBigInt(n);
  if (b === undefined) return undefined;
  if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < -BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(b);
}

// ---------------------------------------------------------------------------------------------
// Ordering
// ---------------------------------------------------------------------------------------------

/** Go compares strings byte-wise on UTF-8, which is code point order (JS `<` is UTF-16 order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const sx = x >= 0xd800 && x <= 0xdfff;
      const sy = y >= 0xd800 && y <= 0xdfff;
      if (sx !== sy) return sx ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function compare(a: Value, b: Value): number {
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta !== tb) return rank[ta] < rank[tb] ? -1 : 1;
  switch (ta) {
    case "null":
      return 0;
    case "boolean":
      return a === b ? 0 : a ? 1 : -1;
    case "number":
      return compareNumbers(a as number | ExactNum, b as number | ExactNum);
    case "string":
      return compareStrings(a as string, b as string);
    case "array":
      return compareLists(a as Value[], b as Value[]);
    case "set":
      return compareLists((a as RSet).items, (b as RSet).items);
    case "object": {
      const ea = objectEntries(a as PlainObject);
      const eb = objectEntries(b as PlainObject);
      const n = Math.min(ea.length, eb.length);
      for (let i = 0; i < n; i++) {
        const k = compare(ea[i]![0], eb[i]![0]);
        if (k !== 0) return k;
        const v = compare(ea[i]![1], eb[i]![1]);
        if (v !== 0) return v;
      }
      return ea.length - eb.length < 0 ? -1 : ea.length > eb.length ? 1 : 0;
    }
  }
}

function compareLists(a: Value[], b: Value[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compare(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function equal(a: Value, b: Value): boolean {
  return compare(a, b) === 0;
}

export function sortUnique(items: Value[]): Value[] {
  const sorted = [...items].sort(compare);
  const out: Value[] = [];
  for (const v of sorted) if (out.length === 0 || compare(out[out.length - 1]!, v) !== 0) out.push(v);
  return out;
}

function binarySearch(items: Value[], v: Value): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compare(items[mid]!, v);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Elements of an array or set, or values of an object (what `x[_]` iterates). */
export function collectionValues(v: Value): Value[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof RSet) return v.items;
  if (isObject(v)) return objectEntries(v).map((e) => e[1]);
  return undefined;
}
