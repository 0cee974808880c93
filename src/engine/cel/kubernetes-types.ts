/**
 * The Kubernetes CEL libraries that bring their own types: quantity (`kubernetes.Quantity`), IP and
 * CIDR (`net.IP`, `net.CIDR`), URL (`net.URL`) and semver (`kubernetes.Semver`, Kubernetes 1.33+),
 * with the functions and semantics the API server's
 * libraries document. @bufbuild/cel has no opaque types, so each is a one-field message declared at
 * run time (its type name is the API server's); the field holds a canonical form, so CEL's `==`
 * compares values (`quantity("1k") == quantity("1000")`, `ip("::1") == ip("0:0::1")`).
 */
import { celFunc, celMethod, CelScalar, mapType, listType, objectType, type CelFunc } from "@bufbuild/cel";
import { create, createFileRegistry, fromJson, type DescMessage, type Registry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { formatIp, parseV4, parseV6 } from "../builtins/net.js";

const STR = CelScalar.STRING;
const INT = CelScalar.INT;
const BOOL = CelScalar.BOOL;
const DOUBLE = CelScalar.DOUBLE;

function file(pkg: string, messages: string[]) {
  return fromJson(FileDescriptorProtoSchema, {
    name: `policyc/${pkg}.proto`,
    package: pkg,
    syntax: "proto3",
    messageType: messages.map((name) => ({ name, field: [{ name: "value", number: 1, type: "TYPE_STRING", label: "LABEL_OPTIONAL", jsonName: "value" }] })),
  });
}

const kubernetesFile = createFileRegistry(file("kubernetes", ["Quantity", "Semver", "NamedFormat"]), () => undefined);
const netFile = createFileRegistry(file("net", ["IP", "CIDR", "URL"]), () => undefined);
/** CEL's optional values (optionals.ts): @bufbuild/cel has no optional type of its own. */
const optionalFile = createFileRegistry(file("policyc", ["Optional"]), () => undefined);
/** The message types of the Kubernetes libraries, for the CEL environment's registry. */
export const kubernetesTypes: Registry = createFileRegistry(kubernetesFile, netFile, optionalFile);

const desc = (name: string) => kubernetesTypes.getMessage(name) as DescMessage;
const QuantityDesc = desc("kubernetes.Quantity");
const IPDesc = desc("net.IP");
const CIDRDesc = desc("net.CIDR");
const URLDesc = desc("net.URL");
const QUANTITY = objectType(QuantityDesc);
const SemverDesc = desc("kubernetes.Semver");
const SEMVER = objectType(SemverDesc);
const IP = objectType(IPDesc);
const CIDR = objectType(CIDRDesc);
const URLT = objectType(URLDesc);

/** The canonical string a value of one of these types holds (`this` in a method is a reflected message). */
export function valueOf(v: unknown): string {
  const m = (v as { message?: { value?: unknown } }).message ?? (v as { value?: unknown });
  return String((m as { value?: unknown }).value ?? "");
}
export const make = (d: DescMessage, value: string) => create(d, { value } as never);

// ---------------------------------------------------------------- quantity

/** An exact decimal: mantissa × 10^exp, mantissa without trailing zeros (0 has exp 0). */
interface Dec {
  m: bigint;
  e: number;
}

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY_RE = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

function normalize(d: Dec): Dec {
  let { m, e } = d;
  if (m === 0n) return { m: 0n, e: 0 };
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  return { m, e };
}

export function parseQuantity(s: string): Dec | undefined {
  const r = QUANTITY_RE.exec(s);
  if (!r) return undefined;
  const [, sign, num, suffix = ""] = r;
  const [int = "", frac = ""] = num!.split(".");
  let m = BigInt((int + frac) || "0");
  let e = -frac.length;
  if (sign === "-") m = -m;
  if (suffix in BINARY) m *= BINARY[suffix]!;
  else if (suffix in DECIMAL) e += DECIMAL[suffix]!;
  else {
    const exp = Number(suffix.slice(1));
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return undefined;
    e += exp;
  }
  return normalize({ m, e });
}

const pow10 = (n: number) => 10n ** BigInt(n);
function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m * pow10(a.e - e), b.m * pow10(b.e - e), e];
}
const cmp = (a: Dec, b: Dec) => {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
};
const decText = (d: Dec) => `${d.m}e${d.e}`;
function decOf(text: string): Dec {
  const i = text.indexOf("e");
  return { m: BigInt(text.slice(0, i)), e: Number(text.slice(i + 1)) };
}
const quantityOf = (v: unknown) => decOf(valueOf(v));
const makeQuantity = (d: Dec) => make(QuantityDesc, decText(normalize(d)));
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

