/**
 * Where a builder was called from. Builders record the user's call site so that diagnostics about
 * a resource point at the line that declared it; stack frames inside policyc's own sources are
 * skipped, so the first foreign frame is the user's.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Span } from "../../../diagnostics/index.js";

const policycSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

const frameRe = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

/** The span of the innermost call from outside policyc's sources, or undefined when none is found. */
export function callerSpan(): Span | undefined {
  const stack = new Error().stack ?? "";
  for (const line of stack.split("\n").slice(1)) {
    const m = frameRe.exec(line.trim());
    if (!m) continue;
    let file = m[1]!;
    if (file.startsWith("file://")) file = fileURLToPath(file);
    if (file.startsWith("node:") || file.includes("/node_modules/") || !path.isAbsolute(file)) continue;
    if (file.startsWith(policycSrc + path.sep)) continue;
    return { file, line: Number(m[2]), col: Number(m[3]) };
  }
  return undefined;
}
