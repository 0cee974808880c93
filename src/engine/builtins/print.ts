/**
 * `internal.print` (what `print(...)` compiles to): each argument arrives as the set of the
 * operand's values, so an undefined operand prints `<undefined>`. Output goes to a replaceable
 * sink (stderr by default) so `policyc eval` and tests can capture it.
 */
import { type Value, RSet, isArray } from "./value.js";
import { regoText } from "./format.js";
import type { Builtin } from "./tagged.js";

let sink: (line: string) => void = (line) => process.stderr.write(line + "\n");

/** Replaces the print sink; returns the previous one. */
export function setPrintSink(f: (line: string) => void): (line: string) => void {
  const prev = sink;
  sink = f;
  return prev;
}

function text(v: Value): string {
  return typeof v === "string" ? v : regoText(v);
}

export const printBuiltins: Record<string, Builtin> = {
  "internal.print": (args) => {
    if (!isArray(args)) return undefined;
    const parts = args.map((a) => {
      if (a instanceof RSet) return a.size === 0 ? "<undefined>" : a.items.map(text).join(", ");
      return text(a);
    });
    sink(parts.join(" "));
    return true;
  },
};
