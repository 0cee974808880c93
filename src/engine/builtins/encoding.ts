/**
 * Encodings with Go's strictness: `base64.*` (padding required), `base64url.*` (padding optional on
 * decode), `hex.*`, `urlquery.*` (Go's QueryEscape/ParseQuery).
 */
import { type Value, type PlainObject, isArray, isSet, isObject, objectEntries, setKey, objectGet } from "./value.js";
import type { Builtin } from "./tagged.js";

function str(v: Value): string {
  if (typeof v !== "string") throw new TypeError("string expected");
  return v;
}

const stdB64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const urlB64 = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;

function stripNewlines(s: string): string {
  return s.replace(/[\r\n]/g, "");
}

function b64decode(s: string): string {
  const t = stripNewlines(s);
  if (!stdB64.test(t)) throw new Error("illegal base64 data");
  return Buffer.from(t, "base64").toString("utf8");
}

function b64urlDecode(s: string): string {
  let t = stripNewlines(s);
  if (!t.endsWith("=")) {
    const r = t.length % 4;
    if (r === 2) t += "==";
    else if (r === 3) t += "=";
    else if (r === 1) throw new Error("illegal base64 data");
  }
  if (!urlB64.test(t)) throw new Error("illegal base64 data");
  return Buffer.from(t, "base64url").toString("utf8");
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Go's url.QueryUnescape (errors on malformed escapes). */
export function queryUnescape(s: string): string {
  const bytes: number[] = [];
  const src = Buffer.from(s, "utf8");
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b === 0x25) {
      const h = src.subarray(i + 1, i + 3).toString("latin1");
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new Error("invalid URL escape");
      bytes.push(parseInt(h, 16));
      i += 2;
    } else if (b === 0x2b) bytes.push(0x20);
    else bytes.push(b);
  }
  return Buffer.from(bytes).toString("utf8");
}

function encodeObject(o: Value): Value | undefined {
  if (!isObject(o)) return undefined;
  const parts: string[] = [];
  for (const [k, v] of objectEntries(o)) {
    const key = queryEscape(str(k));
    if (typeof v === "string") parts.push(`${key}=${queryEscape(v)}`);
    else if (isArray(v) || isSet(v)) {
      const items = isArray(v) ? v : v.items;
      for (const x of items) parts.push(`${key}=${queryEscape(str(x))}`);
    } else throw new TypeError("values must be strings, arrays or sets of strings");
  }
  return parts.join("&");
}

function decodeObject(s: Value): Value | undefined {
  const out: PlainObject = {};
  for (const part of str(s).split(/[&]/)) {
    if (part === "") continue;
    if (part.includes(";")) throw new Error("invalid semicolon separator in query");
    const eq = part.indexOf("=");
    const k = queryUnescape(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? "" : queryUnescape(part.slice(eq + 1));
    const prev = objectGet(out, k);
    setKey(out, k, [...(isArray(prev ?? null) ? (prev as Value[]) : []), v]);
  }
  return out;
}

export const encodingBuiltins: Record<string, Builtin> = {
  "base64.encode": (s) => Buffer.from(str(s), "utf8").toString("base64"),
  "base64.decode": (s) => b64decode(str(s)),
  "base64.is_valid": (s) => typeof s === "string" && stdB64.test(stripNewlines(s)),
  "base64url.encode": (s) => Buffer.from(str(s), "utf8").toString("base64").replace(/\+/g, "-").replace(/\//g, "_"),
  "base64url.encode_no_pad": (s) => Buffer.from(str(s), "utf8").toString("base64url"),
  "base64url.decode": (s) => b64urlDecode(str(s)),
  "hex.encode": (s) => Buffer.from(str(s), "utf8").toString("hex"),
  "hex.decode": (s) => {
    const t = str(s);
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(t)) throw new Error("invalid hex");
    return Buffer.from(t, "hex").toString("utf8");
  },
  "urlquery.encode": (s) => queryEscape(str(s)),
  "urlquery.decode": (s) => queryUnescape(str(s)),
  "urlquery.encode_object": encodeObject,
  "urlquery.decode_object": decodeObject,
};
