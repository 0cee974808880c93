/**
 * Objects printed as gator's Go encoders print them, for commands whose output users compare with
 * gator's byte for byte (`policyc expand`, as `gator expand`):
 *   - YAML: the object goes through `encoding/json` and back (every number becomes a float64) and
 *     is written by go-yaml v2: keys sorted, sequences not indented under their key, numbers in
 *     Go's shortest `%g` form (`80`, `1.5`, `1e+06`), strings plain when go-yaml would read them
 *     back as strings, double-quoted when they would read as another type (`"80"`, `"yes"`, `""`),
 *     single-quoted when plain style cannot hold them (`'*.example.com'`), literal blocks for
 *     multi-line text;
 *   - JSON: `json.MarshalIndent` of an unstructured object: keys sorted, `<`, `>` and `&` escaped
 *     as `encoding/json` escapes them.
 */
import { Document, isScalar, visit } from "yaml";
import { goYamlV2Number, goYamlV2Tags } from "../engine/builtins/yaml-v2.js";
import { formatG } from "../engine/builtins/sprintf.js";

/**
 * Go compares strings byte-wise (UTF-8); JavaScript's `<` compares UTF-16 units. The two orders
 * agree on code units outside the surrogates (UTF-8 keeps code point order), so strings are
 * compared unit by unit and encoded only when they first differ at a surrogate (a character
 * above U+FFFF, or a lone surrogate, which UTF-8 writes as U+FFFD). A string that is a prefix of
 * the other sorts first in both orders.
 */
export function compareGo(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if ((x >= 0xd800 && x <= 0xdfff) || (y >= 0xd800 && y <= 0xdfff)) return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** A deep copy with every mapping's keys in Go's map order (sorted), as Go's encoders write maps. */
export function sortMapKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => sortMapKeys(v)) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort(compareGo)) out[k] = sortMapKeys((value as Record<string, unknown>)[k]);
  return out as T;
}

/** Go's `strconv.FormatFloat(f, 'g', -1, 64)`, with YAML's names for the special values. */
export function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return ".nan";
  if (!Number.isFinite(f)) return f > 0 ? ".inf" : "-.inf";
  return formatG(f, undefined);
}

const BOOL_OR_NULL = new Set(
  "~ null Null NULL y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF <<".split(" "),
);
const SPECIAL_FLOAT = /^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt ]|[ \t]+)/;

/** Whether go-yaml v2 would read `s`, written plain, as something other than this string. */
export function goYamlV2Ambiguous(s: string): boolean {
  return s === "" || BOOL_OR_NULL.has(s) || SPECIAL_FLOAT.test(s) || goYamlV2Number(s) !== undefined || BASE60_FLOAT.test(s) || TIMESTAMP.test(s);
}

/** Through JSON and back, as gator does before encoding: numbers become float64. */
function jsonRoundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** Every number is a float64 by the time go-yaml sees it, written in Go's `%g` form. */
const goFloat = {
  identify: (v: unknown) => typeof v === "number",
  default: true,
  tag: "tag:yaml.org,2002:float",
  test: /^(?!)/,
  stringify: (node: { value: unknown }) => goFormatFloat(node.value as number),
};
const goTags = (tags: unknown[]) => [goFloat, ...(goYamlV2Tags(tags) as unknown[])] as never;

/** One object as go-yaml v2 writes it, ending with a newline. */
export function toGoYaml(value: unknown): string {
  const doc = new Document(sortMapKeys(jsonRoundTrip(value)), { version: "1.1", customTags: goTags });
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === "string" && !node.value.includes("\n") && goYamlV2Ambiguous(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  const text = doc.toString({ indentSeq: false, lineWidth: 0, minContentWidth: 0, singleQuote: true, directives: false });
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** `json.MarshalIndent` of one object with four-space indentation (no trailing newline, as Go's). */
export function toGoJson(value: unknown): string {
  return JSON.stringify(sortMapKeys(value), null, 4)
    .replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
