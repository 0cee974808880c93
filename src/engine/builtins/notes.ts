/**
 * `trace(note)` as `opa test --explain notes` records it: when a module is compiled with trace notes
 * (compile option `traceNotes`), each `trace(msg)` call becomes `internal.policyc_note(msg, site)`,
 * where `site` is a constant object naming the call's location and the rule it is written in. The
 * built-in hands both to a replaceable sink and succeeds, as `trace` does; without a sink it only
 * succeeds. Modules compiled without trace notes keep the plain `trace` built-in.
 */
import { isPlainObject, type Value } from "./value.js";
import type { Builtin } from "./tagged.js";

/** Where a note was written: the call's position and the rule (its path and head position) around it. */
export interface NoteSite {
  file: string;
  row: number;
  rule: string;
  ruleFile: string;
  ruleRow: number;
}

export interface Note {
  message: string;
  site: NoteSite;
}

let sink: ((note: Note) => void) | undefined;

/** Replaces the note sink (undefined: notes are dropped); returns the previous one. */
export function setNoteSink(f: ((note: Note) => void) | undefined): ((note: Note) => void) | undefined {
  const prev = sink;
  sink = f;
  return prev;
}

function field(o: Value, k: string): Value | undefined {
  return isPlainObject(o) ? o[k] : undefined;
}

export const noteBuiltins: Record<string, Builtin> = {
  "internal.policyc_note": (message, site) => {
    if (typeof message !== "string") return undefined;
    if (sink) {
      const num = (v: Value | undefined) => (typeof v === "number" ? v : Number(v ?? 0));
      sink({
        message,
        site: {
          file: String(field(site, "file") ?? ""),
          row: num(field(site, "row")),
          rule: String(field(site, "rule") ?? ""),
          ruleFile: String(field(site, "rule_file") ?? ""),
          ruleRow: num(field(site, "rule_row")),
        },
      });
    }
    return true;
  },
};
