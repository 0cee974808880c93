/**
 * Turns a case's `input_term` (Rego term text) into a JSON value for the SDK, or explains why it
 * cannot be one (sets, non-string keys, refs): such cases are skipped with that reason.
 */
import { parseTerm } from "../rego/index.js";
import type { Term } from "../rego/ast.js";

export type TermResult = { ok: true; value: unknown } | { ok: false; reason: string };

export function inputTermToJson(text: string): TermResult {
  let term: Term;
  try {
    term = parseTerm(text, { file: "input_term", regoVersion: "v1" });
  } catch (e) {
    return { ok: false, reason: `input_term does not parse: ${(e as Error).message.split("\n")[0]}` };
  }
  try {
    return { ok: true, value: toJson(term) };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

function toJson(t: Term): unknown {
  switch (t.type) {
    case "null":
      return null;
    case "boolean":
      return t.value;
    case "number":
      return Number(t.value);
    case "string":
      return t.value;
    case "array":
      return t.items.map(toJson);
    case "object": {
      const o: Record<string, unknown> = {};
      for (const [k, v] of t.items) {
        if (k.type !== "string") throw new Error("input_term is not JSON (object with a non-string key)");
        Object.defineProperty(o, k.value, { value: toJson(v), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
    case "set":
      throw new Error("input_term is not JSON (contains a set)");
    default:
      throw new Error(`input_term is not JSON (contains a ${t.type} term)`);
  }
}
