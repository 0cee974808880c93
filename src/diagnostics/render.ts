/**
 * The one place diagnostics become text: `file:line:col: error PC1234: message`, plus an
 * optional code frame (the source line with a `~~~` underline) for terminals.
 */
import type { Diagnostic } from "./diagnostic.js";
import { sortDiagnostics } from "./diagnostic.js";

export interface RenderOptions {
  /** Reads a file's text for code frames; omit to print without frames. */
  readSource?: (file: string) => string | undefined;
  color?: boolean;
}

const colors = {
  error: (s: string) => `\x1b[31m${s}\x1b[0m`,
  warning: (s: string) => `\x1b[33m${s}\x1b[0m`,
  info: (s: string) => `\x1b[36m${s}\x1b[0m`,
  dim: (s: string) => `\x1b[2m${s}\x1b[0m`,
};

export function renderDiagnostic(d: Diagnostic, options: RenderOptions = {}): string {
  const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.col}: ` : "";
  const sev = options.color ? colors[d.severity](d.severity) : d.severity;
  const lines = [`${where}${sev} ${d.code}: ${d.message}`];
  const frame = d.span && options.readSource ? codeFrame(d, options.readSource(d.span.file)) : undefined;
  if (frame) lines.push(options.color ? colors.dim(frame) : frame);
  for (const note of d.notes ?? []) lines.push(`  note: ${note}`);
  return lines.join("\n");
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], options: RenderOptions = {}): string {
  return sortDiagnostics(diagnostics)
    .map((d) => renderDiagnostic(d, options))
    .join("\n");
}

/** Characters of a source line a code frame shows at most. */
const FRAME_WIDTH = 160;

function codeFrame(d: Diagnostic, text: string | undefined): string | undefined {
  if (!text || !d.span) return undefined;
  const src = text.split(/\r?\n/)[d.span.line - 1];
  if (src === undefined) return undefined;
  const start = Math.max(1, d.span.col);
  const end = d.span.endLine === d.span.line && d.span.endCol && d.span.endCol > start ? d.span.endCol : start + 1;
  const gutter = `${d.span.line} | `;
  // A long line (minified JSON, generated Rego) shows a window around the column, not all of it.
  const from = src.length > FRAME_WIDTH ? Math.max(0, start - 1 - FRAME_WIDTH / 2) : 0;
  const shown = (from > 0 ? "…" : "") + src.slice(from, from + FRAME_WIDTH) + (from + FRAME_WIDTH < src.length ? "…" : "");
  const lead = (from > 0 ? " " : "") + src.slice(from, start - 1).replace(/[^\t]/g, " ");
  const pad = " ".repeat(gutter.length) + lead;
  return `${gutter}${shown}\n${pad}${"~".repeat(Math.max(1, Math.min(end - start, FRAME_WIDTH)))}`;
}
