/**
 * Merging data documents loaded from files into one `data` tree, as OPA's loader does: objects
 * merge key by key; two files defining the same non-object value conflict. Numbers stay exact
 * (`exactJsonText`, `exactYamlValue`).
 */
import { visit, type Document } from "yaml";
import { ExactNum } from "../builtins/value.js";
import { numberFromText, parseJson } from "../builtins/json.js";

/** Merges b into a; returns the conflicting path (dotted) when both define a non-object value. */
export function mergeInto(a: Record<string, unknown>, b: Record<string, unknown>, at: string[] = []): string | undefined {
  for (const [k, v] of Object.entries(b)) {
    const cur = a[k];
    if (cur === undefined) a[k] = v;
    else if (isRecord(cur) && isRecord(v)) {
      const c = mergeInto(cur, v, [...at, k]);
      if (c) return c;
    } else return [...at, k].join(".");
  }
  return undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof ExactNum);
}

/**
 * The JSON text of a document with every number exact: `ExactNum` (from `parseJson` or
 * `exactYamlValue`) and bigint values print their own digits, as OPA keeps `json.Number`. The text
 * goes to the module as is (`RawJson`), so integers past 2^53 never pass through a double.
 */
export function exactJsonText(value: unknown): string {
  const marker = `\u0000${Math.random().toString(36).slice(2)}:`;
  let marked = false;
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof ExactNum) {
      marked = true;
      return marker + v.text;
    }
    if (typeof v === "bigint") {
      marked = true;
      return marker + v.toString();
    }
    return v;
  });
  if (text === undefined) return "null";
  if (!marked) return text;
  const quoted = JSON.stringify(marker).slice(0, -1);
  return text.split(quoted).map((part, i) => (i === 0 ? part : part.replace(/^([^"]*)"/, "$1"))).join("");
}

/**
 * A parsed YAML document's value with numbers as OPA reads YAML (sigs.k8s.io/yaml: go-yaml v2, then
 * JSON with json.Number): an integer go-yaml reads as an int64 or uint64 keeps its digits (an
 * `ExactNum` past 2^53); a larger integer and any float are float64 there, so they are the double
 * nearest to their text (`98765432109876543210` is 98765432109876540000, `1.10` is 1.1).
 */
export function exactYamlValue(doc: Document.Parsed): unknown {
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value !== "number" || typeof node.source !== "string") return;
      const src = node.source.startsWith("+") ? node.source.slice(1) : node.source;
      if (!INTEGER.test(src)) return;
      const n = BigInt(src);
      if (n < -(2n ** 63n) || n > 2n ** 64n - 1n) {
        node.value = Number(src);
        return;
      }
      if (Number.isSafeInteger(Number(src))) return;
      const exact = numberFromText(src);
      if (exact instanceof ExactNum) node.value = exact;
    },
  });
  return doc.toJS({ maxAliasCount: 1000 });
}

/** A JSON document with exact numbers (`parseJson`); a syntax error has JSON.parse's message. */
export function parseJsonExact(text: string): unknown {
  try {
    return parseJson(text);
  } catch {
    JSON.parse(text);
    throw new SyntaxError("invalid JSON");
  }
}

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
