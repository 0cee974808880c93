/**
 * The project's one YAML reader (suites, sample objects, manifests, eval data), keeping positions
 * for diagnostics. Two flavours:
 *   - "suite": YAML 1.2, as gator reads suites (go-yaml v3: `yes`/`no` stay strings);
 *   - "object": what Kubernetes makes of a manifest. kubectl, the API machinery and gator read objects
 *     with sigs.k8s.io/yaml, which decodes with its go-yaml v2 fork and converts to JSON. Its scalar
 *     rules (go-yaml v2.4 `resolve`): `y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE` are true and the
 *     `n…/no…/off…/false…` forms false; `~`, `null`, `Null`, `NULL` and empty are null; integers
 *     are parsed as Go's ParseInt with base prefix after removing `_` (`0777` and `0o777` octal = 511,
 *     `0x1F`, `0b101`); floats need v2's pattern (`1.5`, `.5`, `1e+3`; `1e3` and `1.` stay strings);
 *     base-60 forms such as `1:20` are not
 *     supported, so they stay strings; timestamps stay strings (v2 hands a timestamp-looking plain
 *     scalar to an untyped field as text); `.inf`/`.nan` decode as floats, which JSON cannot hold, so
 *     Kubernetes rejects them and so does this reader (PC4002 at the value).
 * The user-facing statement of these rules is docs/cli.md, "YAML as Kubernetes reads it".
 * Text must be UTF-8 (a UTF-8 byte-order mark is dropped): UTF-16 files and invalid UTF-8 bytes are
 * diagnostics at their position, never replacement characters. A key given twice in one mapping is
 * an error at the second occurrence (kubectl's strict decoding rejects it too).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { LineCounter, parseAllDocuments, isNode, isScalar, visit, type Document } from "yaml";
import { describeFsError, diag, lineColOf, type Diagnostic, type Span } from "../diagnostics/index.js";
import { PC4 } from "./diagnostics.js";
import { MAX_DOCUMENT_DEPTH, readRegularFile, tooDeepAt } from "../engine/eval/read-document.js";
import { EvalMessages } from "../engine/eval/diagnostics.js";
import { goYamlV2Tags } from "../engine/builtins/yaml-v2.js";

export { goYamlV2Number } from "../engine/builtins/yaml-v2.js";

export interface YamlDoc {
  value: unknown;
  doc: Document.Parsed;
}

export interface YamlFile {
  file: string;
  text: string;
  docs: YamlDoc[];
  lines: LineCounter;
}

export type YamlFlavor = "suite" | "object";

/** Returns the parsed file or a diagnostic (missing file, YAML error). `what` names the file's role. */
export function readYamlFile(file: string, what: string, flavor: YamlFlavor, displayName = file, refSpan?: Span): YamlFile | Diagnostic {
  // The engine's guarded reader: a FIFO or a device such as /dev/zero is refused, never read.
  const r = readRegularFile(file, MAX_YAML_BYTES);
  if ("problem" in r) {
    if (r.problem === "missing") return diag(PC4.fileMissing, [what, displayName], refSpan);
    if (r.problem === "directory") return diag(PC4.fileUnreadable, [what, displayName, "is a directory"], refSpan);
    if (r.problem === "special") return diag(EvalMessages.notRegularFile, [displayName], refSpan);
    if (r.problem === "too-large") return diag(PC4.fileUnreadable, [what, displayName, `too large (${r.size} bytes; the limit is ${MAX_YAML_BYTES})`], refSpan);
    return diag(PC4.fileUnreadable, [what, displayName, r.problem === "error" ? describeFsError(r.error) : r.problem], refSpan);
  }
  const text = decodeUtf8(r.bytes, displayName);
  if (typeof text !== "string") return text;
  // Flow collections nested past the engine's limit: one diagnostic at the first bracket past it.
  const deep = tooDeepAt(text);
  if (deep) return diag(EvalMessages.documentTooDeep, [MAX_DOCUMENT_DEPTH], { file: displayName, line: deep.line, col: deep.col });
  return parseYamlText(text, displayName, flavor);
}

/**
 * Every YAML (and, with `json`, JSON) file under `where` — a file, or a folder searched recursively
 * in name order, skipping dot-folders and node_modules — read with `readYamlFile`. Each problem (a
 * missing path, an unreadable entry, a symlink cycle, bad YAML) is a diagnostic; the other files
 * are still read. `display` turns an absolute path into the name diagnostics show.
 */
