/**
 * The Kubernetes CEL libraries on top of CEL's standard functions, as the API server (and so
 * Gatekeeper's K8sNativeValidation) offers them: the strings extension (`join`, `lowerAscii`,
 * `replace`, `split`, `substring`, `trim`, `indexOf`, ...; taken from @bufbuild/cel's `ext`), and
 * `format` (cel-go's `%s %d %f %e %x %X %o %b` with precision, lists and maps), ...; taken from
 * @bufbuild/cel's `ext`), Kubernetes' regex library (`find`, `findAll`) and list library
 * (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`), cel-go's sets extension
 * (`sets.contains`, `sets.equivalent`, `sets.intersects`), those with types of their own
 * (kubernetes-types.ts: quantity, IP/CIDR, URL, semver), the named formats (format-library.ts),
 * optional values (optionals.ts), and the run-time
 * helpers of two-variable comprehensions (`@entries`, `cel.@mapInsert`; parse.ts expands the
 * macros). Not offered: authz (no API server to ask).
 */
import { celFunc, celList, celMethod, CelScalar, celUint, isCelList, isCelMap, isCelUint, listType, mapType, isCelError, type CelFunc, type CelList, type CelValue } from "@bufbuild/cel";
import { strings as extStrings } from "@bufbuild/cel/ext";
import { create } from "@bufbuild/protobuf";
import { DurationSchema } from "@bufbuild/protobuf/wkt";
import { kubernetesTypeLibraries } from "./kubernetes-types.js";
import { formatLibrary } from "./format-library.js";
import { mapInsert, optionalLibrary, render } from "./optionals.js";
import { compileRegex } from "../builtins/regex.js";
import { formatG } from "../builtins/sprintf.js";

const STR = CelScalar.STRING;
const INT = CelScalar.INT;
const DYN = CelScalar.DYN;
const LIST = listType(DYN);

/** RE2 syntax is close enough to JavaScript's for the library's patterns; `u` keeps code points whole. */
function regex(pattern: string, flags = "u"): RegExp {
  return new RegExp(pattern, flags);
}

/**
 * What CEL orders a value by: numbers (int, uint and double alike, as CrossTypeNumericComparisons
 * has it), strings, bools, bytes, durations and timestamps (in nanoseconds); undefined for
 * values without an order (lists, maps, null).
 */
function orderKey(v: CelValue): { kind: string; key: number | bigint | string | boolean } | undefined {
  if (typeof v === "bigint" || typeof v === "number") return { kind: "number", key: v };
  if (typeof v === "string") return { kind: "string", key: v };
  if (typeof v === "boolean") return { kind: "bool", key: v };
  if (isCelUint(v)) return { kind: "number", key: v.value };
  if (v instanceof Uint8Array) return { kind: "bytes", key: [...v].map((b) => b.toString(16).padStart(2, "0")).join("") };
  const ns = timeNanos(v);
  if (ns) return ns;
  return undefined;
}

/** A duration's or a timestamp's nanoseconds (they are protobuf messages in the CEL runtime). */
function timeNanos(v: CelValue): { kind: string; key: bigint } | undefined {
  const r = v as unknown as { desc?: { typeName?: string }; message?: { seconds?: bigint; nanos?: number } };
  if (typeof v !== "object" || v === null || !r.desc || !r.message) return undefined;
  const ns = (r.message.seconds ?? 0n) * 1_000_000_000n + BigInt(r.message.nanos ?? 0);
  if (r.desc.typeName === "google.protobuf.Duration") return { kind: "duration", key: ns };
  if (r.desc.typeName === "google.protobuf.Timestamp") return { kind: "timestamp", key: ns };
  return undefined;
}

/** Orders two CEL values of one comparable kind; any other pair is an error, as in cel-go. */
function compare(a: CelValue, b: CelValue): number {
  const x = orderKey(a);
  const y = orderKey(b);
  if (!x || !y) throw new Error(`no such overload: ${!x ? typeName(a) : typeName(b)} is not comparable`);
  if (x.kind !== y.kind) throw new Error(`no such overload: comparing ${x.kind} with ${y.kind}`);
  return x.key < y.key ? -1 : x.key > y.key ? 1 : 0;
}

const typeName = (v: CelValue) => (v === null ? "null" : isCelList(v) ? "list" : isCelMap(v) ? "map" : typeof v);

const items = (l: CelList): CelValue[] => [...l];

function indexIn(l: CelList, v: CelValue, last: boolean): bigint {
  const xs = items(l);
  const key = render(v);
  const eq = (x: CelValue) => x === v || render(x) === key;
  const i = last ? xs.findLastIndex(eq) : xs.findIndex(eq);
  return BigInt(i);
}

