/**
 * A METADATA block's YAML as OPA reads it: gopkg.in/yaml.v3 decoding into OPA's annotation struct.
 * Typed fields take their YAML as Go does (`title: 123` is the string "123"; `entrypoint: yes` is
 * true, v3's YAML 1.1 bools for a typed bool; a mapping where a string belongs is an unmarshal
 * error at its line), untyped values (`custom`, `labels`, `schemas`, `authors`, ...) resolve as v3
 * resolves plain scalars: only `true`/`false` are booleans (`yes`, `on`, `no` stay strings), `~`
 * and `null` are null, integers by Go's `strconv.ParseInt(s, 0, 64)` after dropping `_` (so `0777`
 * is octal 511, as v3 keeps for compatibility, and `0o17`, `0x1F`, `0b11` too), floats by v3's
 * pattern (`1e3`, `.5`, `.inf`), timestamps left as strings. Merge keys (`<<`) and anchors work;
 * a mapping with a key that is not a string fails as OPA's key conversion does.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node } from "yaml";

/** A decoding problem at a line of the block's YAML text (1-based), in yaml.v3's words. */
export class MetadataYamlError extends Error {
  constructor(message: string, readonly line: number | undefined) {
    super(message);
  }
}

type Field = "string" | "bool" | "strings" | "list" | "maps" | "map";

/** OPA's rawAnnotation: field → Go type. */
const FIELDS: Record<string, Field> = {
  scope: "string",
  title: "string",
  entrypoint: "bool",
  description: "string",
  organizations: "strings",
  related_resources: "list",
  authors: "list",
  schemas: "maps",
  compile: "map",
  custom: "map",
  labels: "map",
};

const GO_TYPES: Record<Field, string> = {
  string: "string",
  bool: "bool",
  strings: "[]string",
  list: "[]interface {}",
  maps: "[]map[string]interface {}",
  map: "map[string]interface {}",
};

/** Decodes the block; fields absent from the YAML are absent from the result. */
export function decodeMetadataYaml(text: string): Record<string, unknown> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { schema: "failsafe", uniqueKeys: true, lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    throw new MetadataYamlError(`yaml: ${line !== undefined ? `line ${line}: ` : ""}${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`, line);
  }
  const d = new Decoder(doc, lines);
  const root = doc.contents as Node | null;
  const out: Record<string, unknown> = {};
  if (root === null || isNull(root)) return out;
  if (!isMap(root)) d.fail(root, `cannot unmarshal ${d.tagOf(root)} into ast.rawAnnotation`);
  for (const [key, value] of d.entries(root)) {
    const name = d.scalarText(key);
    const field = name === undefined ? undefined : FIELDS[name];
    if (!field || name === undefined) continue;
    const v = d.typed(value, field);
    if (v !== undefined) out[name] = v;
  }
  if (d.problems.length > 0) throw new MetadataYamlError(`yaml: unmarshal errors:\n  ${d.problems.map((p) => p.text).join("\n  ")}`, d.problems[0]!.line);
  return out;
}

function isNull(n: Node): boolean {
  return isScalar(n) && n.type === Scalar.PLAIN && n.tag === undefined && ["", "~", "null", "Null", "NULL"].includes(String(n.value));
}

class Decoder {
  readonly problems: { text: string; line: number }[] = [];

  constructor(private readonly doc: Document, private readonly lines: LineCounter) {}

  lineOf(n: Node): number {
    return n.range ? this.lines.linePos(n.range[0]).line : 0;
  }

  /** An unmarshal error: v3 collects them and decodes the rest. */
  fail(n: Node, text: string): void {
    this.problems.push({ text: `line ${this.lineOf(n)}: ${text}`, line: this.lineOf(n) });
  }

  resolve(n: Node | null | undefined): Node | null {
    let x = n ?? null;
    for (let i = 0; x && isAlias(x) && i < 100; i++) x = (x.resolve(this.doc) as Node | undefined) ?? null;
    return x;
  }

  /** A mapping's pairs with merge keys applied (the mapping's own keys win). */
  entries(m: Node): [Node, Node | null][] {
    const own: [Node, Node | null][] = [];
    const merged: [Node, Node | null][] = [];
    if (!isMap(m)) return own;
    for (const pair of m.items) {
      const k = this.resolve(pair.key as Node);
      const v = this.resolve(pair.value as Node | null);
      if (k && isScalar(k) && k.type === Scalar.PLAIN && k.value === "<<" && v) {
        for (const src of isSeq(v) ? v.items.map((x) => this.resolve(x as Node)) : [v]) {
          if (src && isMap(src)) merged.push(...this.entries(src));
          else if (src) this.fail(src, "map merge requires map or sequence of maps as the value");
        }
        continue;
      }
      if (k) own.push([k, v]);
    }
    const ownKeys = new Set(own.map(([k]) => this.scalarText(k)));
    return [...own, ...merged.filter(([k]) => !ownKeys.has(this.scalarText(k)))];
  }

  scalarText(n: Node | null): string | undefined {
    const x = this.resolve(n);
    return x && isScalar(x) ? String(x.value) : undefined;
  }

