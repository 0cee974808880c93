/**
 * Text forms of values as Go OPA prints them: Rego term syntax (what `sprintf("%v", [x])` shows
 * for composites), Go's `strconv.Quote`, and Go's `encoding/json` output for `json.marshal`.
 */
import { ExactNum, RSet, type Value, isObject, objectEntries, toDecimal, decimalText, isJsonNumberText } from "./value.js";

/**
 * The text of a number as OPA keeps it: a number read from source or JSON as written (`1.0`, `1e3`),
 * integers exactly, other doubles shortest round-trip.
 */
export function numberText(n: number | ExactNum): string {
  if (n instanceof ExactNum) {
    if (isJsonNumberText(n.text)) return n.text;
    const d = toDecimal(n);
    return d ? decimalText(d) : n.text;
  }
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(n);
}

/** Go's strconv.Quote: printable runes stay, the rest is escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\v":
        out += "\\v";
        continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (c < 0x80 || isPrint(ch)) out += ch;
    else if (c < 0x10000) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += "\\U" + c.toString(16).padStart(8, "0");
  }
  return out + '"';
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
function isPrint(ch: string): boolean {
  return printable.test(ch);
}

/** Rego term syntax, as OPA's `ast.Term.String()` prints it. */
export function regoText(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number" || v instanceof ExactNum) return numberText(v);
  if (typeof v === "string") return goQuote(v);
  if (Array.isArray(v)) return `[${v.map(regoText).join(", ")}]`;
  if (v instanceof RSet) return v.size === 0 ? "set()" : `{${v.items.map(regoText).join(", ")}}`;
  if (isObject(v)) return `{${objectEntries(v).map(([k, x]) => `${regoText(k)}: ${regoText(x)}`).join(", ")}}`;
  return String(v);
}

/** Go's json.Marshal of the value's JSON form (sorted keys, HTML-safe escapes). */
export function goJson(v: Value, indent?: { prefix: string; indent: string }, depth = 0): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number" || v instanceof ExactNum) return numberText(v);
  if (typeof v === "string") return goJsonString(v);
  const nl = (d: number) => (indent ? "\n" + indent.prefix + indent.indent.repeat(d) : "");
  const sep = indent ? ": " : ":";
  if (Array.isArray(v) || v instanceof RSet) {
    const items = Array.isArray(v) ? v : v.items;
    if (items.length === 0) return "[]";
    return "[" + items.map((x) => nl(depth + 1) + goJson(x, indent, depth + 1)).join(",") + nl(depth) + "]";
  }
  if (isObject(v)) {
    const entries = objectEntries(v).map(([k, x]) => [typeof k === "string" ? k : regoTextKey(k), x] as const);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (entries.length === 0) return "{}";
    return (
      "{" +
      entries.map(([k, x]) => nl(depth + 1) + goJsonString(k) + sep + goJson(x, indent, depth + 1)).join(",") +
      nl(depth) +
      "}"
    );
  }
  return "null";
}

/** OPA's JSON conversion turns non-string keys into their JSON text. */
function regoTextKey(k: Value): string {
  return goJson(k);
}

export function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029) {
      out += "\\u" + c.toString(16).padStart(4, "0");
    } else out += ch;
  }
  return out + '"';
}
