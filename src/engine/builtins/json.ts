/**
 * `json.*` and `yaml.*` built-ins: marshalling in Go's style, parsing that keeps big numbers exact,
 * `json.filter`/`json.remove` over path lists, and RFC 6902 `json.patch`.
 */
import YAML from "yaml";
import { isDiagnostic, parseYamlText } from "../../testing/yaml-files.js";
import { exactYamlValue } from "../eval/documents.js";
import {
  type Value,
  type PlainObject,
  ExactNum,
  RSet,
  isArray,
  isObject,
  isSet,
  isNumber,
  objectEntries,
  objectGet,
  makeObject,
  setKey,
  equal,
  toInt,
  toDecimal,
  fromDecimal,
  keepsText,
} from "./value.js";
import { goJson } from "./format.js";
import type { Builtin } from "./tagged.js";

// ---------------------------------------------------------------------------------------------
// Parsing JSON with exact numbers
// ---------------------------------------------------------------------------------------------

const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

export function parseJson(text: string): Value {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const fail = (): never => {
    throw new SyntaxError(`invalid JSON at offset ${i}`);
  };
  const value = (): Value => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const o: PlainObject = {};
      ws();
      if (text[i] === "}") {
        i++;
        return o;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const k = string();
        ws();
        if (text[i++] !== ":") fail();
        setKey(o, k, value());
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return o;
        }
        fail();
      }
    }
    if (c === "[") {
      i++;
      const a: Value[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return a;
      }
      for (;;) {
        a.push(value());
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return a;
        }
        fail();
      }
    }
    if (c === '"') return string();
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    // Sticky: matched in place, no copy of the text per number (large documents stay linear).
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m || m[0] === "" || m[0] === "-") fail();
    i += m![0].length;
    return numberFromText(m![0]);
  };
  const string = (): string => {
    const start = i;
    i++;
    let simple = true;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") {
        simple = false;
        i++;
      } else if (text.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
    const raw = text.slice(start, i);
    return simple ? raw.slice(1, -1) : (JSON.parse(raw) as string);
  };
  const v = value();
  ws();
  if (i !== text.length) fail();
  return v;
}

export function numberFromText(t: string): number | ExactNum {
  const n = Number(t);
  if (Number.isSafeInteger(n) && /^(0|-?[1-9][0-9]*)$/.test(t)) return n;
  // OPA keeps a JSON number's text (json.Number): 1.0 and 1e3 print as written.
  if (keepsText(t)) return new ExactNum(t);
  const d = toDecimal(new ExactNum(t));
  if (!d) return n;
  return fromDecimal(d);
}

// ---------------------------------------------------------------------------------------------
// YAML
// ---------------------------------------------------------------------------------------------

function fromYaml(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === "bigint") return numberFromText(v.toString());
  if (v instanceof ExactNum) return v;
  // A float64 from go-yaml reaches OPA as JSON text (Go prints the shortest form), read as a
  // decimal: 123456789012345678901234567890 becomes 1.2345678901234568e+29, not the double's binary
  // expansion.
  if (typeof v === "number") return Number.isSafeInteger(v) || !Number.isFinite(v) ? v : numberFromText(String(v));
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(fromYaml);
  if (v instanceof Map) return makeObject([...v.entries()].map(([k, x]) => [fromYaml(k), fromYaml(x)] as [Value, Value]));
  if (v instanceof Set) return new RSet([...v].map(fromYaml));
  if (typeof v === "object") {
    const o: PlainObject = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) setKey(o, k, fromYaml(x));
    return o;
  }
  throw new TypeError("unsupported YAML value");
}

/**
 * OPA decodes YAML with sigs.k8s.io/yaml (go-yaml v2, then JSON), as Kubernetes does: the project's
 * one reader in its "object" flavour (`yes` is true, `0777` octal, keys become strings, the first
 * document only), with numbers kept exact.
 */
