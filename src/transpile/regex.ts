/**
 * RegExp literals in check bodies become `regex.match`: the pattern must mean the same in JavaScript
 * and in RE2 (Go's regexp, which OPA uses). re2js is a faithful RE2 port, so a pattern it rejects
 * (look-arounds, back-references) is reported instead of silently changing meaning.
 */
import { RE2JS } from "re2js";

export type RegexCheck = { pattern: string } | { error: "flags"; flags: string } | { error: "syntax"; reason: string };

/** The RE2 pattern for a JavaScript literal's source and flags (`i`, `m`, `s` become inline flags). */
export function toRe2(source: string, flags: string): RegexCheck {
  const bad = flags.replace(/[ims]/g, "");
  if (bad) return { error: "flags", flags: bad };
  const inline = [...flags].sort().join("");
  const pattern = inline ? `(?${inline})${source}` : source;
  try {
    RE2JS.compile(pattern);
  } catch (e) {
    return { error: "syntax", reason: (e as Error).message };
  }
  return { pattern };
}
