/**
 * JSON values as CEL literals, for parameters written into a ValidatingAdmissionPolicy (`inline`):
 * maps with string keys, lists, strings (double-quoted, escaped), JSON integers as CEL `int` (as the
 * API server reads integers from objects), other numbers as `double`, booleans and `null`. Keys are
 * written in sorted order so the output is deterministic.
 */

export function celLiteral(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`${value} has no CEL literal`);
    if (Number.isInteger(value)) return String(value);
    const s = String(value);
    // A double literal needs a dot or an exponent (`1e-7` is one already).
    return /[.eE]/.test(s) ? s : `${s}.0`;
  }
  if (typeof value === "string") return celString(value);
  if (Array.isArray(value)) return `[${value.map(celLiteral).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${celString(k)}: ${celLiteral(v)}`).join(", ")}}`;
  }
  throw new Error(`a ${typeof value} has no CEL literal`);
}

/** A double-quoted CEL string: backslash, quote and control characters escaped. */
export function celString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + '"';
}