function yamlUnmarshal(s: Value): Value | undefined {
  if (typeof s !== "string") return undefined;
  const parsed = parseYamlText(s, "yaml.unmarshal", "object");
  if (isDiagnostic(parsed)) throw new Error(`yaml: ${parsed.message}`);
  const first = parsed.docs[0];
  return first ? fromYaml(exactYamlValue(first.doc)) : null;
}

function toPlainJs(v: Value): unknown {
  if (v instanceof ExactNum) {
    const n = Number(v.text);
    return Number.isSafeInteger(n) ? n : YAML.parse(v.text);
  }
  if (Array.isArray(v)) return v.map(toPlainJs);
  if (v instanceof RSet) return v.items.map(toPlainJs);
  if (isObject(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of objectEntries(v)) {
      Object.defineProperty(o, typeof k === "string" ? k : goJson(k), { value: toPlainJs(x), enumerable: true });
    }
    return o;
  }
  return v;
}

/** Go's yaml.v2 style: block sequences at the key's indent, sorted keys, YAML 1.1 words quoted. */
function yamlMarshal(v: Value): Value {
  return YAML.stringify(toPlainJs(v), { version: "1.1", indentSeq: false, sortMapEntries: true, lineWidth: 0 });
}

// ---------------------------------------------------------------------------------------------
// marshal with options
// ---------------------------------------------------------------------------------------------

function marshalWithOptions(v: Value, opts: Value): Value | undefined {
  if (!isObject(opts)) return undefined;
  let prefix = "";
  let indent = "\t";
  let pretty: boolean | undefined;
  let sawPrefixOrIndent = false;
  for (const [k, x] of objectEntries(opts)) {
    if (k === "prefix" && typeof x === "string") {
      prefix = x;
      sawPrefixOrIndent = true;
    } else if (k === "indent" && typeof x === "string") {
      indent = x;
      sawPrefixOrIndent = true;
    } else if (k === "pretty" && typeof x === "boolean") pretty = x;
    else throw new TypeError(`object contained unknown key ${JSON.stringify(k)}`);
  }
  const doPretty = pretty ?? sawPrefixOrIndent;
  if (!doPretty) return goJson(v);
  return prefix + goJson(v, { prefix, indent });
}

// ---------------------------------------------------------------------------------------------
// json.filter / json.remove
// ---------------------------------------------------------------------------------------------

type PathTree = Map<string, { key: Value; children: PathTree; leaf: boolean }>;

function parsePaths(paths: Value): Value[][] {
  const items = isArray(paths) ? paths : isSet(paths) ? paths.items : undefined;
  if (!items) throw new TypeError("paths must be an array or set");
  return items.map((p) => {
    if (typeof p === "string") return p.replace(/^\//, "").split("/").map((seg) => seg.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (isArray(p)) return p;
    throw new TypeError("path must be a string or array");
  });
}

function buildTree(paths: Value[][]): PathTree {
  const root: PathTree = new Map();
  for (const p of paths) {
    let node = root;
    p.forEach((seg, idx) => {
      const key = goJson(seg);
      let e = node.get(key);
      if (!e) {
        e = { key: seg, children: new Map(), leaf: false };
        node.set(key, e);
      }
      if (idx === p.length - 1) e.leaf = true;
      node = e.children;
    });
  }
  return root;
}

/** Looks up a path segment against a collection key, accepting "1" for array index 1. */
function segFor(tree: PathTree, k: Value): { children: PathTree; leaf: boolean } | undefined {
  const direct = tree.get(goJson(k));
  if (direct) return direct;
  if (typeof k === "number") return tree.get(goJson(String(k)));
  return undefined;
}

function filterValue(v: Value, tree: PathTree): Value {
  if (isObject(v)) {
    const out: [Value, Value][] = [];
    for (const [k, x] of objectEntries(v)) {
      const e = segFor(tree, k);
      if (!e) continue;
      out.push([k, e.leaf || e.children.size === 0 ? x : filterValue(x, e.children)]);
    }
    return makeObject(out);
  }
  if (isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const e = segFor(tree, i);
      if (e) out.push(e.leaf || e.children.size === 0 ? x : filterValue(x, e.children));
    });
    return out;
  }
  if (v instanceof RSet) {
    return new RSet(v.items.filter((x) => segFor(tree, x)));
  }
  return v;
}