function extreme(l: CelList, sign: 1 | -1): CelValue {
  const xs = items(l);
  if (xs.length === 0) throw new Error("min/max of an empty list");
  return xs.reduce((m, x) => (compare(x, m) * sign > 0 ? x : m));
}

/** The sum of a list of ints, uints, doubles or durations (Kubernetes' list library); an empty list sums to 0. */
function sum(l: CelList): CelValue {
  const xs = items(l);
  if (xs.length === 0) return 0n;
  const first = xs[0]!;
  if (typeof first === "bigint" && xs.every((x) => typeof x === "bigint")) return (xs as bigint[]).reduce((s, x) => s + x);
  if (typeof first === "number" && xs.every((x) => typeof x === "number")) return (xs as number[]).reduce((s, x) => s + x);
  if (isCelUint(first) && xs.every(isCelUint)) return celUint(xs.reduce((s, x) => s + (x as { value: bigint }).value, 0n));
  const durations = xs.map((x) => timeNanos(x));
  if (durations.every((d) => d?.kind === "duration")) {
    const ns = durations.reduce((s, d) => s + d!.key, 0n);
    return create(DurationSchema, { seconds: ns / 1_000_000_000n, nanos: Number(ns % 1_000_000_000n) }) as never;
  }
  throw new Error("no such overload: sum of a list mixing kinds, or of values that are not numbers or durations");
}

/**
 * Go's strings.SplitN, as cel-go's `split` runs it: a limit of 0 gives no parts, a positive one at
 * most that many (the last holds the rest), a negative one every part; an empty separator splits
 * between code points.
 */
function splitN(s: string, sep: string, n: bigint): string[] {
  if (n === 0n) return [];
  const parts: string[] = [];
  if (sep === "") {
    const runes = Array.from(s);
    if (n < 0n || n >= BigInt(runes.length)) return runes;
    return [...runes.slice(0, Number(n) - 1), runes.slice(Number(n) - 1).join("")];
  }
  let from = 0;
  while (n < 0n || BigInt(parts.length) < n - 1n) {
    const at = s.indexOf(sep, from);
    if (at < 0) break;
    parts.push(s.slice(from, at));
    from = at + sep.length;
  }
  parts.push(s.slice(from));
  return parts;
}

/**
 * Go's strings.Replace, as cel-go's `replace` runs it: the first `n` matches left to right (every
 * match when n is negative, none when it is 0); an empty search string matches before each code
 * point and at the end.
 */
function replaceN(s: string, old: string, by: string, n: bigint): string {
  if (n === 0n || old === by) return s;
  if (old === "") {
    const runes = Array.from(s);
    let out = "";
    let done = 0n;
    for (let i = 0; i <= runes.length; i++) {
      if (n < 0n || done < n) {
        out += by;
        done++;
      }
      if (i < runes.length) out += runes[i];
    }
    return out;
  }
  let out = "";
  let from = 0;
  for (let done = 0n; n < 0n || done < n; done++) {
    const at = s.indexOf(old, from);
    if (at < 0) break;
    out += s.slice(from, at) + by;
    from = at + old.length;
  }
  return out + s.slice(from);
}

/** The strings extension with cel-go's `split` and `replace` limits (the package's overloads miscount them). */
const strings: CelFunc[] = [
  ...extStrings.filter((f) => f.name !== "split" && f.name !== "replace"),
  celMethod("split", STR, [STR], listType(STR), function (sep) {
    return splitN(this, sep, -1n);
  }),
  celMethod("split", STR, [STR, INT], listType(STR), function (sep, n) {
    return splitN(this, sep, n);
  }),
  celMethod("replace", STR, [STR, STR], STR, function (old, by) {
    return replaceN(this, old, by, -1n);
  }),
  celMethod("replace", STR, [STR, STR, INT], STR, function (old, by, n) {
    return replaceN(this, old, by, n);
  }),
];

const regexLibrary: CelFunc[] = [
  /**
   * CEL's own `matches` (RE2, as the standard library's), with each pattern compiled once: the
   * standard overload compiles the pattern at every call, which costs more than the match.
   */
  celMethod("matches", STR, [STR], CelScalar.BOOL, function (pattern) {
    return compileRegex(pattern).test(this);
  }),
  /** The standard library's global form, `matches(s, re)` (the package offers only the method). */
  celFunc("matches", [STR, STR], CelScalar.BOOL, (s, pattern) => compileRegex(pattern).test(s)),
  celMethod("find", STR, [STR], STR, function (pattern) {
    const m = regex(pattern).exec(this);
    return m ? m[0] : "";
  }),
  celMethod("findAll", STR, [STR], listType(STR), function (pattern) {
    return [...this.matchAll(regex(pattern, "gu"))].map((m) => m[0]);
  }),
  celMethod("findAll", STR, [STR, INT], listType(STR), function (pattern, limit) {
    const all = [...this.matchAll(regex(pattern, "gu"))].map((m) => m[0]);
    return limit < 0n ? all : all.slice(0, Number(limit));
  }),
];

