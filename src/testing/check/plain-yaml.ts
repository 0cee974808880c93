/**
 * A fast reader for the plain block YAML that manifests almost always are (what `helm template`,
 * `kustomize build` and `kubectl get -o yaml` print): block mappings and sequences, plain and
 * single-line quoted scalars, `|`/`|-` block scalars, comments. `policyc check` reads every object
 * of a cluster snapshot, and the full YAML reader (`yaml-files.ts`), which builds a node tree with
 * positions for every value, is most of the cost of a check; objects need only their own position.
 *
 * It answers only when it is sure to give what the full reader gives (Kubernetes' scalar rules):
 * anything else — anchors, tags, flow collections, multi-line plain or quoted scalars, folded
 * scalars, a scalar that could be a number, a date or a special float, tabs, duplicate keys, a
 * `List` — returns undefined and the caller uses the full reader, which also reports the errors.
 */

export interface PlainDocument {
  value: Record<string, unknown>;
  /** 1-based line and column of the document's content (its first key), within the text. */
  line: number;
  col: number;
  /** The comment lines before the content, without their `#` (helm's `# Source:` is among them). */
  comments: string[];
}

class NotPlain extends Error {}
const notPlain = (): never => {
  throw new NotPlain();
};

interface Line {
  indent: number;
  /** The line's text after its indentation (comments not yet removed). */
  text: string;
  /** 0-based index of the line. */
  n: number;
}

const BOOL = new Map<string, boolean>(
  ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"].map((w) => [w, true] as [string, boolean]).concat(
    ["n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"].map((w) => [w, false]),
  ),
);
const NULL = new Set(["~", "null", "Null", "NULL"]);
const INT = /^-?(?:0|[1-9][0-9]*)$/;
/** Quantities and durations (`100m`, `128Mi`, `30s`): digits then letters, but not `1e3`, `0x1F`, `0b1`, `0o7`. */
const DIGITS_THEN_WORD = /^[0-9]+[A-DF-Za-df-z][A-Za-z0-9]*$/;
const BASE_PREFIX = /^0[xXbBoO]/;

/** A plain scalar as Kubernetes reads it, or NotPlain when the full reader must decide. */
function plainScalar(s: string): unknown {
  if (s === "") return notPlain();
  if (NULL.has(s)) return null;
  const b = BOOL.get(s);
  if (b !== undefined) return b;
  const c = s.charCodeAt(0);
  const digitOrSign = (c >= 48 && c <= 57) || s[0] === "+" || s[0] === "." || (s[0] === "-" && s.length > 1 && /[0-9.]/.test(s[1]!));
  if (digitOrSign) {
    if (INT.test(s)) {
      const n = Number(s);
      return Number.isSafeInteger(n) && !(s.length > 1 && s[0] === "0") ? n : notPlain();
    }
    if (DIGITS_THEN_WORD.test(s) && !BASE_PREFIX.test(s)) return s;
    return notPlain();
  }
  // Indicators that start something else (anchors, tags, flow collections, quotes, directives, reserved).
  if ("-?:,[]{}#&*!|>'\"%@`".includes(s[0]!) && !(s[0] === "-" && s.length > 1 && s[1] !== " ")) return notPlain();
  if (s.includes(": ") || s.endsWith(":") || s.includes(" #") || s.includes("\t")) return notPlain();
  return s;
}

/** A quoted scalar at the start of `s`: its value and the rest of the line after it. */
function quoted(s: string): { value: string; rest: string } {
  if (s[0] === "'") {
    let i = 1;
    let out = "";
    for (;;) {
      const q = s.indexOf("'", i);
      if (q < 0) return notPlain();
      out += s.slice(i, q);
      if (s[q + 1] === "'") {
        out += "'";
        i = q + 2;
        continue;
      }
      return { value: out, rest: s.slice(q + 1) };
    }
  }
  let i = 1;
  for (;;) {
    if (i >= s.length) return notPlain();
    const ch = s[i];
    if (ch === "\\") i += 2;
    else if (ch === '"') break;
    else i++;
  }
  // JSON's escapes mean the same in YAML; YAML's others (\x, \e, \N, line breaks …) go to the full reader.
  let value: unknown;
  try {
    value = JSON.parse(s.slice(0, i + 1));
  } catch {
    return notPlain();
  }
  return { value: value as string, rest: s.slice(i + 1) };
}

