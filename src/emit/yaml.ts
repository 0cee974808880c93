/**
 * The one YAML serializer for emitted objects: Kubernetes key order first (apiVersion, kind,
 * metadata, spec), block literals for multi-line strings (Rego), no line folding, LF, trailing newline.
 */
import { stringify, type Scalar, type ScalarTag, type SchemaOptions, type ToStringOptions } from "yaml";
import { stringifyString } from "yaml/util";

type StringifyContext = Parameters<typeof stringifyString>[1];

/**
 * Renderings of one-line strings by (position, value). Manifests repeat the same keys and values
 * (`type: string`, `apiVersion`, label names) thousands of times, and rendering a scalar is most of
 * what serializing costs: the yaml package tests each against every implicit type. A one-line
 * string's rendering depends only on whether it is a key, in a flow collection, and its indent;
 * multi-line strings and document markers (whose rendering also changes the surrounding context)
 * are never cached.
 */
const rendered = new Map<string, string>();
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

function renderString(item: Scalar, ctx: StringifyContext, onComment?: () => void, onChompKeep?: () => void): string {
  const full = { actualString: true, ...ctx };
  const value = item.value;
  if (typeof value !== "string" || item.type || value.includes("\n") || DOCUMENT_MARKER.test(value)) {
    return stringifyString(item, full, onComment, onChompKeep);
  }
  const key = `${ctx.implicitKey ? "k" : "v"}${ctx.inFlow ? "f" : "b"}${ctx.indent.length}:${value}`;
  let out = rendered.get(key);
  if (out === undefined) {
    if (rendered.size >= 100_000) rendered.clear();
    out = stringifyString(item, full, onComment, onChompKeep);
    rendered.set(key, out);
  }
  return out;
}

const STR = "tag:yaml.org,2002:str";
const options = {
  lineWidth: 0,
  minContentWidth: 0,
  indent: 2,
  aliasDuplicateObjects: false,
  // No walk over the whole document looking for custom tags (plain data has none, so no `%TAG`/`---`
  // would be printed anyway); ~5% of serializing a template.
  directives: false,
  // The yaml package's own string tag, with its renderings cached (above).
  customTags: (tags) => tags.map((t) => (typeof t === "object" && t.tag === STR ? ({ ...t, stringify: renderString } as ScalarTag) : t)),
} satisfies ToStringOptions & SchemaOptions & Record<string, unknown>;

const FIRST = ["apiVersion", "kind", "metadata", "spec"];

/** A copy with apiVersion/kind/metadata/spec first at the top level; other keys keep their order. */
export function orderTopLevel<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const k of FIRST) if (k in obj) out[k] = obj[k];
  for (const [k, v] of Object.entries(obj)) if (!(k in out)) out[k] = v;
  return out as T;
}

export function toYaml(obj: Record<string, unknown>): string {
  const text = stringify(orderTopLevel(obj), options);
  return text.endsWith("\n") ? text : `${text}\n`;
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