function asInteger(d: Dec): bigint | undefined {
  if (d.e < 0) return undefined;
  const v = d.m * pow10(d.e);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

function addDec(a: Dec, b: Dec, sign: 1n | -1n): Dec {
  const [x, y, e] = align(a, b);
  return normalize({ m: x + sign * y, e });
}

const quantityLibrary: CelFunc[] = [
  celFunc("quantity", [STR], QUANTITY, (s) => {
    const d = parseQuantity(s);
    if (!d) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${s}`);
    return makeQuantity(d) as never;
  }),
  celFunc("isQuantity", [STR], BOOL, (s) => parseQuantity(s) !== undefined),
  celMethod("sign", QUANTITY, [], INT, function () {
    const d = quantityOf(this);
    return d.m === 0n ? 0n : d.m > 0n ? 1n : -1n;
  }),
  celMethod("isInteger", QUANTITY, [], BOOL, function () {
    return asInteger(quantityOf(this)) !== undefined;
  }),
  celMethod("asInteger", QUANTITY, [], INT, function () {
    const v = asInteger(quantityOf(this));
    if (v === undefined) throw new Error("cannot convert value to integer");
    return v;
  }),
  celMethod("asApproximateFloat", QUANTITY, [], DOUBLE, function () {
    const d = quantityOf(this);
    return Number(`${d.m}e${d.e}`);
  }),
  celMethod("add", QUANTITY, [QUANTITY], QUANTITY, function (o) {
    return makeQuantity(addDec(quantityOf(this), quantityOf(o), 1n)) as never;
  }),
  celMethod("add", QUANTITY, [INT], QUANTITY, function (n) {
    return makeQuantity(addDec(quantityOf(this), { m: n, e: 0 }, 1n)) as never;
  }),
  celMethod("sub", QUANTITY, [QUANTITY], QUANTITY, function (o) {
    return makeQuantity(addDec(quantityOf(this), quantityOf(o), -1n)) as never;
  }),
  celMethod("sub", QUANTITY, [INT], QUANTITY, function (n) {
    return makeQuantity(addDec(quantityOf(this), { m: n, e: 0 }, -1n)) as never;
  }),
  celMethod("isLessThan", QUANTITY, [QUANTITY], BOOL, function (o) {
    return cmp(quantityOf(this), quantityOf(o)) < 0;
  }),
  celMethod("isGreaterThan", QUANTITY, [QUANTITY], BOOL, function (o) {
    return cmp(quantityOf(this), quantityOf(o)) > 0;
  }),
  celMethod("compareTo", QUANTITY, [QUANTITY], INT, function (o) {
    return BigInt(cmp(quantityOf(this), quantityOf(o)));
  }),
];

// ---------------------------------------------------------------- IP and CIDR

interface Addr {
  family: 4 | 6;
  /** 32 or 128 bits. */
  bits: bigint;
}

export function parseIP(s: string): Addr | undefined {
  if (s.includes(":")) {
    if (s.includes("%")) return undefined; // zones are refused
    const bits = parseV6(s);
    if (bits === undefined) return undefined;
    // IPv4-mapped IPv6 addresses are refused (they would match both families' rules).
    if (bits >> 32n === 0xffffn) return undefined;
    return { family: 6, bits };
  }
  const bits = parseV4(s);
  return bits === undefined ? undefined : { family: 4, bits };
}

/** RFC 5952 for IPv6 (lowercase, the longest run of two or more zero groups as `::`), dotted decimal for IPv4. */
export const ipText = (a: Addr): string => formatIp(a.family === 6, a.bits);

const width = (a: Addr) => (a.family === 4 ? 32 : 128);
const ipOf = (v: unknown): Addr => parseIP(valueOf(v))!;
const makeIP = (a: Addr) => make(IPDesc, ipText(a));

interface Prefix {
  addr: Addr;
  len: number;
}

export function parseCIDR(s: string): Prefix | undefined {
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const addr = parseIP(s.slice(0, slash));
  const lenText = s.slice(slash + 1);
  if (!addr || !/^(0|[1-9]\d*)$/.test(lenText)) return undefined;
  const len = Number(lenText);
  return len > width(addr) ? undefined : { addr, len };
}

const cidrOf = (v: unknown): Prefix => parseCIDR(valueOf(v))!;
const cidrText = (p: Prefix) => `${ipText(p.addr)}/${p.len}`;
const makeCIDR = (p: Prefix) => make(CIDRDesc, cidrText(p));
const maskOf = (p: Prefix) => {
  const w = BigInt(width(p.addr));
  return ((1n << w) - 1n) ^ ((1n << (w - BigInt(p.len))) - 1n);
};
const contains = (p: Prefix, a: Addr) => p.addr.family === a.family && (a.bits & maskOf(p)) === (p.addr.bits & maskOf(p));

function strictIP(s: string): Addr {
  const a = parseIP(s);
  if (!a) throw new Error(`IP Address ${JSON.stringify(s)} parse error during conversion from string`);
  return a;
}
function strictCIDR(s: string): Prefix {
  const p = parseCIDR(s);
  if (!p) throw new Error(`network address ${JSON.stringify(s)} parse error during conversion from string`);
  return p;
}

const ipLibrary: CelFunc[] = [
  celFunc("ip", [STR], IP, (s) => makeIP(strictIP(s)) as never),
  celFunc("isIP", [STR], BOOL, (s) => parseIP(s) !== undefined),
  celFunc("ip.isCanonical", [STR], BOOL, (s) => ipText(strictIP(s)) === s),
  celFunc("string", [IP], STR, (v) => valueOf(v)),
  celMethod("family", IP, [], INT, function () {
    return BigInt(ipOf(this).family);
  }),
  celMethod("isUnspecified", IP, [], BOOL, function () {
    return ipOf(this).bits === 0n;
  }),
  celMethod("isLoopback", IP, [], BOOL, function () {
    const a = ipOf(this);
    return a.family === 4 ? a.bits >> 24n === 127n : a.bits === 1n;
  }),
  celMethod("isLinkLocalMulticast", IP, [], BOOL, function () {
    const a = ipOf(this);
    return a.family === 4 ? a.bits >> 8n === 0xe00000n : ((a.bits >> 112n) & 0xff0fn) === 0xff02n;
  }),
  celMethod("isLinkLocalUnicast", IP, [], BOOL, function () {
    const a = ipOf(this);
    return a.family === 4 ? a.bits >> 16n === 0xa9fen : a.bits >> 118n === 0x3fan;
  }),
  celMethod("isGlobalUnicast", IP, [], BOOL, function () {
    const a = ipOf(this);
    if (a.family === 4) {
      const top = a.bits >> 24n;
      return !(a.bits === 0n || top === 127n || top >= 224n || a.bits >> 16n === 0xa9fen || a.bits === 0xffffffffn);
    }
    return !(a.bits === 0n || a.bits === 1n || a.bits >> 120n === 0xffn || a.bits >> 118n === 0x3fan);
  }),
  celFunc("cidr", [STR], CIDR, (s) => makeCIDR(strictCIDR(s)) as never),
  celFunc("isCIDR", [STR], BOOL, (s) => parseCIDR(s) !== undefined),
  celFunc("string", [CIDR], STR, (v) => valueOf(v)),
  celMethod("containsIP", CIDR, [IP], BOOL, function (ip) {
    return contains(cidrOf(this), ipOf(ip));
  }),
  celMethod("containsIP", CIDR, [STR], BOOL, function (s) {
    return contains(cidrOf(this), strictIP(s));
  }),
  celMethod("containsCIDR", CIDR, [CIDR], BOOL, function (o) {
    const p = cidrOf(this);
    const q = cidrOf(o);
    return q.len >= p.len && contains(p, q.addr);
  }),
  celMethod("containsCIDR", CIDR, [STR], BOOL, function (s) {
    const p = cidrOf(this);
    const q = strictCIDR(s);
    return q.len >= p.len && contains(p, q.addr);
  }),
  celMethod("ip", CIDR, [], IP, function () {
    return makeIP(cidrOf(this).addr) as never;
  }),
  celMethod("masked", CIDR, [], CIDR, function () {
    const p = cidrOf(this);
    return makeCIDR({ addr: { family: p.addr.family, bits: p.addr.bits & maskOf(p) }, len: p.len }) as never;
  }),
  celMethod("prefixLength", CIDR, [], INT, function () {
    return BigInt(cidrOf(this).len);
  }),
];

// ---------------------------------------------------------------- URL

interface Url {
  scheme: string;
  host: string;
  path: string;
  query: string;
}

/**
 * Go's `url.ParseRequestURI`, which the API server's library uses: an absolute URI or an absolute
 * path; no fragment is split off. Refuses what Go refuses in the ways that matter for checks: a
 * relative reference, a bad scheme, a non-numeric port, spaces or control characters in the host.
 */
export function parseURL(s: string): Url | undefined {
  if (/[\x00-\x1f\x7f]/.test(s)) return undefined;
  let rest = s;
  let scheme = "";
  let host = "";
  const q = (text: string) => {
    const i = text.indexOf("?");
    return i < 0 ? { before: text, query: "" } : { before: text.slice(0, i), query: text.slice(i + 1) };
  };
  if (!rest.startsWith("/")) {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
    if (!m) return undefined;
    scheme = m[1]!;
    rest = rest.slice(m[0].length);
    if (!rest.startsWith("/")) {
      // An opaque URI (mailto:x): no host or path.
      return { scheme, host: "", path: "", query: q(rest).query };
    }
  }
  if (rest.startsWith("//") && scheme !== "") {
    const after = rest.slice(2);
    const end = after.search(/[/?]/);
    const authority = end < 0 ? after : after.slice(0, end);
    rest = end < 0 ? "" : after.slice(end);
    host = authority.slice(authority.lastIndexOf("@") + 1);
    if (/\s/.test(host)) return undefined;
    if (host.startsWith("[")) {
      const close = host.indexOf("]");
      if (close < 0 || !/^(:\d*)?$/.test(host.slice(close + 1))) return undefined;
    } else if ((host.match(/:/g) ?? []).length > 1 || !/^[^:]*(:\d*)?$/.test(host)) return undefined;
  }
  const { before, query } = q(rest);
  return { scheme, host, path: before, query };
}

const urlOf = (v: unknown): Url => parseURL(valueOf(v))!;
function hostParts(host: string): { hostname: string; port: string } {
  if (host.startsWith("[")) {
    const close = host.indexOf("]");
    return { hostname: host.slice(1, close), port: host.slice(close + 2) };
  }
  const i = host.indexOf(":");
  return i < 0 ? { hostname: host, port: "" } : { hostname: host.slice(0, i), port: host.slice(i + 1) };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/** Go's `EscapedPath`: the path as written when it is a valid encoding, else with the characters a path may not hold escaped. */
function escapedPath(path: string): string {
  const valid = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;
  if (valid.test(path)) return path;
  return [...path].map((ch) => (/[A-Za-z0-9\-._~!$&'()*+,;=:@/]/.test(ch) ? ch : [...new TextEncoder().encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""))).join("");
}

const urlLibrary: CelFunc[] = [
  celFunc("url", [STR], URLT, (s) => {
    if (!parseURL(s)) throw new Error(`URL parse error during conversion from string: ${s}`);
    return make(URLDesc, s) as never;
  }),
  celFunc("isURL", [STR], BOOL, (s) => parseURL(s) !== undefined),
  celFunc("string", [URLT], STR, (v) => valueOf(v)),
  celMethod("getScheme", URLT, [], STR, function () {
    return urlOf(this).scheme;
  }),
  celMethod("getHost", URLT, [], STR, function () {
    return urlOf(this).host;
  }),
  celMethod("getHostname", URLT, [], STR, function () {
    return hostParts(urlOf(this).host).hostname;
  }),
  celMethod("getPort", URLT, [], STR, function () {
    return hostParts(urlOf(this).host).port;
  }),
  celMethod("getEscapedPath", URLT, [], STR, function () {
    return escapedPath(urlOf(this).path);
  }),
  celMethod("getQuery", URLT, [], mapType(STR, listType(STR)), function () {
    const out = new Map<string, string[]>();
    for (const pair of urlOf(this).query.split("&")) {
      if (pair === "" || pair.includes(";")) continue;
      const eq = pair.indexOf("=");
      const k = decode(eq < 0 ? pair : pair.slice(0, eq));
      const v = eq < 0 ? "" : decode(pair.slice(eq + 1));
      out.set(k, [...(out.get(k) ?? []), v]);
    }
    return out as never;
  }),
];

// ---------------------------------------------------------------- semver

interface Semver {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string[];
}

const NUM = "(0|[1-9][0-9]*)";
const PRE_ID = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
const SEMVER_RE = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`);
const UINT64_MAX = (1n << 64n) - 1n;

/**
 * Semantic Versioning 2.0.0 as the API server's library parses it: strict, or with `normalize`
 * a leading `v`, a missing minor or patch (`1.2` is `1.2.0`) and leading zeros are accepted.
 */
export function parseSemver(text: string, normalize = false): Semver | undefined {
  let s = text;
  if (normalize) {
    if (s.startsWith("v")) s = s.slice(1);
    const cut = s.search(/[-+]/);
    const core = cut < 0 ? s : s.slice(0, cut);
    const parts = core.split(".");
    if (parts.length > 3 || parts.some((p) => !/^[0-9]+$/.test(p))) return undefined;
    while (parts.length < 3) parts.push("0");
    s = parts.map((p) => p.replace(/^0+(?=[0-9])/, "")).join(".") + (cut < 0 ? "" : s.slice(cut));
  }
  const m = SEMVER_RE.exec(s);
  if (!m) return undefined;
  const [major, minor, patch] = [m[1], m[2], m[3]].map((x) => BigInt(x!)) as [bigint, bigint, bigint];
  if (major > UINT64_MAX || minor > UINT64_MAX || patch > UINT64_MAX) return undefined;
  return { major, minor, patch, pre: m[4] ? m[4].split(".") : [] };
}

/** Precedence (build metadata ignored), as SemVer 2.0.0 section 11 orders versions. */
export function compareSemver(a: Semver, b: Semver): number {
  for (const k of ["major", "minor", "patch"] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i]!;
    const y = b.pre[i]!;
    if (x === y) continue;
    const nx = /^[0-9]+$/.test(x);
    const ny = /^[0-9]+$/.test(y);
    if (nx && ny) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1;
}

/** The canonical text a Semver value holds: without build metadata, so `==` compares precedence. */
const semverText = (v: Semver) => `${v.major}.${v.minor}.${v.patch}${v.pre.length > 0 ? `-${v.pre.join(".")}` : ""}`;
const semverOf = (v: unknown): Semver => parseSemver(valueOf(v))!;
function strictSemver(s: string, normalize: boolean): unknown {
  const v = parseSemver(s, normalize);
  if (!v) throw new Error(`could not parse semver ${JSON.stringify(s)}${normalize ? " (normalized)" : ""}`);
  return make(SemverDesc, semverText(v));
}

const semverLibrary: CelFunc[] = [
  celFunc("semver", [STR], SEMVER, (s) => strictSemver(s, false) as never),
  celFunc("semver", [STR, BOOL], SEMVER, (s, n) => strictSemver(s, n) as never),
  celFunc("isSemver", [STR], BOOL, (s) => parseSemver(s) !== undefined),
  celFunc("isSemver", [STR, BOOL], BOOL, (s, n) => parseSemver(s, n) !== undefined),
  celMethod("major", SEMVER, [], INT, function () {
    return semverOf(this).major;
  }),
  celMethod("minor", SEMVER, [], INT, function () {
    return semverOf(this).minor;
  }),
  celMethod("patch", SEMVER, [], INT, function () {
    return semverOf(this).patch;
  }),
  celMethod("isGreaterThan", SEMVER, [SEMVER], BOOL, function (o) {
    return compareSemver(semverOf(this), semverOf(o)) > 0;
  }),
  celMethod("isLessThan", SEMVER, [SEMVER], BOOL, function (o) {
    return compareSemver(semverOf(this), semverOf(o)) < 0;
  }),
  celMethod("compareTo", SEMVER, [SEMVER], INT, function (o) {
    return BigInt(compareSemver(semverOf(this), semverOf(o)));
  }),
];

/** The functions of the quantity, IP/CIDR, URL and semver libraries. */
export const kubernetesTypeLibraries: readonly CelFunc[] = [...quantityLibrary, ...ipLibrary, ...urlLibrary, ...semverLibrary];
