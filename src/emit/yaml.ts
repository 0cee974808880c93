/**
 * The one YAML serializer for emitted objects: Kubernetes key order first (apiVersion, kind,
 * metadata, spec), block literals for multi-line strings (Rego), no line folding, LF, trailing newline.
 */
import { stringify } from "yaml";

const FIRST = ["apiVersion", "kind", "metadata", "spec"];

/** A copy with apiVersion/kind/metadata/spec first at the top level; other keys keep their order. */
export function orderTopLevel<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const k of FIRST) if (k in obj) out[k] = obj[k];
  for (const [k, v] of Object.entries(obj)) if (!(k in out)) out[k] = v;
  return out as T;
}

export function toYaml(obj: Record<string, unknown>): string {
  // directives: false skips a walk over the whole document looking for custom tags (plain data has
  // none, so no `%TAG`/`---` would be printed anyway); ~5% of serializing a template.
  const text = stringify(orderTopLevel(obj), { lineWidth: 0, minContentWidth: 0, indent: 2, aliasDuplicateObjects: false, directives: false });
  return text.endsWith("\n") ? text : `${text}\n`;
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
