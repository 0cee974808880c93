/**
 * The manifests `policyc check` reads: files, folders (recursively: `.yaml`, `.yml`, `.json`, as
 * gator walks them) and stdin (`-`). A file is cut into chunks at its `---` document markers, so a
 * broken document is one diagnostic and the others are still read, and chunks can be parsed on any
 * worker. Each chunk is parsed by the fast reader of plain documents (`plain-yaml.ts`) or, when it
 * declines, by the project's YAML reader (`yaml-files.ts`, Kubernetes' flavour);
 * every object keeps its file, line and column, and helm's `# Source:` comment when it has one. A
 * `kind: List` (`kubectl get -o yaml`) gives its items, each at its own line.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { isNode, isMap, type Document } from "yaml";
import { describeFsError, diag, type Diagnostic } from "../../diagnostics/index.js";
import { PC41 } from "../diagnostics.js";
import { isObject, type KubeObject } from "../gatekeeper/objects.js";
import type { ObjectOrigin } from "../gatekeeper/policy-set.js";
import { isDiagnostic, parseYamlText } from "../yaml-files.js";
import { parsePlainDocument } from "./plain-yaml.js";
import { SpoolFile } from "./spool-file.js";

export const STDIN = "-";
/** How stdin is named in reports. */
export const STDIN_DISPLAY = "<stdin>";
const MANIFEST = /\.(ya?ml|json)$/i;

export interface InputFile {
  /** Absolute path, or `-` for stdin. */
  abs: string;
  /** As shown in reports: relative to the working directory, `<stdin>` for stdin. */
  display: string;
  /** Stdin's or a pipe's bytes, as read once (`InputCopies`): read from here. */
  copy?: SpoolFile;
}

/** The files the paths name, folders walked in sorted order; a missing path is a diagnostic. */
export function listInputs(paths: readonly string[], cwd: string): { files: InputFile[]; diagnostics: Diagnostic[] } {
  const files: InputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const add = (abs: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ abs, display: path.relative(cwd, abs).split(path.sep).join("/") || path.basename(abs) });
  };
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (MANIFEST.test(e.name)) add(p);
    }
  };
  for (const p of paths) {
    if (p === STDIN) {
      if (!seen.has(STDIN)) files.push({ abs: STDIN, display: STDIN_DISPLAY });
      seen.add(STDIN);
      continue;
    }
    const abs = path.resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      diagnostics.push(diag(PC41.noInput, [p, (e as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `cannot be read: ${describeFsError(e)}`]));
      continue;
    }
    if (st.isDirectory()) walk(abs);
    // As gator: a named file must be a manifest by its name. Pipes (`<(helm template …)`) have no
    // name to judge and are read as they come.
    else if (st.isFile() && !MANIFEST.test(abs)) diagnostics.push(diag(PC41.noInput, [p, `is not a manifest file: only .yaml, .yml and .json files are read (pipe it instead: policyc check - < ${p})`]));
    else add(abs);
  }
  return { files, diagnostics };
}

/** A run of a file's text holding one document (or a few, when markers hide in odd places). */
export interface Chunk {
  file: string;
  text: string;
  /** 1-based line of the chunk's first line in the file. */
  line: number;
  /** 1-based index of the chunk's document in the file (chunks holding only comments are not counted). */
  document?: number;
  /** Columns the text was moved left by (a `kind: List` item cut out of its list: `listItems`). */
  colShift?: number;
  /** An item of a JSON List (`ListCutter`): read as JSON, the reader of its layout. */
  json?: boolean;
  /** Already parsed (on the first pass, for the inventory): the second pass does not parse again. */
  parsed?: ParsedChunk;
}

export interface ParsedChunk {
  objects: InputObject[];
  diagnostics: Diagnostic[];
}

/**
 * Cuts a manifest stream before every line that starts a document (`---` alone or followed by
 * whitespace). Document markers cannot occur inside a block scalar (its lines are indented), so
 * this splits where the YAML parser would.
 */