export function readYamlTree(
  where: string,
  what: string,
  { json = false, display = (abs: string) => abs }: { json?: boolean; display?: (abs: string) => string } = {},
): { files: YamlFile[]; diagnostics: Diagnostic[] } {
  const files: YamlFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const wanted = json ? /\.(ya?ml|json)$/ : /\.ya?ml$/;
  const visit = (abs: string, top: boolean) => {
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      diagnostics.push(code === "ENOENT" && top ? diag(PC4.fileMissing, [what, display(abs)]) : diag(PC4.fileUnreadable, [what, display(abs), describeFsError(e)]));
      return;
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(abs).sort();
      } catch (e) {
        diagnostics.push(diag(PC4.fileUnreadable, [what, display(abs), describeFsError(e)]));
        return;
      }
      for (const n of names) if (!n.startsWith(".") && n !== "node_modules") {
        const child = path.join(abs, n);
        let dir = false;
        try {
          dir = statSync(child).isDirectory();
        } catch {
          // Reported by visit (a broken link, a cycle) when its name says it is YAML.
        }
        if (dir || wanted.test(n)) visit(child, false);
      }
      return;
    }
    const f = readYamlFile(abs, what, "object", display(abs));
    if (isDiagnostic(f)) diagnostics.push(f);
    else files.push(f);
  };
  visit(where, true);
  return { files, diagnostics };
}

/**
 * The documents of a YAML file policyc ships (its policy pack, its own test suites): read like any
 * other, but a problem in one is policyc's defect, so it throws (PC9001 with the file and position).
 */
export function readOwnYaml(file: string, flavor: YamlFlavor = "object"): unknown[] {
  const f = readYamlFile(file, "policyc's own", flavor);
  if (isDiagnostic(f)) throw new Error(`${f.span ? `${f.span.file}:${f.span.line}:${f.span.col}: ` : ""}${f.code}: ${f.message}`);
  return f.docs.map((d) => d.value);
}

/** Larger YAML files are refused before reading (a Kubernetes object is at most ~1.5 MB in etcd). */
export const MAX_YAML_BYTES = 64 * 1024 * 1024;

/** The file's text, or a diagnostic for UTF-16 and for the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, file: string): string | Diagnostic {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return diag(PC4.notUtf8, [file, "it is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"], { file, line: 1, col: 1 });
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return text;
  } catch {
    // Find the first bad byte: the longest prefix that decodes.
    let lo = 0;
    let hi = bytes.length;
    const ok = (n: number) => {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, n));
        return true;
      } catch {
        return false;
      }
    };
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (ok(mid)) lo = mid;
      else hi = mid - 1;
    }
    // A truncated sequence can decode as a prefix; step back to the start of the sequence.
    let at = lo;
    while (at > 0 && (bytes[at]! & 0xc0) === 0x80) at--;
    const before = new TextDecoder("utf-8").decode(bytes.subarray(0, at));
    const pos = lineColOf(before, before.length);
    const hex = Array.from(bytes.subarray(at, Math.min(at + 4, bytes.length)), (b) => `0x${b.toString(16).padStart(2, "0")}`).join(" ");
    return diag(PC4.notUtf8, [file, `byte ${hex} is not UTF-8 (YAML files must be UTF-8)`], { file, line: pos.line, col: pos.col });
  }
}

export function parseYamlText(text: string, file: string, flavor: YamlFlavor): YamlFile | Diagnostic {
  const first = parseOnce(text, file, flavor);
  if (!isDiagnostic(first)) return first;
  // go-yaml accepts quoted scalars whose continuation lines sit at the key's indentation; the
  // `yaml` package does not. Retry with those lines indented one more space (the value is the same,
  // since line folding drops leading whitespace), and report the original error if that fails too.
  const repaired = indentQuotedContinuations(text);
  if (repaired === text) return first;
  const second = parseOnce(repaired, file, flavor);
  if (isDiagnostic(second)) return first;
  return { ...second, text };
}

/**
 * Indents continuation lines of multi-line quoted scalars so they are deeper than the line the
 * scalar starts on. Skips comments and block scalars (`|`, `>`), whose quotes are content.
 */
