/**
 * The Kubernetes CEL libraries on top of CEL's standard functions, as the API server (and so
 * Gatekeeper's K8sNativeValidation) offers them: the strings extension (`join`, `lowerAscii`,
 * `replace`, `split`, `substring`, `trim`, `indexOf`, ...; taken from @bufbuild/cel's `ext`), and
 * `format` (cel-go's `%s %d %f %e %x %X %o %b` with precision, lists and maps), ...; taken from
 * @bufbuild/cel's `ext`), Kubernetes' regex library (`find`, `findAll`) and list library
 * (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`), cel-go's sets extension
 * (`sets.contains`, `sets.equivalent`, `sets.intersects`), those with types of their own
 * (kubernetes-types.ts: quantity, IP/CIDR, URL, semver), optional values (optionals.ts), and the run-time
 * helpers of two-variable comprehensions (`@entries`, `cel.@mapInsert`; parse.ts expands the
 * macros). Not offered: authz (no API server to ask).
 */
import { celFunc, celList, celMethod, CelScalar, isCelList, isCelMap, listType, mapType, isCelError, type CelFunc, type CelList, type CelValue } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { kubernetesTypeLibraries } from "./kubernetes-types.js";
import { mapInsert, optionalLibrary, render } from "./optionals.js";
import { compileRegex } from "../builtins/regex.js";

const STR = CelScalar.STRING;
const INT = CelScalar.INT;
const DYN = CelScalar.DYN;
const LIST = listType(DYN);

/** RE2 syntax is close enough to JavaScript's for the library's patterns; `u` keeps code points whole. */
function regex(pattern: string, flags = "u"): RegExp {
  return new RegExp(pattern, flags);
}

/** Orders CEL scalars of one kind (int, uint, double, string, bool); lists mixing kinds are an error. */
function compare(a: CelValue, b: CelValue): number {
  const ta = typeof a;
  const tb = typeof b;
  const numeric = (t: string) => t === "number" || t === "bigint";
  if (!(ta === tb || (numeric(ta) && numeric(tb)))) throw new Error(`no such overload: comparing ${ta} with ${tb}`);
  if (ta === "string" || ta === "boolean" || ta === "bigint" || ta === "number") {
    const x = a as string | number | bigint | boolean;
    const y = b as string | number | bigint | boolean;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  throw new Error(`no such overload: ${ta} is not comparable`);
}

const items = (l: CelList): CelValue[] => [...l];

function indexIn(l: CelList, v: CelValue, last: boolean): bigint {
  const xs = items(l);
  const eq = (x: CelValue) => x === v || (typeof x !== "object" && typeof v !== "object" && compareSafe(x, v) === 0);
  const i = last ? xs.findLastIndex(eq) : xs.findIndex(eq);
  return BigInt(i);
}

function compareSafe(a: CelValue, b: CelValue): number | undefined {
  try {
    return compare(a, b);
  } catch {
    return undefined;
  }
}

function extreme(l: CelList, sign: 1 | -1): CelValue {
  const xs = items(l);
  if (xs.length === 0) throw new Error("min/max of an empty list");
  return xs.reduce((m, x) => (compare(x, m) * sign > 0 ? x : m));
}

const regexLibrary: CelFunc[] = [
  /**
   * CEL's own `matches` (RE2, as the standard library's), with each pattern compiled once: the
   * standard overload compiles the pattern at every call, which costs more than the match.
   */
  celMethod("matches", STR, [STR], CelScalar.BOOL, function (pattern) {
    return compileRegex(pattern).test(this);
  }),
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
    const xs = items(this);
    if (xs.length === 0) return 0n;
    return xs.reduce((s, x) => {
      if (typeof s === "bigint" && typeof x === "bigint") return s + x;
      if (typeof s === "number" && typeof x === "number") return s + x;
      throw new Error("no such overload: sum of mixed or non-numeric list");
    });
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

/** Every function policyc's CEL environment adds to the standard library. */
export const kubernetesLibrary: readonly CelFunc[] = [...strings, ...regexLibrary, ...listLibrary, ...kubernetesTypeLibraries, ...setsLibrary, ...optionalLibrary, ...comprehensionLibrary];

export { isCelError };