export function splitDocuments(text: string, file: string): Chunk[] {
  const chunks: Chunk[] = [];
  let documents = 0;
  const push = (c: Chunk) => {
    if (CONTENT.test(c.text)) c.document = ++documents;
    chunks.push(c);
  };
  let start = 0;
  let startLine = 1;
  let line = 1;
  let i = 0;
  while (i <= text.length) {
    const nl = text.indexOf("\n", i);
    const end = nl < 0 ? text.length : nl;
    if (text.startsWith("---", i) && (end === i + 3 || /[ \t\r]/.test(text[i + 3]!)) && i > start) {
      push({ file, text: text.slice(start, i), line: startLine });
      start = i;
      startLine = line;
    }
    if (nl < 0) break;
    i = nl + 1;
    line++;
  }
  if (start < text.length) push({ file, text: text.slice(start), line: startLine });
  return chunks;
}

/**
 * Bytes read at a time by `fileChunks`. Chunks are slices of their block's text, which stays alive
 * while any of them is in flight: small blocks keep that little and never reach the heap's large-object
 * space (collected only by full collections).
 */
const BLOCK_BYTES = 64 << 10;

/**
 * A file's chunks as `splitDocuments` cuts its whole text, read a block at a time: only the block
 * being cut and the documents not yet cut are held, never the whole file. A cluster snapshot can be
 * far larger than any object in it; the memory a check needs is bounded by its largest document.
 * A read error ends the file's chunks with a diagnostic.
 */
export function* fileChunks(f: InputFile, blockBytes = BLOCK_BYTES, listBytes = LIST_BYTES): Generator<Chunk | Diagnostic> {
  if (isKubectlList(f, blockBytes, listBytes)) {
    yield* listFileChunks(f, blockBytes);
    return;
  }
  let input: InputBytes;
  try {
    input = openInput(f);
  } catch (e) {
    yield readError(f, e);
    return;
  }
  try {
    // As readFileSync(…, "utf8") decodes: a byte order mark is kept, invalid bytes become U+FFFD.
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    const block = Buffer.allocUnsafe(blockBytes);
    // The text not yet cut, in the pieces decoded (joined only at a cut: a long document is not
    // copied again with each block), and its last four characters (where a marker can begin).
    let pieces: string[] = [];
    let pendingLength = 0;
    let tail = "";
    let lines = 0;
    let documents = 0;
    const emit = (text: string): Chunk[] => {
      const chunks = splitDocuments(text, f.display);
      // The text ends with a line break: its lines are those before its last chunk and that chunk's.
      const last = chunks[chunks.length - 1]!;
      let breaks = last.line - 1;
      for (let i = last.text.indexOf("\n"); i >= 0; i = last.text.indexOf("\n", i + 1)) breaks++;
      let counted = 0;
      for (const c of chunks) {
        c.line += lines;
        if (c.document !== undefined) {
          c.document += documents;
          counted++;
        }
      }
      lines += breaks;
      documents += counted;
      return chunks;
    };
    for (;;) {
      let n: number;
      try {
        n = input.read(block, blockBytes);
      } catch (e) {
        yield readError(f, e);
        return;
      }
      if (n === 0) break;
      const decoded = decoder.decode(block.subarray(0, n), { stream: true });
      // Cut before the last document marker whose line is complete enough to judge: one that the
      // new text completes begins at most four characters before it.
      const region = tail + decoded;
      const at = lastMarker(region);
      pieces.push(decoded);
      pendingLength += decoded.length;
      if (at > 0) {
        const pending = pieces.join("");
        const cut = pendingLength - region.length + at;
        yield* emit(pending.slice(0, cut));
        const rest = pending.slice(cut);
        pieces = [rest];
        pendingLength = rest.length;
        tail = rest.slice(-4);
      } else tail = region.slice(-4);
    }
    const pending = pieces.join("") + decoder.decode();
    if (pending.length > 0) yield* emit(pending);
  } finally {
    input.close();
  }
}

/** An input's bytes, read from the start: a file (opened again on each pass), or a copy in a spool file. */
interface InputBytes {
  /** Reads the next bytes into the block; 0 at the end. */
  read(block: Buffer, length: number): number;
  close(): void;
}

