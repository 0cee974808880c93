/**
 * Reading `-i` and `-d` documents within bounds: only regular files (a directory, FIFO or device
 * such as /dev/zero is a diagnostic, never read forever), at most the memory an evaluation may use,
 * and nested no deeper than the engine's limit — one diagnostic at the first bracket past it,
 * found by a scan that does not recurse, whatever the depth.
 */
import { closeSync, fstatSync, openSync, readSync, constants } from "node:fs";
import { describeFsError, diag, type Diagnostic } from "../../diagnostics/index.js";
import { decodeUtf8 } from "../../testing/yaml-files.js";
import { EvalMessages as M } from "./diagnostics.js";

/** The runtime's JSON nesting limit (json_parse.c MAX_DEPTH). */
export const MAX_DOCUMENT_DEPTH = 1000;
/** The default evaluation memory limit (256 MiB): a larger document cannot be evaluated. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/** What stands in the way of reading a file, or its bytes. */
export type GuardedRead =
  | { bytes: Buffer }
  | { problem: "missing" | "directory" | "special" }
  | { problem: "too-large"; size: number }
  | { problem: "error"; error: unknown };

/**
 * The bytes of a regular file of at most `maxBytes`: a directory, a FIFO (opened without waiting
 * for a writer), a socket or a device such as /dev/zero is refused before anything is read. Shared
 * by eval's documents, opa test's files and the suites' objects.
 */
export function readRegularFile(abs: string, maxBytes: number): GuardedRead {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer must not wait for one.
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EISDIR") return { problem: "directory" };
    if (code === "ENOENT" || code === "ENOTDIR") return { problem: "missing" };
    return { problem: "error", error: e };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { problem: "directory" };
    if (!st.isFile()) return { problem: "special" };
    if (st.size > maxBytes) return { problem: "too-large", size: st.size };
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < st.size) {
      const r = readSync(fd, buf, n, st.size - n, n);
      if (r === 0) break;
      n += r;
    }
    return { bytes: buf.subarray(0, n) };
  } catch (e) {
    return { problem: "error", error: e };
  } finally {
    closeSync(fd);
  }
}

/** The diagnostic of a refused read (PC5580, PC5587–PC5589, PC5591). */
export function refusedRead(r: Exclude<GuardedRead, { bytes: Buffer }>, file: string): Diagnostic {
  if (r.problem === "directory") return diag(M.isDirectory, [file]);
  if (r.problem === "special") return diag(M.notRegularFile, [file]);
  if (r.problem === "too-large") return diag(M.documentTooLarge, [file, Math.ceil(r.size / 1048576), MAX_DOCUMENT_BYTES / 1048576]);
  if (r.problem === "error") return diag(M.unreadable, [file, describeFsError(r.error)], { file, line: 1, col: 1 });
  return diag(M.noSuchFile, [file]);
}

/** The text of a document file, or undefined with a diagnostic. */
export function readDocumentText(abs: string, file: string, diags: Diagnostic[]): string | undefined {
  const r = readRegularFile(abs, MAX_DOCUMENT_BYTES);
  if ("problem" in r) {
    diags.push(refusedRead(r, file));
    return undefined;
  }
  // UTF-16 and invalid UTF-8 are diagnostics at their position, never replacement characters.
  const text = decodeUtf8(r.bytes, file);
  if (typeof text !== "string") {
    diags.push(text);
    return undefined;
  }
  const deep = tooDeepAt(text);
  if (deep) {
    diags.push(diag(M.documentTooDeep, [MAX_DOCUMENT_DEPTH], { file, line: deep.line, col: deep.col }));
    return undefined;
  }
  return text;
}

/** Position of the first `[` or `{` opened past the depth limit (outside strings), if any. */
export function tooDeepAt(text: string): { line: number; col: number } | undefined {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      lineStart = i + 1;
    }
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = "";
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "{") {
      if (++depth > MAX_DOCUMENT_DEPTH) return { line, col: i - lineStart + 1 };
    } else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
  }
  return undefined;
}
