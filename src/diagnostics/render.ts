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
  const where = d.span ? `${escapeInvisible(d.span.file)}:${d.span.line}:${d.span.col}: ` : "";
  const sev = options.color ? colors[d.severity](d.severity) : d.severity;
  const lines = [`${where}${sev} ${d.code}: ${escapeLookAlikesInNames(escapeInvisible(d.message))}`];
  const frame = d.span && options.readSource ? codeFrame(d, options.readSource(d.span.file)) : undefined;
  if (frame) lines.push(options.color ? colors.dim(frame) : frame);
  for (const note of [...(d.notes ?? []), ...lookAlikeNotes(d.message)]) lines.push(`  note: ${escapeInvisible(note)}`);
  return lines.join("\n");
}

/**
 * Characters a terminal would hide or that would break the line: control characters (NUL
 * included), zero-width and bidirectional marks, non-breaking spaces. They are shown as `\u{…}`.
 */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00a0\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufe00-\ufe0f\ufeff]/g;

export function escapeInvisible(s: string): string {
  return s.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}}`);
}

/** Letters of other scripts that look like ASCII ones, the usual suspects of a mistyped name. */
const LOOK_ALIKES: Record<string, string> = {
  "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y", "\u0445": "x", "\u0456": "i", "\u0458": "j", "\u0455": "s",
  "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K", "\u041c": "M", "\u041d": "H", "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X",
  "\u03bf": "o", "\u03b1": "a", "\u03bd": "v", "\u03c1": "p", "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0397": "H", "\u0399": "I", "\u039a": "K", "\u039c": "M", "\u039d": "N", "\u039f": "O", "\u03a1": "P", "\u03a4": "T", "\u03a7": "X", "\u0417": "3",
  "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-", "\uff0d": "-", "\u2024": ".", "\uff0e": ".", "\u2215": "/", "\uff0f": "/",
};

/** Look-alike letters inside quoted names (`…`) of a message, as `\u{…}`: `pr\u{043E}d`, not `prоd`. */
function escapeLookAlikesInNames(message: string): string {
  return message.replace(/`[^`]+`/g, (q) => [...q].map((c) => (LOOK_ALIKES[c] ? `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}}` : c)).join(""));
}

/** A note per quoted name (`…`) in the message that holds a look-alike or invisible character. */
function lookAlikeNotes(message: string): string[] {
  const notes: string[] = [];
  for (const m of message.matchAll(/`([^`]+)`/g)) {
    const name = m[1]!;
    const found: string[] = [];
    [...name].forEach((c, i) => {
      const like = LOOK_ALIKES[c];
      const hex = c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
      if (like) found.push(`U+${hex} at position ${i + 1} looks like \`${like}\` but is not ASCII`);
      else if (INVISIBLE.test(c)) found.push(`an invisible U+${hex} at position ${i + 1}`);
      INVISIBLE.lastIndex = 0;
    });
    if (found.length > 0) notes.push(`\`${escapeLookAlikesInNames(`\`${escapeInvisible(name)}\``).slice(1, -1)}\` has ${found.join(", ")}`);
  }
  return notes;
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
  // Invisible characters are shown escaped, in the line and in the caret's padding alike.
  const lead = (from > 0 ? " " : "") + escapeInvisible(src.slice(from, start - 1)).replace(/[^\t]/g, " ");
  const pad = " ".repeat(gutter.length) + lead;
  return `${gutter}${escapeInvisible(shown)}\n${pad}${"~".repeat(Math.max(1, Math.min(end - start, FRAME_WIDTH)))}`;
}
