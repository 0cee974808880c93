/**
 * Reads YAML files the way gator does and keeps positions for diagnostics.
 * Suites are YAML 1.2 (gator uses go-yaml v3: `yes`/`no` stay strings); Kubernetes objects are
 * read YAML 1.1 style like sigs.k8s.io/yaml (go-yaml v2), but timestamps stay strings because that
 * decoder hands them to JSON as text.
 */
import { readFileSync, statSync } from "node:fs";
import { LineCounter, parseAllDocuments, isNode, type Document } from "yaml";
import { diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import { PC4 } from "./diagnostics.js";

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
  let text: string;
  try {
    if (!statSync(file).isFile()) return diag(PC4.fileMissing, [what, displayName], refSpan, ["it is a directory"]);
    text = readFileSync(file, "utf8");
  } catch {
    return diag(PC4.fileMissing, [what, displayName], refSpan);
  }
  return parseYamlText(text, displayName, flavor);
}

const noTimestamps = (tags: unknown[]) =>
  tags.filter((t) => (t as { tag?: string }).tag !== "tag:yaml.org,2002:timestamp") as never;

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
      ? { lineCounter: lines, version: "1.1" as const, customTags: noTimestamps, uniqueKeys: false }
      : { lineCounter: lines, uniqueKeys: false };
  const parsed = parseAllDocuments(text, options);
  const all = Array.isArray(parsed) ? parsed : [];
  const docs: YamlDoc[] = [];
  for (const doc of all) {
    const err = doc.errors[0];
    if (err) {
      const pos = lines.linePos(err.pos[0]);
      return diag(PC4.notYaml, [file, err.message.split("\n")[0]], { file, line: pos.line, col: pos.col });
    }
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
