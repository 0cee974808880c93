/**
 * String built-ins with Go semantics: offsets and lengths count code points (Go runes), sets are
 * walked in sorted order, and any type error makes the call undefined.
 */
import { type Value, ExactNum, RSet, isArray, isNumber, isSet, isObject, objectEntries, toFloat, toBigInt, toDecimal } from "./value.js";
import { regoText } from "./format.js";
import type { Builtin } from "./tagged.js";

const runes = (s: string): string[] => Array.from(s);

function str(v: Value): string {
  if (typeof v !== "string") throw new TypeError("string expected");
  return v;
}

function strings(v: Value): string[] {
  const items = isArray(v) ? v : isSet(v) ? v.items : undefined;
  if (!items) throw new TypeError("array or set expected");
  return items.map(str);
}

/** A string, or an array/set of strings, as a list. */
function stringOrList(v: Value): string[] {
  return typeof v === "string" ? [v] : strings(v);
}

function runeIndex(s: string, sub: string): number {
  const i = s.indexOf(sub);
  return i < 0 ? -1 : runes(s.slice(0, i)).length;
}

/** Go's strings.Split: an empty separator splits into runes. */
export function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === "") {
    const r = runes(s);
    if (n > 0 && r.length > n) return [...r.slice(0, n - 1), r.slice(n - 1).join("")];
    return r;
  }
  const parts = s.split(sep);
  if (n > 0 && parts.length > n) return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
  return parts;
}

/** Go's strings.ReplaceAll (an empty `old` inserts `new` around every rune). */
export function goReplaceAll(s: string, old: string, nw: string): string {
  if (old === "") {
    const r = runes(s);
    return nw + r.map((c) => c + nw).join("");
  }
  return s.split(old).join(nw);
}

/**
 * Go maps case rune by rune (unicode.ToUpper/ToLower), never expanding one rune into several as
 * JS does for "ß" → "SS"; a multi-rune JS mapping keeps the rune (upper) or its first rune (lower).
 */
function goUpper(s: string): string {
  let out = "";
  for (const c of s) {
    const u = c.toUpperCase();
    out += [...u].length === 1 ? u : c;
  }
  return out;
}

function goLower(s: string): string {
  let out = "";
  for (const c of s) out += [...c.toLowerCase()][0] ?? c;
  return out;
}

const isGoSpace = (c: string) => /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(c);

function trimWith(s: string, drop: (c: string) => boolean, left: boolean, right: boolean): string {
  const r = runes(s);
  let a = 0;
  let b = r.length;
  if (left) while (a < b && drop(r[a]!)) a++;
  if (right) while (b > a && drop(r[b - 1]!)) b--;
  return r.slice(a, b).join("");
}

function cutset(c: string): (ch: string) => boolean {
  const set = new Set(runes(c));
  return (ch) => set.has(ch);
}

function formatInt(n: Value, base: Value): Value | undefined {
  if (!isNumber(n) || !isNumber(base)) return undefined;
  const b = toBigInt(base);
  if (b !== 2n && b !== 8n && b !== 10n && b !== 16n) return undefined;
  // Go truncates the big.Float toward zero.
  const d = toDecimal(n);
  if (!d) return undefined;
  let i: bigint;
  if (d.e >= 0) i = d.m * 10n ** BigInt(d.e);
  else i = d.m / 10n ** BigInt(-d.e);
  const neg = i < 0n;
  return (neg ? "-" : "") + (neg ? -i : i).toString(Number(b));
}

/** Go's strings.NewReplacer: at each position the first matching old string (in order) wins. */
function replaceN(patterns: Value, s: Value): Value | undefined {
  if (!isObject(patterns) || typeof s !== "string") return undefined;
  const pairs: [string, string][] = [];
  for (const [k, v] of objectEntries(patterns)) {
    if (typeof k !== "string" || typeof v !== "string") return undefined;
    pairs.push([k, v]);
  }
  let out = "";
  let i = 0;
  outer: while (i <= s.length) {
    for (const [k, v] of pairs) {
      if (k === "") continue;
      if (s.startsWith(k, i)) {
        out += v;
        i += k.length;
        continue outer;
      }
    }
    if (i < s.length) {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out += ch;
      i += ch.length;
    } else break;
  }
  return out;
}