function removeValue(v: Value, tree: PathTree): Value {
  if (isObject(v)) {
    const out: [Value, Value][] = [];
    for (const [k, x] of objectEntries(v)) {
      const e = segFor(tree, k);
      if (e && e.leaf) continue;
      out.push([k, e ? removeValue(x, e.children) : x]);
    }
    return makeObject(out);
  }
  if (isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const e = segFor(tree, i);
      if (e && e.leaf) return;
      out.push(e ? removeValue(x, e.children) : x);
    });
    return out;
  }
  if (v instanceof RSet) return new RSet(v.items.filter((x) => !segFor(tree, x)?.leaf));
  return v;
}

// ---------------------------------------------------------------------------------------------
// json.patch (RFC 6902)
// ---------------------------------------------------------------------------------------------

function pointer(path: Value): Value[] {
  if (isArray(path)) return path;
  if (typeof path !== "string") throw new TypeError("bad path");
  if (path === "") return [];
  // OPA also accepts paths without the leading slash ("foo/b").
  return (path.startsWith("/") ? path.slice(1) : path)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function arrayIndex(seg: Value, len: number, allowEnd: boolean): number {
  if (allowEnd && seg === "-") return len;
  let i: number | undefined;
  if (typeof seg === "string") {
    if (!/^(0|[1-9][0-9]*)$/.test(seg)) throw new Error("bad array index");
    i = Number(seg);
  } else if (isNumber(seg)) i = toInt(seg);
  if (i === undefined || i < 0 || i > (allowEnd ? len : len - 1)) throw new Error("array index out of range");
  return i;
}

function getAt(doc: Value, path: Value[]): Value {
  let cur = doc;
  for (const seg of path) {
    if (isObject(cur)) {
      const x = objectGet(cur, seg);
      if (x === undefined) throw new Error("path not found");
      cur = x;
    } else if (isArray(cur)) cur = cur[arrayIndex(seg, cur.length, false)]!;
    else if (cur instanceof RSet) {
      if (!cur.has(seg)) throw new Error("path not found");
      cur = seg;
    } else throw new Error("path not found");
  }
  return cur;
}

/** Returns a copy of `doc` with `f` applied to the parent of the last path segment. */
function updateAt(doc: Value, path: Value[], f: (parent: Value, last: Value) => Value): Value {
  if (path.length === 0) throw new Error("empty path");
  const [head, ...rest] = path;
  if (rest.length === 0) return f(doc, head!);
  if (isObject(doc)) {
    const x = objectGet(doc, head!);
    if (x === undefined) throw new Error("path not found");
    return makeObject(objectEntries(doc).map(([k, v]) => [k, equal(k, head!) ? updateAt(x, rest, f) : v] as [Value, Value]));
  }
  if (isArray(doc)) {
    const i = arrayIndex(head!, doc.length, false);
    const out = [...doc];
    out[i] = updateAt(doc[i]!, rest, f);
    return out;
  }
  if (doc instanceof RSet && doc.has(head!)) {
    const nv = updateAt(head!, rest, f);
    return new RSet([...doc.items.filter((x) => !equal(x, head!)), nv]);
  }
  throw new Error("path not found");
}

function addAt(doc: Value, path: Value[], value: Value): Value {
  if (path.length === 0) return value;
  return updateAt(doc, path, (parent, last) => {
    if (isObject(parent)) return makeObject([...objectEntries(parent).filter(([k]) => !equal(k, last)), [last, value]]);
    if (isArray(parent)) {
      const i = arrayIndex(last, parent.length, true);
      return [...parent.slice(0, i), value, ...parent.slice(i)];
    }
    if (parent instanceof RSet) {
      // A set member's path segment is the member itself.
      if (!equal(last, value)) throw new Error("set member path and value differ");
      return new RSet([...parent.items, value]);
    }
    throw new Error("cannot add to scalar");
  });
}

function removeAt(doc: Value, path: Value[]): Value {
  if (path.length === 0) throw new Error("cannot remove root");
  return updateAt(doc, path, (parent, last) => {
    if (isObject(parent)) {
      if (objectGet(parent, last) === undefined) throw new Error("path not found");
      return makeObject(objectEntries(parent).filter(([k]) => !equal(k, last)));
    }
    if (isArray(parent)) {
      const i = arrayIndex(last, parent.length, false);
      return [...parent.slice(0, i), ...parent.slice(i + 1)];
    }
    if (parent instanceof RSet) {
      if (!parent.has(last)) throw new Error("path not found");
      return new RSet(parent.items.filter((x) => !equal(x, last)));
    }
    throw new Error("cannot remove from scalar");
  });
}

function jsonPatch(doc: Value, patches: Value): Value | undefined {
  if (!isArray(patches)) return undefined;
  let cur = doc;
  for (const p of patches) {
    if (!isObject(p)) throw new TypeError("patch must be an object");
    const op = objectGet(p, "op");
    const path = objectGet(p, "path");
    if (typeof op !== "string" || path === undefined) throw new Error("invalid patch");
    const ptr = pointer(path);
    const value = objectGet(p, "value");
    switch (op) {
      case "add":
        if (value === undefined) throw new Error("missing value");
        cur = addAt(cur, ptr, value);
        break;
      case "remove":
        cur = removeAt(cur, ptr);
        break;
      case "replace":
        if (value === undefined) throw new Error("missing value");
        getAt(cur, ptr);
        cur = ptr.length === 0 ? value : addAt(removeAt(cur, ptr), ptr, value);
        break;
      case "move": {
        const from = objectGet(p, "from");
        if (from === undefined) throw new Error("missing from");
        const fp = pointer(from);
        if (fp.length < ptr.length && fp.every((s, i) => equal(s, ptr[i]!))) throw new Error("cannot move into child");
        const v = getAt(cur, fp);
        cur = addAt(removeAt(cur, fp), ptr, v);
        break;
      }
      case "copy": {
        const from = objectGet(p, "from");
        if (from === undefined) throw new Error("missing from");
        cur = addAt(cur, ptr, getAt(cur, pointer(from)));
        break;
      }
      case "test":
        if (value === undefined || !equal(getAt(cur, ptr), value)) throw new Error("test failed");
        break;
      default:
        throw new Error(`unknown op ${op}`);
    }
  }
  return cur;
}

export const jsonBuiltins: Record<string, Builtin> = {
  "json.marshal": (v) => goJson(v),
  "json.marshal_with_options": marshalWithOptions,
  "json.unmarshal": (s) => (typeof s === "string" ? parseJson(s) : undefined),
  "json.is_valid": (s) => {
    if (typeof s !== "string") return false;
    try {
      parseJson(s);
      return true;
    } catch {
      return false;
    }
  },
  "json.filter": (o, paths) => (isObject(o) ? filterValue(o, buildTree(parsePaths(paths))) : undefined),
  "json.remove": (o, paths) => (isObject(o) ? removeValue(o, buildTree(parsePaths(paths))) : undefined),
  "json.patch": jsonPatch,
  "yaml.marshal": yamlMarshal,
  "yaml.unmarshal": yamlUnmarshal,
  "yaml.is_valid": (s) => {
    if (typeof s !== "string") return false;
    try {
      yamlUnmarshal(s);
      return true;
    } catch {
      return false;
    }
  },
};
