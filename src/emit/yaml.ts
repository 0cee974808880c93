/**
 * The one YAML serializer for emitted objects: Kubernetes key order first (apiVersion, kind,
 * metadata, spec), block literals for multi-line strings (Rego), no line folding, LF, trailing newline.
 */
import { Scalar, stringify, type ScalarTag, type SchemaOptions, type ToStringOptions } from "yaml";
import { stringifyString } from "yaml/util";
import { goYamlV2Number } from "../engine/builtins/yaml-v2.js";

type StringifyContext = Parameters<typeof stringifyString>[1];

/**
 * Renderings of one-line strings by (position, value). Manifests repeat the same keys and values
 * (`type: string`, `apiVersion`, label names) thousands of times, and rendering a scalar is most of
 * what serializing costs: the yaml package tests each against every implicit type. A one-line
 * string's rendering depends only on whether it is a key, in a flow collection, and its indent;
 * multi-line strings and document markers (whose rendering also changes the surrounding context)
 * are never cached.
 */
const rendered = new Map<string, string[]>();
let renderedCount = 0;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

function renderString(item: Scalar, ctx: StringifyContext, onComment?: () => void, onChompKeep?: () => void): string {
  if (capturing && !ctx.implicitKey) {
    valueContext = { ...ctx };
    capturing = false;
  }
  const value = item.value;
  if (typeof value !== "string" || item.type) return stringifyString(item, { actualString: true, ...ctx }, onComment, onChompKeep);
  // Keyed by the value itself (a string's hash is computed once and kept), then by position. Only
  // cacheable values are ever stored, so a hit needs no further test.
  const position = (ctx.indent.length << 2) | (ctx.implicitKey ? 1 : 0) | (ctx.inFlow ? 2 : 0);
  const byPosition = rendered.get(value);
  const hit = byPosition?.[position];
  if (hit !== undefined) return hit;
  const out = renderUncached(value, item, ctx, onComment, onChompKeep);
  if (value.includes("\n") || DOCUMENT_MARKER.test(value)) return out;
  if (byPosition) byPosition[position] = out;
  else {
    if (renderedCount >= 100_000) {
      rendered.clear();
      renderedCount = 0;
    }
    const fresh: string[] = [];
    fresh[position] = out;
    rendered.set(value, fresh);
  }
  renderedCount++;
  return out;
}

function renderUncached(value: string, item: Scalar, ctx: StringifyContext, onComment?: () => void, onChompKeep?: () => void): string {
  return readsAsAnotherType(value) ? JSON.stringify(value) : stringifyString(item, { actualString: true, ...ctx }, onComment, onChompKeep);
}

/** YAML 1.1's booleans, which the 1.2 core schema prints plain. */
const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/**
 * A string that Kubernetes' reader (sigs.k8s.io/yaml, go-yaml v2: YAML 1.1) would read as a
 * boolean or a number when printed plain, though the `yaml` package's 1.2 core schema prints it
 * plain: `yes`, `on`, `1_000`, `0b101`, `1e+3`. Such a string is double-quoted, so that
 * `kubectl apply`, gator and YAML 1.2 readers all read back the string.
 */
function readsAsAnotherType(value: string): boolean {
  return YAML11_BOOL.test(value) || goYamlV2Number(value) !== undefined;
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

/** A YAML sequence (e.g. a report's list of results), serialized like every manifest. */
export function toYamlSequence(items: readonly unknown[]): string {
  const text = stringify(items, options);
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** The context the yaml package renders a nested block mapping's values in, as `toYaml` sets it up. */
let valueContext: StringifyContext | undefined;
let capturing = false;
/** `yamlValueString`'s renderings of short values (the repeated ones: names of kinds, rules, files). */
const values = new Map<string, string>();

/**
 * A one-line string as `toYaml` writes it as the value of a nested block mapping's key: plain, or
 * quoted where plain style would read back as another type or not at all. The same code renders
 * it (`renderString`'s), so a writer that prints objects of a known shape field by field (a
 * report's results, streamed) writes `toYaml`'s bytes without building the yaml package's
 * document of each. Unlike `renderString`, long values are not cached: a report's messages and
 * names are mostly unique, and would only fill the cache. Undefined for a string with a line
 * break: its rendering depends on its indent.
 */
export function yamlValueString(value: string): string | undefined {
  if (value.includes("\n")) return undefined;
  const hit = values.get(value);
  if (hit !== undefined) return hit;
  if (!valueContext) {
    capturing = true;
    try {
      stringify({ key: { key: "value" } }, options);
    } finally {
      capturing = false;
    }
    if (!valueContext) throw new Error("the yaml package rendered no value");
  }
  const out = renderUncached(value, new Scalar(value), valueContext);
  if (value.length <= 64) {
    if (values.size >= 4096) values.clear();
    values.set(value, out);
  }
  return out;
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