function goCount(s: string, sub: string): number {
  if (sub === "") return runes(s).length + 1;
  let n = 0;
  let i = 0;
  for (;;) {
    const j = s.indexOf(sub, i);
    if (j < 0) return n;
    n++;
    i = j + sub.length;
  }
}

/** The text a value contributes to a template string (strings raw, the rest as Rego text). */
function templateText(v: Value): string {
  return typeof v === "string" ? v : regoText(v);
}

/**
 * `internal.template_string(parts)`: literal parts are strings; each `{expr}` part arrives as the
 * set of the expression's values, so an undefined expression prints `<undefined>`.
 */
function templateString(parts: Value): Value | undefined {
  if (!isArray(parts)) return undefined;
  let out = "";
  for (const p of parts) {
    if (p instanceof RSet) {
      if (p.size === 0) out += "<undefined>";
      else if (p.size === 1) out += templateText(p.items[0]!);
      else throw new Error("template-strings must not produce multiple outputs");
    } else out += templateText(p);
  }
  return out;
}

export const stringBuiltins: Record<string, Builtin> = {
  concat: (d, coll) => strings(coll).join(str(d)),
  contains: (s, sub) => str(s).includes(str(sub)),
  startswith: (s, p) => str(s).startsWith(str(p)),
  endswith: (s, p) => str(s).endsWith(str(p)),
  format_int: formatInt,
  indexof: (s, sub) => runeIndex(str(s), str(sub)),
  indexof_n: (s, sub) => {
    const a = str(s);
    const b = str(sub);
    const out: number[] = [];
    if (b === "") return out;
    let i = a.indexOf(b);
    while (i >= 0) {
      out.push(runes(a.slice(0, i)).length);
      i = a.indexOf(b, i + 1);
    }
    return out;
  },
  lower: (s) => goLower(str(s)),
  upper: (s) => goUpper(str(s)),
  replace: (s, o, n) => goReplaceAll(str(s), str(o), str(n)),
  split: (s, d) => goSplit(str(s), str(d)),
  substring: (s, start, len) => {
    const r = runes(str(s));
    const a = toBigInt(start);
    const l = toBigInt(len);
    if (a === undefined || l === undefined) return undefined;
    if (a < 0n) return undefined;
    if (a >= BigInt(r.length)) return "";
    const from = Number(a);
    if (l < 0n) return r.slice(from).join("");
    const to = Math.min(r.length, from + Number(l > BigInt(r.length) ? BigInt(r.length) : l));
    return r.slice(from, to).join("");
  },
  trim: (s, c) => trimWith(str(s), cutset(str(c)), true, true),
  trim_left: (s, c) => trimWith(str(s), cutset(str(c)), true, false),
  trim_right: (s, c) => trimWith(str(s), cutset(str(c)), false, true),
  trim_prefix: (s, p) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)),
  trim_suffix: (s, p) => {
    const a = str(s);
    const b = str(p);
    return b !== "" && a.endsWith(b) ? a.slice(0, a.length - b.length) : a;
  },
  trim_space: (s) => trimWith(str(s), isGoSpace, true, true),
  "strings.reverse": (s) => runes(str(s)).reverse().join(""),
  "strings.replace_n": replaceN,
  "strings.count": (s, sub) => goCount(str(s), str(sub)),
  "strings.any_prefix_match": (search, base) => {
    const a = stringOrList(search);
    const b = stringOrList(base);
    return a.some((x) => b.some((p) => x.startsWith(p)));
  },
  "strings.any_suffix_match": (search, base) => {
    const a = stringOrList(search);
    const b = stringOrList(base);
    return a.some((x) => b.some((p) => x.endsWith(p)));
  },
  "internal.template_string": templateString,
  to_number: (v) => {
    if (v === null) return 0;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (isNumber(v)) return v;
    if (typeof v !== "string") return undefined;
    // Go's strconv.ParseFloat syntax, kept exact through a decimal.
    const t = v;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
      if (/^[+-]?(inf|infinity|nan)$/i.test(t)) return undefined;
      if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) return undefined;
      return undefined;
    }
    const d = toDecimal(new ExactNum(t.replace(/^\+/, "")));
    if (!d) return undefined;
    const f = toFloat(new ExactNum(t));
    if (!Number.isFinite(f)) return undefined;
    return new ExactNum(t.replace(/^\+/, ""));
  },
};