function openInput(f: InputFile): InputBytes {
  const copy = f.copy;
  if (copy) {
    let at = 0;
    return {
      read: (block, length) => {
        const n = Math.min(length, copy.size - at);
        if (n <= 0) return 0;
        const got = copy.read(block, 0, n, at);
        at += got;
        return got;
      },
      close: () => {},
    };
  }
  const fd = openSync(f.abs, "r");
  return { read: (block, length) => readSync(fd, block, 0, length, null), close: () => closeSync(fd) };
}

/**
 * Inputs that cannot be read twice — stdin, a pipe named as a path (`<(helm template …)`) — are
 * copied to a spool file of policyc's own as the first pass reads them (`InputCopies.prepare`),
 * and every pass reads them from it as it reads a file: a block at a time, a large kubectl List
 * item by item. Their whole text is never held, and the copy is gone however the run ends.
 * Tests give stdin's text instead (`stdinText`).
 */
export class InputCopies {
  private readonly copies: SpoolFile[] = [];

  constructor(private readonly stdinText?: string) {}

  /**
   * The input as the passes read it: a regular file as it is; stdin and pipes copied (their bytes
   * counted in `bytes`). A read error is a diagnostic, and the input is then read as empty.
   */
  prepare(f: InputFile): { file: InputFile; bytes: number; diagnostic?: Diagnostic } {
    if (f.abs !== STDIN) {
      try {
        if (statSync(f.abs).isFile()) return { file: f, bytes: 0 };
      } catch {
        // Reported when it is read.
        return { file: f, bytes: 0 };
      }
    }
    const copy = new SpoolFile("policyc-input-");
    this.copies.push(copy);
    const file = { ...f, copy };
    if (f.abs === STDIN && this.stdinText !== undefined) {
      copy.append(Buffer.from(this.stdinText, "utf8"));
      return { file, bytes: copy.size };
    }
    try {
      copyStream(f.abs === STDIN ? 0 : f.abs, copy);
      return { file, bytes: copy.size };
    } catch (e) {
      return { file, bytes: copy.size, diagnostic: readError(f, e) };
    }
  }

  /** Lets the copies go (idempotent). */
  close(): void {
    for (const c of this.copies.splice(0)) c.close();
  }
}

const waiter = new Int32Array(new SharedArrayBuffer(4));

/** Copies stdin (fd 0) or a pipe to the spool file, a block at a time. */
function copyStream(from: 0 | string, to: SpoolFile): void {
  const fd = from === 0 ? 0 : openSync(from, "r");
  const block = Buffer.allocUnsafe(BLOCK_BYTES);
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, block, 0, block.length, null);
      } catch (e) {
        // A non-blocking stdin with nothing to read yet: wait a moment for the writer.
        if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
        Atomics.wait(waiter, 0, 0, 2);
        continue;
      }
      if (n === 0) return;
      to.append(block.subarray(0, n));
    }
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/**
 * Files at least this large whose text begins as kubectl prints a List are read item by item
 * (`listFileChunks`); smaller ones are cut at their document markers and a List among them is
 * parsed whole.
 */
const LIST_BYTES = 64 << 10;

/** Verdicts of `isKubectlList` by file, size and modification time, or by copy (each pass over the inputs asks again). */
const listVerdicts = new Map<string | SpoolFile, boolean>();

/**
 * Whether a file is one List in a layout `ListCutter` cuts: its first 4 KB say it may be, then the
 * whole file is read through the cutter, judging only (each item is made on the next reading): a
 * List whose `kind` or layout turns out otherwise past its first items is read whole.
 */
