/**
 * The one YAML serializer for emitted objects: Kubernetes key order first (apiVersion, kind,
 * metadata, spec), block literals for multi-line strings (Rego), no line folding, LF, trailing newline.
 * Whole documents go through the yaml package; reports streamed item by item (`policyc check -o
 * yaml|policy-report`) go through the block writer (`yamlSequenceItem`), which lays out plain data
 * as the package does and renders its scalars with the package's own code, byte for byte the same.
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
 * are never cached. A cache is emptied when it holds `limit` renderings.
 */
class RenderCache {
  /** By position, then by value (a string's hash is computed once and kept). */
  private readonly byPosition: Map<string, string>[] = [];
  private count = 0;

  constructor(private readonly limit: number) {}

  /** A string's rendering at its position, from the cache or rendered (`item`: its node, made when undefined). */
  render(value: string, item: Scalar | undefined, ctx: StringifyContext, onComment?: () => void, onChompKeep?: () => void): string {
    // Only cacheable values are ever stored, so a hit needs no further test.
    const position = (ctx.indent.length << 2) | (ctx.implicitKey ? 1 : 0) | (ctx.inFlow ? 2 : 0);
    const cache = (this.byPosition[position] ??= new Map());
    const hit = cache.get(value);
    if (hit !== undefined) return hit;
    const out = renderUncached(value, item ?? new Scalar(value), ctx, onComment, onChompKeep);
    if (value.includes("\n") || DOCUMENT_MARKER.test(value)) return out;
    if (this.count >= this.limit) {
      for (const m of this.byPosition) m?.clear();
      this.count = 0;
    }
    cache.set(value, out);
    this.count++;
    return out;
  }
}

/** The documents' cache (`toYaml`): a build's manifests share most of their strings. */
const documentStrings = new RenderCache(100_000);
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

