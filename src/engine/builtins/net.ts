/**
 * `net.cidr_*` built-ins on IPv4 and IPv6 addresses held as BigInt, following Go's `net` package
 * for parsing and printing (RFC 5952 zero compression for IPv6).
 */
import { type Value, RSet, isArray, isSet, isObject, objectEntries } from "./value.js";
import type { Builtin } from "./tagged.js";

interface Addr {
  v6: boolean;
  n: bigint;
}

interface Cidr {
  v6: boolean;
  base: bigint; // network address
  bits: number;
  ip: bigint; // address as written
}

const width = (v6: boolean) => (v6 ? 128 : 32);

/** Dotted decimal without leading zeros, as Go parses it. */
export function parseV4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === "0") || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(p);
  }
  return n;
}

/** RFC 4291 text (with `::` and an IPv4 tail), no zone. */
export function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let head = s;
  let tailV4: bigint | undefined;
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    tailV4 = parseV4(s.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = s.slice(0, lastColon + 1) + "0:0";
  }
  const dbl = head.split("::");
  if (dbl.length > 2) return undefined;
  const parse = (x: string) => (x === "" ? [] : x.split(":"));
  const left = parse(dbl[0]!);
  const right = dbl.length === 2 ? parse(dbl[1]!) : [];
  const groups = left.length + right.length;
  if (dbl.length === 1 && groups !== 8) return undefined;
  if (dbl.length === 2 && groups > 7) return undefined;
  const all = [...left, ...Array(8 - groups).fill("0"), ...right];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) n = (n & ~0xffffffffn) | tailV4;
  return n;
}

export function parseIp(s: string): Addr | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { v6: false, n: v4 };
  const v6 = s.includes(":") ? parseV6(s) : undefined;
  if (v6 !== undefined) {
    // Go treats IPv4-mapped IPv6 addresses as IPv4.
    if (v6 >> 32n === 0xffffn) return { v6: false, n: v6 & 0xffffffffn };
    return { v6: true, n: v6 };
  }
  return undefined;
}

export function parseCidr(s: string): Cidr {
  const slash = s.indexOf("/");
  if (slash < 0) throw new Error(`invalid CIDR address: ${s}`);
  const ipText = s.slice(0, slash);
  const bitsText = s.slice(slash + 1);
  const v4 = parseV4(ipText);
  const v6 = v4 === undefined && ipText.includes(":") ? parseV6(ipText) : undefined;
  if (v4 === undefined && v6 === undefined) throw new Error(`invalid CIDR address: ${s}`);
  const isV6 = v4 === undefined;
  if (!/^[0-9]{1,3}$/.test(bitsText)) throw new Error(`invalid CIDR address: ${s}`);
  const bits = Number(bitsText);
  if (bits > width(isV6)) throw new Error(`invalid CIDR address: ${s}`);
  const ip = (isV6 ? v6 : v4)!;
  return { v6: isV6, bits, base: ip & mask(isV6, bits), ip };
}

function mask(v6: boolean, bits: number): bigint {
  const w = BigInt(width(v6));
  return ((1n << w) - 1n) ^ ((1n << (w - BigInt(bits))) - 1n);
}

function last(c: Cidr): bigint {
  return c.base | ~mask(c.v6, c.bits) & ((1n << BigInt(width(c.v6))) - 1n);
}

export function formatIp(v6: boolean, n: bigint): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join(".");
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  // Longest run of at least two zero groups becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

function cidrText(c: { v6: boolean; base: bigint; bits: number }): string {
  return `${formatIp(c.v6, c.base)}/${c.bits}`;
}

/** A CIDR or a bare IP (as a /32 or /128). */
function cidrOrIp(s: string): Cidr {
  if (s.includes("/")) return parseCidr(s);
  const a = parseIp(s);
  if (!a) throw new Error(`invalid IP address: ${s}`);
  return { v6: a.v6, base: a.n, bits: width(a.v6), ip: a.n };
}

function contains(outer: Cidr, inner: Cidr): boolean {
  if (outer.v6 !== inner.v6) return false;
  return inner.base >= outer.base && last(inner) <= last(outer);
}

function str(v: Value): string {
  if (typeof v !== "string") throw new TypeError("string expected");
  return v;
}