  /** v3's short tag of a node, as its errors name it (`!!str`, `!!map`, ...). */
  tagOf(n: Node): string {
    const x = this.resolve(n)!;
    if (isMap(x)) return "!!map";
    if (isSeq(x)) return "!!seq";
    const v = this.untyped(x);
    if (v === null) return "!!null";
    if (typeof v === "boolean") return "!!bool";
    if (typeof v === "number") return goParseInt(String((x as Scalar).value).replace(/_/g, "")) !== undefined ? "!!int" : "!!float";
    return "!!str";
  }

  typed(n: Node | null, field: Field): unknown {
    const x = this.resolve(n);
    if (x === null || isNull(x)) return undefined;
    const mismatch = () => {
      const shown = isScalar(x) ? ` \`${String(x.value)}\`` : "";
      this.fail(x, `cannot unmarshal ${this.tagOf(x)}${shown} into ${GO_TYPES[field]}`);
      return undefined;
    };
    switch (field) {
      case "string":
        return isScalar(x) ? String(x.value) : mismatch();
      case "bool": {
        if (!isScalar(x)) return mismatch();
        const v = this.untyped(x);
        if (typeof v === "boolean") return v;
        // v3 reads YAML 1.1's spellings into a typed bool.
        if (typeof v === "string" && x.type === Scalar.PLAIN) {
          if (["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"].includes(v)) return true;
          if (["n", "N", "no", "No", "NO", "off", "Off", "OFF"].includes(v)) return false;
        }
        return mismatch();
      }
      case "strings":
        if (!isSeq(x)) return mismatch();
        return x.items.map((i) => {
          const item = this.resolve(i as Node);
          if (item === null || isNull(item)) return "";
          if (isScalar(item)) return String(item.value);
          this.fail(item, `cannot unmarshal ${this.tagOf(item)} into string`);
          return "";
        });
      case "list":
        return isSeq(x) ? x.items.map((i) => this.untyped(i as Node)) : mismatch();
      case "maps":
        if (!isSeq(x)) return mismatch();
        return x.items.map((i) => {
          const item = this.resolve(i as Node);
          if (item === null || isNull(item)) return null;
          if (isMap(item)) return this.stringMap(item);
          this.fail(item, `cannot unmarshal ${this.tagOf(item)} into map[string]interface {}`);
          return null;
        });
      case "map":
        return isMap(x) ? this.stringMap(x) : mismatch();
    }
  }

  /** A map[string]any: every key is taken as its text. */
  stringMap(m: Node): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.entries(m)) {
      const key = isScalar(k) ? String(k.value) : undefined;
      if (key === undefined) {
        this.fail(k, `cannot unmarshal ${this.tagOf(k)} into string`);
        continue;
      }
      Object.defineProperty(out, key, { value: this.untyped(v, [key]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /** An untyped value as v3 decodes it into interface{}. */
  untyped(n: Node | null, path: string[] = []): unknown {
    const x = this.resolve(n);
    if (x === null) return null;
    if (isSeq(x)) return x.items.map((i, idx) => this.untyped(i as Node, [...path, String(idx)]));
    if (isMap(x)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of this.entries(x)) {
        const key = this.untyped(k);
        if (typeof key !== "string") throw new MetadataYamlError(`invalid map key type(s): ${path.join("/")}`, this.lineOf(k));
        Object.defineProperty(out, key, { value: this.untyped(v, [...path, key]), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    if (!isScalar(x)) return null;
    const text = String(x.value);
    if (x.tag === "tag:yaml.org,2002:str" || x.tag === "!!str") return text;
    if (x.type !== Scalar.PLAIN) return text;
    return resolvePlain(text);
  }
}

/** yaml.v3's resolve for a plain scalar decoded into interface{}. */
export function resolvePlain(s: string): unknown {
  switch (s) {
    case "": case "~": case "null": case "Null": case "NULL": return null;
    case "true": case "True": case "TRUE": return true;
    case "false": case "False": case "FALSE": return false;
    case ".inf": case ".Inf": case ".INF": case "+.inf": case "+.Inf": case "+.INF": return Infinity;
    case "-.inf": case "-.Inf": case "-.INF": return -Infinity;
    case ".nan": case ".NaN": case ".NAN": return NaN;
  }
  if (!/^[-+.0-9]/.test(s)) return s;
  const plain = s.replace(/_/g, "");
  const int = goParseInt(plain);
  if (int !== undefined) return int;
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return Number(plain);
  return s;
}

/** Go's strconv.ParseInt(s, 0, 64) (or ParseUint for larger positives): base from the prefix. */
function goParseInt(s: string): number | undefined {
  const m = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))$/.exec(s);
  if (!m) return undefined;
  const [, sign, hex, oct, bin, legacyOct, dec] = m;
  const digits = hex ? `0x${hex}` : oct ? `0o${oct}` : bin ? `0b${bin}` : legacyOct ? `0o${legacyOct.slice(1) || "0"}` : dec!;
  let n = BigInt(digits);
  if (sign === "-") n = -n;
  // ParseInt takes a sign and int64's range; ParseUint no sign and uint64's.
  const max = sign === "" ? 2n ** 64n - 1n : 2n ** 63n - 1n;
  if (n < -(2n ** 63n) || n > max) return undefined;
  return Number(n);
}