export function indentQuotedContinuations(text: string): string {
  const lines = text.split("\n");
  const indentOf = (l: string) => l.length - l.trimStart().length;
  let quote: '"' | "'" | undefined;
  let openIndent = 0;
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (quote) {
      if (line.trim() !== "" && indentOf(line) <= openIndent) {
        line = " ".repeat(openIndent + 1 - indentOf(line)) + line;
        lines[i] = line;
      }
    } else {
      if (blockIndent >= 0) {
        if (line.trim() === "" || indentOf(line) > blockIndent) continue;
        blockIndent = -1;
      }
      openIndent = indentOf(line);
    }
    let j = quote ? 0 : openIndent;
    for (; j < line.length; j++) {
      const ch = line[j]!;
      if (quote === '"') {
        if (ch === "\\") j++;
        else if (ch === '"') quote = undefined;
        continue;
      }
      if (quote === "'") {
        if (ch === "'" && line[j + 1] === "'") j++;
        else if (ch === "'") quote = undefined;
        continue;
      }
      const prev = j === 0 ? " " : line[j - 1]!;
      if (ch === "#" && /\s/.test(prev)) break;
      if ((ch === '"' || ch === "'") && /[\s:\[{,-]/.test(prev)) {
        const before = line.slice(0, j).trimEnd();
        if (before === "" || /(^|\s)-$|:$|[\[{,]$/.test(before)) quote = ch;
        continue;
      }
      if ((ch === "|" || ch === ">") && /:\s*$|^\s*-\s*$/.test(line.slice(0, j)) && /^[|>][-+0-9]*\s*(#.*)?$/.test(line.slice(j))) {
        blockIndent = indentOf(line);
        break;
      }
    }
  }
  return lines.join("\n");
}

function parseOnce(text: string, file: string, flavor: YamlFlavor): YamlFile | Diagnostic {
  const lines = new LineCounter();
  const options =
    flavor === "object"
      ? { lineCounter: lines, version: "1.1" as const, customTags: goYamlV2Tags, uniqueKeys: true }
      : { lineCounter: lines, uniqueKeys: true };
  const parsed = parseAllDocuments(text, options);
  const all = Array.isArray(parsed) ? parsed : [];
  const endsWithBreak = text === "" || text.endsWith("\n") || text.endsWith("\r");
  const docs: YamlDoc[] = [];
  for (const doc of all) {
    const err = doc.errors[0];
    if (err) {
      const pos = lines.linePos(err.pos[0]);
      return diag(PC4.notYaml, [file, err.message.split("\n")[0]], { file, line: pos.line, col: pos.col });
    }
    if (flavor === "object") {
      const bad = nonJsonNumber(doc);
      if (bad) {
        const pos = lines.linePos(bad.offset);
        return diag(PC4.notYaml, [file, `\`${bad.source}\` is not a number JSON can hold (Kubernetes rejects it); quote it for a string`], { file, line: pos.line, col: pos.col });
      }
    }
    if (!endsWithBreak) unbreakFinalBlockScalar(doc, text);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      return diag(PC4.notYaml, [file, (e as Error).message], { file, line: 1, col: 1 });
    }
    // Empty documents (a lone `---`, comments only) are not objects, as in the Kubernetes reader.
    if (value === null || value === undefined) continue;
    docs.push({ value, doc });
  }
  return { file, text, docs, lines };
}

/**
 * A block scalar that ends the stream without a line break has no final line break either: go-yaml
 * (v2 and v3, both ports of libyaml, which gator, kubectl and OPA's `yaml.unmarshal` read with) adds
 * the line break only where the text has one, under clip (`|`, `>`) and keep (`|+`, `>+`) chomping
 * alike, while the `yaml` package supplies one at the end of input. Only the document's last scalar
 * can reach the end of the text.
 */
function unbreakFinalBlockScalar(doc: Document.Parsed, text: string): void {
  visit(doc, {
    Scalar(_, node) {
      if (!isScalar(node) || (node.type !== "BLOCK_LITERAL" && node.type !== "BLOCK_FOLDED") || !node.range || node.range[1] !== text.length) return undefined;
      const chomping = /^[|>][0-9]?([-+]?)/.exec(text.slice(node.range[0]))?.[1];
      if (chomping !== "-" && typeof node.value === "string" && node.value.endsWith("\n")) node.value = node.value.slice(0, -1);
      return visit.BREAK;
    },
  });
}

/** The first plain scalar that resolved to Infinity or NaN (`.inf`, `-.Inf`, `.nan`). */
function nonJsonNumber(doc: Document.Parsed): { offset: number; source: string } | undefined {
  let found: { offset: number; source: string } | undefined;
  visit(doc, {
    Scalar(_, node) {
      if (isScalar(node) && typeof node.value === "number" && !Number.isFinite(node.value) && node.range) {
        found = { offset: node.range[0], source: String(node.source ?? node.value) };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

export function isDiagnostic(x: unknown): x is Diagnostic {
  return typeof x === "object" && x !== null && "code" in x && "severity" in x && "message" in x;
}

/** Span of the node at `path` in `doc` (falls back to the nearest ancestor, then to the document start). */
export function spanAt(f: YamlFile, doc: Document.Parsed | undefined, path: (string | number)[]): Span {
  if (doc) {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const start = f.lines.linePos(node.range[0]);
        const end = f.lines.linePos(node.range[1]);
        const span: Span = { file: f.file, line: start.line, col: start.col };
        if (end.line === start.line && end.col > start.col) {
          span.endLine = end.line;
          span.endCol = end.col;
        }
        return span;
      }
    }
  }
  return { file: f.file, line: 1, col: 1 };
}

/** Span of the key of the map entry at `path` (for "unknown field" and "required" messages). */
export function keySpanAt(f: YamlFile, doc: Document.Parsed | undefined, path: (string | number)[]): Span {
  if (doc && path.length > 0) {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    const items = (parent as { items?: { key?: unknown }[] } | undefined)?.items;
    const last = path[path.length - 1];
    if (Array.isArray(items)) {
      for (const item of items) {
        const key = item.key as { value?: unknown; range?: [number, number, number] } | undefined;
        if (key && key.value === last && key.range) {
          const p = f.lines.linePos(key.range[0]);
          return { file: f.file, line: p.line, col: p.col, endLine: p.line, endCol: p.col + String(last).length };
        }
      }
    }
  }
  return spanAt(f, doc, path);
}