/** Elements of a cidr_contains_matches operand: [key, cidr-or-ip text]. */
function matchItems(v: Value, operand: number): [Value, string][] {
  const el = (x: Value): string => {
    if (typeof x === "string") return x;
    if (isArray(x) && x.length > 0 && typeof x[0] === "string") return x[0];
    throw new TypeError(`net.cidr_contains_matches: operand ${operand}: element must be string or non-empty array`);
  };
  if (typeof v === "string") return [[v, v]];
  if (isArray(v)) return v.map((x, i) => [i, el(x)]);
  if (isSet(v)) return v.items.map((x) => [x, el(x)]);
  if (isObject(v)) return objectEntries(v).map(([k, x]) => [k, el(x)]);
  throw new TypeError(`net.cidr_contains_matches: operand ${operand} must be a string, array, set or object`);
}

function merge(list: Value): Value {
  const items = isArray(list) ? list : isSet(list) ? list.items : undefined;
  if (!items) throw new TypeError("array or set expected");
  const cidrs: Cidr[] = items.map((x) => {
    const s = str(x);
    if (!s.includes("/")) {
      // A bare address gets Go's default (classful) mask; IPv6 has none.
      const a = parseIp(s);
      if (!a) throw new Error(`invalid IP: ${s}`);
      if (a.v6) throw new Error("net.cidr_merge: IPv6 invalid: needs prefix length");
      const first = Number(a.n >> 24n);
      const bits = first < 0x80 ? 8 : first < 0xc0 ? 16 : first < 0xe0 ? 24 : -1;
      if (bits < 0) throw new Error(`net.cidr_merge: IPv4 invalid: needs prefix length`);
      return { v6: false, bits, base: a.n & mask(false, bits), ip: a.n };
    }
    return parseCidr(s);
  });
  const out: string[] = [];
  for (const v6 of [false, true]) {
    // Ranges sorted by start; merged into maximal ranges, then split back into CIDR blocks.
    const ranges = cidrs
      .filter((c) => c.v6 === v6)
      .map((c) => [c.base, last(c)] as [bigint, bigint])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const merged: [bigint, bigint][] = [];
    for (const r of ranges) {
      const top = merged[merged.length - 1];
      if (top && r[0] <= top[1] + 1n) top[1] = r[1] > top[1] ? r[1] : top[1];
      else merged.push([...r]);
    }
    const w = width(v6);
    for (const [a, b] of merged) {
      let start = a;
      while (start <= b) {
        let bits = w;
        while (bits > 0) {
          const size = 1n << BigInt(w - bits + 1);
          if (start % size !== 0n || start + size - 1n > b) break;
          bits--;
        }
        out.push(cidrText({ v6, base: start, bits }));
        start += 1n << BigInt(w - bits);
      }
    }
  }
  return new RSet(out);
}

function expand(s: Value): Value {
  const c = parseCidr(str(s));
  const count = last(c) - c.base + 1n;
  if (count > 65536n) throw new Error("CIDR too large to expand");
  const out: string[] = [];
  for (let n = c.base; n <= last(c); n++) out.push(formatIp(c.v6, n));
  return new RSet(out);
}

export const netBuiltins: Record<string, Builtin> = {
  "net.cidr_contains": (a, b) => contains(parseCidr(str(a)), cidrOrIp(str(b))),
  "net.cidr_intersects": (a, b) => {
    const x = parseCidr(str(a));
    const y = parseCidr(str(b));
    return x.v6 === y.v6 && x.base <= last(y) && y.base <= last(x);
  },
  "net.cidr_overlap": (a, b) => contains(parseCidr(str(a)), cidrOrIp(str(b))),
  "net.cidr_is_valid": (a) => {
    if (typeof a !== "string") return false;
    try {
      parseCidr(a);
      return true;
    } catch {
      return false;
    }
  },
  "net.cidr_expand": expand,
  "net.cidr_merge": merge,
  "net.cidr_contains_matches": (a, b) => {
    const cidrs = matchItems(a, 1);
    const addrs = matchItems(b, 2);
    const out: Value[] = [];
    for (const [ck, cs] of cidrs) {
      const c = parseCidr(cs);
      for (const [ak, as] of addrs) if (contains(c, cidrOrIp(as))) out.push([ck, ak]);
    }
    return new RSet(out);
  },
};