function isKubectlList(f: InputFile, blockBytes: number, listBytes: number): boolean {
  let key: string | SpoolFile;
  let head: string;
  try {
    let size: number;
    if (f.copy) {
      size = f.copy.size;
      key = f.copy;
    } else {
      const st = statSync(f.abs);
      if (!st.isFile()) return false;
      size = st.size;
      key = `${f.abs}\0${st.size}\0${st.mtimeMs}`;
    }
    if (size < listBytes) return false;
    const known = listVerdicts.get(key);
    if (known !== undefined) return known;
    const input = openInput(f);
    try {
      const b = Buffer.alloc(Math.min(4096, size));
      let n = 0;
      for (let got = 1; n < b.length && got > 0; n += got) got = input.read(b.subarray(n), b.length - n);
      head = b.toString("utf8", 0, n);
    } finally {
      input.close();
    }
  } catch {
    // Reported when the file is read.
    return false;
  }
  let verdict = false;
  if (/^items:[ \t\r]*\n- /m.test(head) || (/^\{[ \t\r]*\n/.test(head) && /^ +"items": \[[ \t\r]*$/m.test(head))) {
    const cutter = new ListCutter(f.display, 1, 1, false);
    verdict = true;
    try {
      for (const batch of fileLines(f, blockBytes)) {
        for (const l of batch) if (!cutter.line(l)) verdict = false;
        if (!verdict) break;
      }
      verdict &&= cutter.end();
    } catch {
      verdict = false;
    }
  }
  if (listVerdicts.size >= 64) listVerdicts.clear();
  listVerdicts.set(key, verdict);
  return verdict;
}

/** A List file's items, read a block at a time: only the item being cut is held. */
function* listFileChunks(f: InputFile, blockBytes: number): Generator<Chunk | Diagnostic> {
  const cutter = new ListCutter(f.display, 1, 1);
  try {
    for (const batch of fileLines(f, blockBytes)) {
      for (const l of batch) {
        if (!cutter.line(l)) {
          yield diag(PC41.noInput, [f.display, "changed while it was read"]);
          return;
        }
      }
      yield* cutter.take();
    }
  } catch (e) {
    yield readError(f, e);
    return;
  }
  if (!cutter.end()) yield diag(PC41.noInput, [f.display, "changed while it was read"]);
  else yield* cutter.take();
}

/**
 * A file's lines (without their line breaks; the text after the last one is the last line),
 * a block at a time, decoded as readFileSync(…, "utf8") decodes.
 */
function* fileLines(f: InputFile, blockBytes: number): Generator<string[]> {
  const input = openInput(f);
  try {
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    const block = Buffer.allocUnsafe(blockBytes);
    let rest = "";
    for (;;) {
      const n = input.read(block, blockBytes);
      if (n === 0) break;
      const lines = (rest + decoder.decode(block.subarray(0, n), { stream: true })).split("\n");
      rest = lines.pop()!;
      if (lines.length > 0) yield lines;
    }
    yield [rest + decoder.decode()];
  } finally {
    input.close();
  }
}

/** The start of the last line of `text` that is a document marker `splitDocuments` cuts at (0 when none is known yet). */
function lastMarker(text: string): number {
  for (let k = text.lastIndexOf("\n---"); k >= 0; k = k === 0 ? -1 : text.lastIndexOf("\n---", k - 1)) {
    const after = text[k + 4];
    // A marker line is `---` alone or followed by whitespace; past the text's end it cannot be told yet.
    if (after === "\n" || after === " " || after === "\t" || after === "\r") return k + 1;
  }
  return 0;
}

function readError(f: InputFile, e: unknown): Diagnostic {
  return diag(PC41.noInput, [f.display, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
}

/**
 * The items of a `kind: List` document (or a typed `…List`) in a layout kubectl prints, each as a
 * chunk of its own (`ListCutter`). A cluster exported with `kubectl get -A -o yaml|json` is one
 * such document; whole, it would be read by the full YAML reader and checked as one piece on one
 * thread. Any other layout (comments, indented items, flow style, a second document) is left
 * whole: undefined.
 */
export function listItems(chunk: Chunk): Chunk[] | undefined {
  const cutter = new ListCutter(chunk.file, chunk.line, chunk.document);
  const lines = chunk.text.split("\n");
  for (const l of lines) if (!cutter.line(l)) return undefined;
  if (!cutter.end()) return undefined;
  const items = cutter.take();
  return items.length > 0 ? items : undefined;
}

/**
 * Cuts the two layouts kubectl prints a List in, line by line, into one chunk per item, so a List
 * is read, held and checked item by item like a multi-document stream:
 * - YAML (`-o yaml`): top-level keys at the line start, `items:` alone on its line, each item a
 *   mapping starting with `- key:` at the line start and continuing two columns in (the chunk is
 *   the item moved two columns left: `colShift`);
 * - JSON (`-o json`, or any JSON indented by a fixed number of spaces, as jq prints it): `{` alone
 *   on the first line, top-level keys one indent in, `"items": [` and each item an object from
 *   `{` to `}` alone on their lines two indents in (the chunk keeps the item's columns).
 * A line outside the layout makes `line` answer false (the caller reads the document whole); `end`
 * answers whether it was a `kind: …List` with its items in a block.
 */
export class ListCutter {
  private format: "yaml" | "json" | undefined;
  private n = 0;
  private items: Chunk[] = [];
  private current: { line: number; lines: string[] } | undefined;
  private kindIsList = false;
  private sawItems = false;
  private done = false;
  // YAML: in the items' block.
  private inItems = false;
  // JSON: the indent of the top-level keys, and the closing line of the top-level value being skipped.
  private unit = 0;
  private skipUntil: RegExp | undefined;
  private jsonState: "top" | "items" | "closed" = "top";

  constructor(
    private readonly file: string,
    private readonly firstLine: number,
    private readonly document: number | undefined,
    /** False: only judge the layout (no chunk is made). */
    private readonly keep = true,
  ) {}

  /** One line (without its line break); false when it is not of a layout kubectl prints. */
  line(l: string): boolean {
    const n = this.n++;
    if (this.done) return false;
    if (this.format === undefined) {
      if (l.trim() === "" || (n === 0 && /^---[ \t\r]*$/.test(l))) return true;
      this.format = /^\{[ \t\r]*$/.test(l) ? "json" : "yaml";
      if (this.format === "json") return true;
    }
    const ok = this.format === "yaml" ? this.yamlLine(l, n) : this.jsonLine(l, n);
    if (!ok) this.done = true;
    return ok;
  }

  /** Whether the lines were a List in one of kubectl's layouts (the last item is then taken). */
  end(): boolean {
    if (this.done) return false;
    this.flush();
    this.done = true;
    return this.kindIsList && this.sawItems && (this.format === "yaml" || this.jsonState === "closed");
  }

  /** The items cut so far (each given once). */
  take(): Chunk[] {
    const out = this.items;
    this.items = [];
    return out;
  }

  private yamlLine(l: string, n: number): boolean {
    if (l.startsWith("- ")) {
      if (!this.inItems || !/^- [\w.\/-]+:( |\r?$)/.test(l)) return false;
      this.flush();
      this.current = { line: n, lines: [l.slice(2)] };
    } else if (l.startsWith("  ") || l.trim() === "") {
      // An item's line, or a line of the list's own fields (metadata), or a blank line.
      if (this.current) this.current.lines.push(l.slice(2));
      else if (this.inItems && l.trim() !== "") return false;
    } else if (/^[\w.\/-]+:/.test(l)) {
      this.flush();
      this.inItems = /^items:[ \t\r]*$/.test(l);
      if (this.inItems) this.sawItems = true;
      else if (/^kind: [A-Za-z]*List[ \t\r]*$/.test(l)) this.kindIsList = true;
    } else return false;
    return true;
  }

  private jsonLine(l: string, n: number): boolean {
    const t = l.replace(/\r$/, "");
    if (this.jsonState === "closed") return t.trim() === "";
    if (this.unit === 0) {
      this.unit = /^ */.exec(t)![0].length;
      if (this.unit === 0) {
        if (t !== "}") return false;
        this.jsonState = "closed";
        return true;
      }
    }
    const indent = /^ */.exec(t)![0].length;
    if (this.skipUntil) {
      if (this.skipUntil.test(t)) this.skipUntil = undefined;
      else if (indent <= this.unit) return false;
      return true;
    }
    if (this.jsonState === "items") {
      const at = 2 * this.unit;
      if (this.current) {
        if (indent > at) {
          this.current.lines.push(t);
          return true;
        }
        if (indent === at && /^ *\},?$/.test(t)) {
          this.current.lines.push(t.replace(/,$/, ""));
          this.flush();
          return true;
        }
        return false;
      }
      if (indent === at && /^ *\{(\},?)?$/.test(t)) {
        this.current = { line: n, lines: [t.replace(/,$/, "")] };
        if (t.trimStart().startsWith("{}")) this.flush();
        return true;
      }
      if (indent !== this.unit || !/^ *\],?$/.test(t)) return false;
      this.jsonState = "top";
      return true;
    }
    if (t === "}") {
      this.jsonState = "closed";
      return true;
    }
    if (indent !== this.unit) return false;
    const m = /^ *"((?:[^"\\]|\\.)*)": (.*?),?$/.exec(t);
    if (!m) return false;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === "items" && value === "[") {
      this.jsonState = "items";
      this.sawItems = true;
    } else if (value === "{" || value === "[") {
      this.skipUntil = new RegExp(`^ {${this.unit}}${value === "{" ? "\\}" : "\\]"},?$`);
    } else if (key === "kind") {
      this.kindIsList = /^"[A-Za-z]*List"$/.test(value);
    }
    return true;
  }

  private flush(): void {
    const c = this.current;
    this.current = undefined;
    if (!c || !this.keep) return;
    this.items.push({
      file: this.file,
      text: `${c.lines.join("\n")}\n`,
      line: this.firstLine + c.line,
      ...(this.format === "yaml" ? { colShift: 2 } : { json: true }),
      ...(this.document ? { document: this.document } : {}),
    });
  }
}