/** What may follow a value on its line: nothing, or a comment. */
function endOfValue(rest: string): void {
  const t = rest.trimStart();
  if (t !== "" && (t[0] !== "#" || t.length === rest.length)) notPlain();
}

class Reader {
  private i = 0;
  constructor(private readonly lines: string[]) {}

  /** The last `peek` (asked again for the same line by the value and by its mapping). */
  private peeked: Line | undefined;

  /** The next line with content (skips blank and comment lines); undefined at the end. */
  peek(): Line | undefined {
    const last = this.peeked;
    if (last !== undefined && last.n === this.i) return last;
    while (this.i < this.lines.length) {
      const raw = this.lines[this.i]!;
      let indent = 0;
      while (raw.charCodeAt(indent) === 32) indent++;
      const text = raw.slice(indent);
      if (text === "" || text[0] === "#") {
        this.i++;
        continue;
      }
      if (indent === 0 && (text.startsWith("---") || text.startsWith("..."))) return notPlain();
      return (this.peeked = { indent, text, n: this.i });
    }
    return undefined;
  }

  /** A value introduced by an empty `key:` or `-`: a nested block, or null. */
  nested(parentIndent: number, allowSameIndentSeq: boolean): unknown {
    const next = this.peek();
    if (!next) return null;
    if (next.indent > parentIndent) return this.block(next.indent);
    if (allowSameIndentSeq && next.indent === parentIndent && isSeqItem(next.text)) return this.seq(parentIndent);
    return null;
  }

  block(indent: number): unknown {
    const l = this.peek()!;
    return isSeqItem(l.text) ? this.seq(indent) : this.map(indent, l.text, l.n);
  }

  seq(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let l = this.peek(); l && l.indent === indent && isSeqItem(l.text); l = this.peek()) {
      const rest = l.text.slice(1);
      const content = rest.trimStart();
      if (content === "" || content[0] === "#") {
        this.i++;
        out.push(this.nested(indent, false));
        continue;
      }
      // `- key: value` starts a mapping at the column of `key`.
      const col = indent + 1 + (rest.length - content.length);
      if (isSeqItem(content)) notPlain();
      if (keyOf(content)) out.push(this.map(col, content, l.n));
      else {
        this.i++;
        out.push(this.scalarValue(content, indent));
      }
    }
    return out;
  }

  /** A block mapping whose first entry is `first` (on line `n`), at column `indent`. */
  map(indent: number, first: string, n: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let text: string | undefined = first;
    let lineNo = n;
    while (text !== undefined) {
      const k = keyOf(text) ?? notPlain();
      if (k.key === "<<" || Object.prototype.hasOwnProperty.call(out, k.key)) notPlain();
      this.i = lineNo + 1;
      const rest = k.rest.trimStart();
      if (rest === "" || rest[0] === "#") {
        if (rest !== "" && rest.length === k.rest.length) notPlain();
        out[k.key] = this.nested(indent, true);
      } else if (rest[0] === "|") {
        out[k.key] = this.literal(rest, indent);
      } else {
        out[k.key] = this.scalarValue(rest, indent);
      }
      const next = this.peek();
      if (!next || next.indent < indent) break;
      if (next.indent > indent || isSeqItem(next.text)) notPlain();
      text = next.text;
      lineNo = next.n;
    }
    return out;
  }

  /** A scalar that ends its line; a more indented line after it would continue it (the full reader decides). */
  scalarValue(s: string, indent: number): unknown {
    let value: unknown;
    if (s[0] === '"' || s[0] === "'") {
      const q = quoted(s);
      endOfValue(q.rest);
      value = q.value;
    } else if (s === "[]" || s === "{}" || /^(\[\]|\{\})\s+#/.test(s)) {
      value = s[0] === "[" ? [] : {};
    } else {
      const hash = s.indexOf(" #");
      value = plainScalar((hash < 0 ? s : s.slice(0, hash)).trimEnd());
    }
    const next = this.peek();
    if (next && next.indent > indent) notPlain();
    return value;
  }

  /** `|` or `|-` and the lines more indented than the key. */
  literal(header: string, indent: number): string {
    const m = /^\|(-?)(\s+#.*)?\s*$/.exec(header) ?? notPlain();
    const body: string[] = [];
    let contentIndent = -1;
    while (this.i < this.lines.length) {
      const raw = this.lines[this.i]!;
      let sp = 0;
      while (raw.charCodeAt(sp) === 32) sp++;
      if (sp === raw.length) {
        // Spaces beyond the content's indentation are content; the full reader keeps them.
        if (contentIndent >= 0 && sp > contentIndent) notPlain();
        body.push("");
        this.i++;
        continue;
      }
      if (sp <= indent) break;
      if (contentIndent < 0) contentIndent = sp;
      // Less indented than the first line but inside the scalar: the full reader reports it.
      if (sp < contentIndent || raw.includes("\t")) notPlain();
      body.push(raw.slice(contentIndent));
      this.i++;
    }
    // Leading blank lines before a more indented first line change the content indentation rules.
    if (contentIndent < 0 || body[0] === "") return notPlain();
    // At the end of a text without a final line break the full reader decides (go-yaml adds none).
    if (this.i === this.lines.length && this.lines[this.i - 1] !== "") return notPlain();
    while (body.length > 0 && body[body.length - 1] === "") body.pop();
    const text = body.join("\n");
    return m[1] === "-" ? text : `${text}\n`;
  }
}