function renderString(item: Scalar, ctx: StringifyContext, onComment?: () => void, onChompKeep?: () => void): string {
  if (capturing && !ctx.implicitKey) {
    valueContext = { ...ctx };
    capturing = false;
  }
  const value = item.value;
  if (typeof value !== "string" || item.type) return stringifyString(item, { actualString: true, ...ctx }, onComment, onChompKeep);
  return documentStrings.render(value, item, ctx, onComment, onChompKeep);
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

function capturedValueContext(): StringifyContext {
  if (!valueContext) {
    capturing = true;
    try {
      stringify({ key: { key: "value" } }, options);
    } finally {
      capturing = false;
    }
    if (!valueContext) throw new Error("the yaml package rendered no value");
  }
  return valueContext;
}

/**
 * The contexts the yaml package renders a block collection's strings in, by position: index
 * `indent.length * 2 + 1` for a mapping's key, `indent.length * 2` for a value or a sequence's item
 * (what else a context holds is the same at every position of a block collection).
 */
const contexts: StringifyContext[] = [];

function contextAt(indent: string, key: boolean): StringifyContext {
  const at = (indent.length << 1) | (key ? 1 : 0);
  return (contexts[at] ??= { ...capturedValueContext(), indent, implicitKey: key });
}

/**
 * The block writer's cache, of its own and small: a report's items repeat their keys and a few
 * values (kinds, actions, field names), while most of their strings (messages, names, images) are
 * unique and would only fill a cache, which a long run then keeps alive in the old generation
 * (peak memory). Strings longer than `CACHED_LENGTH` are rendered each time.
 */
const blockStrings = new RenderCache(4096);
const CACHED_LENGTH = 64;

function blockString(value: string, indent: string, key: boolean): string {
  const ctx = contextAt(indent, key);
  return value.length <= CACHED_LENGTH ? blockStrings.render(value, undefined, ctx) : renderUncached(value, new Scalar(value), ctx);
}

/** Numbers as the yaml package writes them (by value; `-0`, which a Map does not tell from 0, is not kept). */
const numbers = new Map<number, string>();

function numberString(n: number): string {
  let text = numbers.get(n);
  if (text === undefined || Object.is(n, -0)) {
    text = stringify(n, options).trimEnd();
    if (numbers.size >= 4096) numbers.clear();
    if (!Object.is(n, -0)) numbers.set(n, text);
  }
  return text;
}

/**
 * A subtree that many documents repeat (a report's violating object, once per violation): the
 * block writer renders it once per indent it stands at. Its value must not change once written.
 */
export class YamlShared {
  private readonly byIndent = new Map<string, string>();

  constructor(readonly value: unknown) {
    if (value === undefined) throw new Error("a shared YAML subtree has no value");
  }

  /** @internal The rendering at an indent. */
  at(indent: string): string {
    let text = this.byIndent.get(indent);
    if (text === undefined) this.byIndent.set(indent, (text = blockNode(this.value, indent)));
    return text;
  }
}

/**
 * The block writer: a value of plain data (what JSON or a YAML document holds: mappings as plain
 * objects, sequences as arrays, strings, numbers, booleans, null) written exactly as the yaml
 * package writes it with `toYaml`'s options, without building the package's document of it (a
 * report of a cluster snapshot writes a hundred thousand violating objects: building a document
 * for each was most of `-o yaml`'s time). The layout is the package's block layout: a mapping's
 * pairs and a sequence's `- ` items each on a line at the collection's indent; a non-empty
 * collection under a key starts on the next line, indented by two (sequences too); empty ones are
 * `{}` and `[]`; a key longer than 1024 characters is an explicit `? key` / `: value`; keys whose
 * value is undefined are left out, undefined items are `null`. Scalars are rendered by the package's
 * own code at their position (`renderString`'s, so with its cache and its YAML 1.1 quoting), so
 * quoting, escaping and block scalars are the package's. `indent` is where the node stands: the
 * indent of its lines after the first.
 */
function blockNode(value: unknown, indent: string): string {
  switch (typeof value) {
    case "string":
      return blockString(value, indent, false);
    case "number":
      return numberString(value);
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      // A list's undefined item (a mapping's undefined values are left out before).
      return "null";
    case "object": {
      if (value === null) return "null";
      if (value instanceof YamlShared) return value.at(indent);
      const inner = `${indent}  `;
      if (Array.isArray(value)) {
        if (value.length === 0) return "[]";
        let out = "";
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          out += `${i === 0 ? "- " : `\n${indent}- `}${blockNode(item, inner)}`;
        }
        return out;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) break;
      let out = "";
      for (const key of Object.keys(value)) {
        const v: unknown = (value as Record<string, unknown>)[key];
        if (v === undefined) continue;
        out += `${out === "" ? "" : `\n${indent}`}${blockPair(key, v, indent, inner)}`;
      }
      return out === "" ? "{}" : out;
    }
  }
  throw new Error(`the YAML writer was given a value that is not plain data (${Object.prototype.toString.call(value)})`);
}

/** A mapping's pair whose key stands at `indent` (its value at `inner`). */
function blockPair(key: string, value: unknown, indent: string, inner: string): string {
  const k = blockString(key, inner, true);
  const v = blockNode(value, inner);
  if (k.length > 1024) return `? ${k}\n${indent}: ${v}`;
  // A non-empty collection starts on the next line; an empty one (`{}`, `[]`) stays on the key's.
  const data = value instanceof YamlShared ? value.value : value;
  if (typeof data === "object" && data !== null && v !== "{}" && v !== "[]") return `${k}:\n${inner}${v}`;
  return `${k}: ${v}`;
}

/**
 * One item of a block sequence whose `- ` stands at `indent`, ending with a line break:
 * `toYamlSequence(items)` is `items.map((x) => yamlSequenceItem(x)).join("")` (for a non-empty
 * list), and a mapping's list under a key at the top level (a PolicyReport's `results:`) is its
 * items at indent `"  "`. Written by the block writer, so a streamed report prints the same bytes
 * as the whole document, without the yaml package's document of each item.
 */
export function yamlSequenceItem(value: unknown, indent = ""): string {
  return `${indent}- ${blockNode(value, `${indent}  `)}\n`;
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
