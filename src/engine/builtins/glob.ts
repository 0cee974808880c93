/**
 * `glob.match` and `glob.quote_meta` with the semantics of gobwas/glob, which OPA uses: `*` matches
 * any run of non-delimiter characters, `**` any run at all, `?` one non-delimiter character,
 * `[abc]`/`[!abc]`/`[a-z]` character classes, `{a,b}` alternatives, `\` escapes. Delimiters
 * default to `.` when given as an empty array and are none when `null`. A glob compiles to an RE2
 * pattern (re2js), so matching stays linear whatever the pattern — a JS RegExp could backtrack
 * without bound on patterns with many stars, and host calls are outside the evaluation budget.
 */
import { RE2JS } from "re2js";
import { type Value, isArray } from "./value.js";
import type { Builtin } from "./tagged.js";

const cache = new Map<string, RE2JS>();

function escapeClassChar(c: string): string {
  return /[\\\]\[^-]/.test(c) ? "\\" + c : c;
}

function escapeRe(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|-]/g, "\\$&");
}

export function compileGlob(pattern: string, delimiters: string[]): RE2JS {
  const key = JSON.stringify([pattern, delimiters]);
  const hit = cache.get(key);
  if (hit) return hit;
  const chars = Array.from(pattern);
  const notDelim = delimiters.length === 0 ? "." : `[^${delimiters.map(escapeClassChar).join("")}]`;
  let i = 0;

  // Parses until one of `stops` (at brace depth of this call) or the end.
  function seq(inBraces: boolean): string {
    let out = "";
    while (i < chars.length) {
      const c = chars[i]!;
      if (inBraces && (c === "," || c === "}")) return out;
      i++;
      switch (c) {
        case "*":
          if (chars[i] === "*") {
            while (chars[i] === "*") i++;
            out += ".*";
          } else out += notDelim + "*";
          break;
        case "?":
          out += notDelim;
          break;
        case "\\":
          if (i >= chars.length) throw new Error("unexpected end of glob after escape");
          out += escapeRe(chars[i++]!);
          break;
        case "[": {
          let negate = false;
          if (chars[i] === "!") {
            negate = true;
            i++;
          }
          let body = "";
          let closed = false;
          let n = 0;
          while (i < chars.length) {
            const d = chars[i++]!;
            if (d === "]") {
              closed = true;
              break;
            }
            if (chars[i] === "-" && chars[i + 1] !== undefined && chars[i + 1] !== "]") {
              const e = chars[i + 1]!;
              i += 2;
              if (e < d) throw new Error("invalid glob range");
              body += `${escapeClassChar(d)}-${escapeClassChar(e)}`;
            } else body += escapeClassChar(d);
            n++;
          }
          if (!closed || n === 0) throw new Error("unclosed glob class");
          out += `[${negate ? "^" : ""}${body}]`;
          break;
        }
        case "{": {
          const alts: string[] = [];
          for (;;) {
            alts.push(seq(true));
            if (i >= chars.length) throw new Error("unclosed glob alternatives");
            const d = chars[i++]!;
            if (d === "}") break;
          }
          out += `(?:${alts.join("|")})`;
          break;
        }
        default:
          out += escapeRe(c);
      }
    }
    if (inBraces) throw new Error("unclosed glob alternatives");
    return out;
  }

  const re = RE2JS.compile(`^(?:${seq(false)})$`, RE2JS.DOTALL);
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}

function globMatch(pattern: Value, delims: Value, match: Value): Value | undefined {
  if (typeof pattern !== "string" || typeof match !== "string") return undefined;
  let ds: string[];
  if (delims === null) ds = [];
  else if (isArray(delims)) {
    ds = [];
    for (const d of delims) {
      if (typeof d !== "string") return undefined;
      const first = Array.from(d)[0];
      if (first !== undefined) ds.push(first);
    }
    if (delims.length === 0) ds = ["."];
  } else return undefined;
  return compileGlob(pattern, ds).matches(match);
}

/** gobwas/glob's QuoteMeta escapes the glob metacharacters. */
function quoteMeta(s: Value): Value | undefined {
  if (typeof s !== "string") return undefined;
  return s.replace(/[*?\\[\]{}]/g, "\\$&");
}

export const globBuiltins: Record<string, Builtin> = {
  "glob.match": globMatch,
  "glob.quote_meta": quoteMeta,
};