function isSeqItem(text: string): boolean {
  return text[0] === "-" && (text.length === 1 || text[1] === " ");
}

/** `key: rest` (plain or quoted key); undefined when the line is not a mapping entry. */
function keyOf(text: string): { key: string; rest: string } | undefined {
  if (text[0] === '"' || text[0] === "'") {
    let q: { value: string; rest: string };
    try {
      q = quoted(text);
    } catch {
      return undefined;
    }
    if (!(q.rest.startsWith(": ") || q.rest === ":")) return undefined;
    return { key: q.value, rest: q.rest.slice(1) };
  }
  let at = text.indexOf(": ");
  if (at < 0 && text.endsWith(":")) at = text.length - 1;
  if (at <= 0) return undefined;
  const key = text.slice(0, at);
  let plain = plainKeys.get(key);
  if (plain === undefined) {
    plain = isPlainKey(key);
    if (plainKeys.size >= 4096) plainKeys.clear();
    plainKeys.set(key, plain);
  }
  return plain ? { key, rest: text.slice(at + 1) } : undefined;
}

/** Whether a plain key reads as that same string (manifests repeat a few hundred keys: asked once each). */
const plainKeys = new Map<string, boolean>();

function isPlainKey(key: string): boolean {
  if (key.includes(" #") || key !== key.trimEnd()) return false;
  // Keys that YAML reads as booleans, numbers or null become other strings in Kubernetes' JSON.
  try {
    return typeof plainScalar(key) === "string";
  } catch {
    return false;
  }
}

/** The document, when `text` is one plain block mapping; undefined when the full reader must read it. */
export function parsePlainDocument(text: string): PlainDocument | undefined {
  if (text.includes("\t") || text.includes("\r") || text.charCodeAt(0) === 0xfeff) return undefined;
  const lines = text.split("\n");
  const comments: string[] = [];
  let start = 0;
  // Before the content: blank lines, comments and at most one `---` that starts the document.
  let marker = false;
  for (; start < lines.length; start++) {
    const t = lines[start]!.trim();
    if (t === "") continue;
    if (t[0] === "#") {
      comments.push(t.slice(1));
      continue;
    }
    if (lines[start] === "---" || /^---\s*$/.test(lines[start]!)) {
      if (marker) return undefined;
      marker = true;
      continue;
    }
    break;
  }
  if (start >= lines.length) return undefined;
  const first = lines[start]!;
  if (first[0] === " " || isSeqItem(first)) return undefined;
  const reader = new Reader(lines);
  try {
    // Lines before `start` are blank, comments or the marker, which the reader skips or refuses: start there.
    (reader as unknown as { i: number }).i = start;
    const value = reader.map(0, first, start);
    if (reader.peek() !== undefined) return undefined;
    // A List carries its objects in items: the full reader gives each item its own line.
    if (typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items)) return undefined;
    return { value, line: start + 1, col: 1, comments };
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
}