const listLibrary: CelFunc[] = [
  celMethod("isSorted", LIST, [], CelScalar.BOOL, function () {
    const xs = items(this);
    return xs.every((x, i) => i === 0 || compare(xs[i - 1]!, x) <= 0);
  }),
  celMethod("sum", LIST, [], DYN, function () {
    return sum(this);
  }),
  celMethod("min", LIST, [], DYN, function () {
    return extreme(this, -1);
  }),
  celMethod("max", LIST, [], DYN, function () {
    return extreme(this, 1);
  }),
  celMethod("indexOf", LIST, [DYN], INT, function (v) {
    return indexIn(this, v, false);
  }),
  celMethod("lastIndexOf", LIST, [DYN], INT, function (v) {
    return indexIn(this, v, true);
  }),
];

/** cel-go's sets extension (Kubernetes 1.29+): lists as sets, elements compared with CEL's `==`. */
const setsLibrary: CelFunc[] = [
  celFunc("sets.contains", [LIST, LIST], CelScalar.BOOL, (a, b) => {
    const keys = new Set(items(a).map(render));
    return items(b).every((x) => keys.has(render(x)));
  }),
  celFunc("sets.equivalent", [LIST, LIST], CelScalar.BOOL, (a, b) => {
    const ka = new Set(items(a).map(render));
    const kb = new Set(items(b).map(render));
    return [...ka].every((k) => kb.has(k)) && [...kb].every((k) => ka.has(k));
  }),
  celFunc("sets.intersects", [LIST, LIST], CelScalar.BOOL, (a, b) => {
    const keys = new Set(items(a).map(render));
    return items(b).some((x) => keys.has(render(x)));
  }),
];

const MAP = mapType(DYN, DYN);

/** What the comprehensions parse.ts expands need at run time (cel-go's names where it has one). */
const comprehensionLibrary: CelFunc[] = [
  /** A two-variable comprehension's range as (index, value) or (key, value) pairs. */
  celFunc("@entries", [DYN], LIST, (range) => {
    if (isCelList(range)) return celList([...range].map((v, i) => celList([BigInt(i), v]))) as never;
    if (isCelMap(range)) return celList([...range].map(([k, v]) => celList([k as CelValue, v]))) as never;
    throw new Error(`type mismatch: a comprehension needs a list or a map`);
  }),
  celFunc("cel.@mapInsert", [MAP, DYN, DYN], MAP, (m, k, v) => mapInsert(m, k, v) as never),
  celFunc("cel.@mapInsert", [MAP, MAP], MAP, (m, entries) => {
    let out = m;
    for (const [k, v] of entries) out = mapInsert(out, k as CelValue, v);
    return out as never;
  }),
];

/**
 * `string(double)` as cel-go writes it (Go's `%g`, as Rego's sprintf has it: the shortest digits
 * that read back, with an exponent from 1e+06 up and below 1e-04), not as JavaScript does.
 */
function goFloatString(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  return formatG(x, undefined);
}

const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Strings to numbers as cel-go converts them (Go's strconv, base 10): no spaces, no `0x`, no
 * underscores, no empty string; a uint takes no sign; a double also reads `inf`, `infinity` and
 * `nan` in any case. (JavaScript's conversions accept all of those.)
 */
function parseInt64(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
  const v = BigInt(s);
  if (v < INT64.min || v > INT64.max) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`);
  return v;
}

function parseUint64(s: string): bigint {
  if (!/^[0-9]+$/.test(s)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`);
  const v = BigInt(s);
  if (v > UINT64_MAX) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`);
  return v;
}

function parseFloat64(s: string): number {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) return special[2]!.toLowerCase() === "nan" ? NaN : special[1] === "-" ? -Infinity : Infinity;
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
  return Number(s);
}

const conversionLibrary: CelFunc[] = [
  celFunc("string", [CelScalar.DOUBLE], STR, (x) => goFloatString(x)),
  celFunc("int", [STR], INT, (s) => parseInt64(s)),
  celFunc("uint", [STR], CelScalar.UINT, (s) => celUint(parseUint64(s))),
  celFunc("double", [STR], CelScalar.DOUBLE, (s) => parseFloat64(s)),
];

/** Every function policyc's CEL environment adds to the standard library. */
export const kubernetesLibrary: readonly CelFunc[] = [...conversionLibrary, ...strings, ...regexLibrary, ...listLibrary, ...kubernetesTypeLibraries, ...formatLibrary, ...setsLibrary, ...optionalLibrary, ...comprehensionLibrary];

export { isCelError };