/** A line that is neither blank, nor a comment, nor a document marker. */
const CONTENT = /^(?![ \t]*#)(?!---[ \t\r]*$)[ \t]*[^\s]/m;

export function readInputText(f: InputFile): string | Diagnostic {
  try {
    return readFileSync(f.abs === STDIN ? 0 : f.abs, "utf8");
  } catch (e) {
    return readError(f, e);
  }
}

export interface InputObject {
  object: KubeObject;
  origin: ObjectOrigin;
}

/** helm template's `# Source: chart/templates/x.yaml`, in the comment before the document. */
function helmSource(doc: Document.Parsed): string | undefined {
  return sourceComment([doc.commentBefore, isNode(doc.contents) ? doc.contents.commentBefore : undefined].filter(Boolean).join("\n"));
}

function sourceComment(before: string): string | undefined {
  const m = /^\s*Source:\s*(\S.*?)\s*$/m.exec(before);
  return m ? m[1] : undefined;
}

/** The objects of one chunk, each with its origin; a broken document or non-object is a diagnostic. */
export function parseChunk(chunk: Chunk): ParsedChunk {
  if (chunk.parsed) return chunk.parsed;
  const objects: InputObject[] = [];
  const diagnostics: Diagnostic[] = [];
  const shift = chunk.line - 1;
  const colShift = chunk.colShift ?? 0;
  if (chunk.json) {
    const item = jsonItem(chunk);
    if (item) return { objects: [item], diagnostics };
  }
  // Plain documents (nearly all manifests) through the fast reader; everything else through the full one.
  const plain = parsePlainDocument(chunk.text);
  if (plain) {
    const origin: ObjectOrigin = { file: chunk.file, line: plain.line + shift, col: plain.col + colShift, ...(chunk.document ? { document: chunk.document } : {}) };
    const source = sourceComment(plain.comments.join("\n"));
    if (source) origin.source = source;
    if (typeof plain.value.kind !== "string" || typeof plain.value.apiVersion !== "string") {
      diagnostics.push(diag(PC41.notAnObject, [`at line ${origin.line}`, chunk.file, "no apiVersion or kind"], origin));
    } else objects.push({ object: plain.value, origin });
    return { objects, diagnostics };
  }
  const parsed = parseYamlText(chunk.text, chunk.file, "object");
  if (isDiagnostic(parsed)) {
    // The reader's message counts lines from the chunk; the span carries the file's line instead,
    // and stays inside the document (an unclosed bracket is reported where the text ends).
    const message = parsed.message.replace(/ at line \d+, column \d+:?$/, "");
    const lines = chunk.text.split("\n");
    let last = lines.length;
    while (last > 1 && lines[last - 1]!.trim() === "") last--;
    const span = parsed.span && parsed.span.line > last ? { file: parsed.span.file, line: last, col: 1 } : parsed.span;
    diagnostics.push(span ? { ...parsed, message, span: { ...span, line: span.line + shift, col: span.col + colShift } } : { ...parsed, message });
    return { objects, diagnostics };
  }
  for (const d of parsed.docs) {
    const at = (node: unknown): ObjectOrigin => {
      const range = isNode(node) ? node.range : undefined;
      const pos = range ? parsed.lines.linePos(range[0]) : { line: 1, col: 1 };
      return { file: chunk.file, line: pos.line + shift, col: pos.col + colShift, ...(chunk.document ? { document: chunk.document } : {}) };
    };
    const origin = at(d.doc.contents);
    const source = helmSource(d.doc);
    if (source) origin.source = source;
    const value = d.value;
    if (!isObject(value)) {
      diagnostics.push(diag(PC41.notAnObject, [`at line ${origin.line}`, chunk.file, Array.isArray(value) ? "a list" : typeof value], origin));
      continue;
    }
    // `kind: List` (and the typed *List kinds kubectl prints) carries its objects in `items`.
    if (isListEnvelope(value)) {
      const items = isMap(d.doc.contents) ? d.doc.getIn(["items"], true) : undefined;
      (value.items as unknown[]).forEach((item, i) => {
        const node = isNode(items) ? (items as unknown as { items: unknown[] }).items[i] : undefined;
        const o = at(node ?? d.doc.contents);
        if (source) o.source = source;
        // As a document of its own would be (a List cut into its items gives the same).
        if (!isObject(item)) diagnostics.push(diag(PC41.notAnObject, [`item ${i}`, chunk.file, typeof item], o));
        else if (typeof item.kind !== "string" || typeof item.apiVersion !== "string") diagnostics.push(diag(PC41.notAnObject, [`at line ${o.line}`, chunk.file, "no apiVersion or kind"], o));
        else objects.push({ object: item, origin: o });
      });
      continue;
    }
    if (typeof value.kind !== "string" || typeof value.apiVersion !== "string") {
      diagnostics.push(diag(PC41.notAnObject, [`at line ${origin.line}`, chunk.file, "no apiVersion or kind"], origin));
      continue;
    }
    objects.push({ object: value, origin });
  }
  return { objects, diagnostics };
}

/**
 * A JSON List's item as JSON.parse reads it, at its opening brace; anything unusual (a syntax
 * error, not an object, a List inside the List) is left to the full reader, which reports it.
 */
function jsonItem(chunk: Chunk): InputObject | undefined {
  let value: unknown;
  try {
    value = JSON.parse(chunk.text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || typeof value.kind !== "string" || typeof value.apiVersion !== "string" || isListEnvelope(value)) return undefined;
  const col = chunk.text.search(/\S/) + 1;
  return { object: value, origin: { file: chunk.file, line: chunk.line, col, ...(chunk.document ? { document: chunk.document } : {}) } };
}

function isListEnvelope(v: Record<string, unknown>): boolean {
  return typeof v.kind === "string" && v.kind.endsWith("List") && Array.isArray(v.items);
}

/**
 * Finds the text of every document whose `kind` may be one of `kinds` (YAML or JSON, quoted or not,
 * on the key's line or the next): a reader parses only those. The kind's name alone would also
 * find ServiceAccounts for Service, and any object that mentions the kind.
 */
export function kindPattern(kinds: readonly string[]): RegExp {
  const names = kinds.map((k) => k.replace(/[^\w]/g, (c) => `\\${c}`));
  return new RegExp(`kind["']?\\s*:\\s*["']?(?:${names.join("|")})(?![\\w-])`);
}
