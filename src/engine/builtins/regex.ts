/**
 * Regex built-ins with RE2 syntax and Go `regexp` semantics, on the re2js port of RE2. Match
 * iteration follows Go's `allMatches` (an empty match right after a previous match is skipped),
 * which is what `regex.split`, `regex.find_n` and `regex.replace` build on.
 */
import { RE2JS } from "re2js";
import { type Value, isNumber, toInt } from "./value.js";
import type { Builtin } from "./tagged.js";
import { globsMatch } from "./globs-match.js";

const cache = new Map<string, RE2JS>();

export function compileRegex(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    if (cache.size > 500) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

function str(v: Value): string {
  if (typeof v !== "string") throw new TypeError("string expected");
  return v;
}

/** Every match as group offsets [start0, end0, start1, end1, ...] (-1 for unmatched groups). */
export function allMatches(re: RE2JS, s: string, n: number): number[][] {
  const out: number[][] = [];
  const m = re.matcher(s);
  const groups = m.groupCount();
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    if (!m.find(pos)) break;
    const start = m.start();
    const end = m.end();
    let accept = true;
    if (end === start) {
      if (start === prevEnd) accept = false;
      // Step over one rune, as Go does on UTF-8.
      const cp = s.codePointAt(end);
      pos = end + (cp === undefined ? 1 : cp > 0xffff ? 2 : 1);
    } else pos = end;
    prevEnd = end;
    if (accept) {
      const g: number[] = [];
      for (let i = 0; i <= groups; i++) {
        const a = m.start(i);
        g.push(a, a < 0 ? -1 : m.end(i));
      }
      out.push(g);
    }
  }
  return out;
}

/** Go's Regexp.Split(s, -1). */
export function regexSplit(re: RE2JS, s: string): string[] {
  if (re.pattern().length > 0 && s.length === 0) return [""];
  const matches = allMatches(re, s, -1);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const mt of matches) {
    end = mt[0]!;
    if (mt[1] !== 0) out.push(s.slice(beg, end));
    beg = mt[1]!;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's Regexp.Expand template: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, s: string, groups: number[], names: Record<string, number>): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf("$", i);
    if (d < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === "$") {
      out += "$";
      i++;
      continue;
    }
    let name: string | undefined;
    if (template[i] === "{") {
      const close = template.indexOf("}", i);
      const inner = close < 0 ? "" : template.slice(i + 1, close);
      if (close >= 0 && /^\w+$/.test(inner)) {
        name = inner;
        i = close + 1;
      }
    } else {
      const m = /^\w+/.exec(template.slice(i));
      if (m) {
        name = m[0];
        i += name.length;
      }
    }
    if (name === undefined) {
      out += "$";
      continue;
    }
    let idx: number | undefined;
    if (/^[0-9]+$/.test(name)) idx = Number(name);
    else idx = names[name];
    if (idx !== undefined && idx * 2 + 1 < groups.length && groups[idx * 2]! >= 0) {
      out += s.slice(groups[idx * 2]!, groups[idx * 2 + 1]!);
    }
  }
  return out;
}

function replaceAll(s: string, pattern: string, repl: string): string {
  const re = compileRegex(pattern);
  const names = re.namedGroups();
  const matches = allMatches(re, s, -1);
  let out = "";
  let last = 0;
  for (const g of matches) {
    out += s.slice(last, g[0]!) + expand(repl, s, g, names);
    last = g[1]!;
  }
  return out + s.slice(last);
}

function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

/** `regex.template_match`: delimited parts are regexes, the rest literal, anchored at both ends. */
function templateMatch(template: Value, value: Value, open: Value, close: Value): Value | undefined {
  const t = str(template);
  const s = str(value);
  const o = str(open);
  const c = str(close);
  if ([...o].length !== 1 || [...c].length !== 1) return undefined;
  let pattern = "^";
  let i = 0;
  while (i < t.length) {
    const a = t.indexOf(o, i);
    if (a < 0) {
      pattern += quoteMeta(t.slice(i));
      break;
    }
    // Find the matching close delimiter, allowing nested delimiters inside the regex.
    let depth = 0;
    let b = -1;
    for (let j = a; j < t.length; j++) {
      if (t[j] === o) depth++;
      else if (t[j] === c) {
        depth--;
        if (depth === 0) {
          b = j;
          break;
        }
      }
    }
    if (b < 0) throw new Error(`unbalanced braces in ${t}`);
    pattern += quoteMeta(t.slice(i, a)) + "(" + t.slice(a + 1, b) + ")";
    i = b + 1;
  }
  pattern += "$";
  return compileRegex(pattern).matcher(s).find();
}

function count(n: Value): number {
  if (!isNumber(n)) throw new TypeError("number expected");
  const i = toInt(n);
  if (i === undefined) throw new TypeError("integer expected");
  return i;
}

const match: Builtin = (p, v) => compileRegex(str(p)).matcher(str(v)).find();

export const regexBuiltins: Record<string, Builtin> = {
  "regex.match": match,
  re_match: match,
  "regex.is_valid": (p) => {
    if (typeof p !== "string") return false;
    try {
      compileRegex(p);
      return true;
    } catch {
      return false;
    }
  },
  "regex.split": (p, s) => regexSplit(compileRegex(str(p)), str(s)),
  "regex.find_n": (p, s, n) => {
    const text = str(s);
    return allMatches(compileRegex(str(p)), text, count(n)).map((g) => text.slice(g[0]!, g[1]!));
  },
  "regex.find_all_string_submatch_n": (p, s, n) => {
    const text = str(s);
    return allMatches(compileRegex(str(p)), text, count(n)).map((g) => {
      const row: string[] = [];
      for (let i = 0; i < g.length; i += 2) row.push(g[i]! < 0 ? "" : text.slice(g[i]!, g[i + 1]!));
      return row;
    });
  },
  "regex.replace": (s, p, r) => replaceAll(str(s), str(p), str(r)),
  "regex.template_match": templateMatch,
  "regex.globs_match": (a, b) => globsMatch(str(a), str(b)),
};
