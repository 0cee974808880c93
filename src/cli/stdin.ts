/**
 * Whether a command that was given paths also reads stdin, as gator's reader does: gator reads
 * every stdin that is not a terminal beside its `--filename`s, so `cat app.yaml | gator test -f
 * policies/` and `gator test -f policies/ < app.yaml` both check app.yaml. policyc reads a
 * redirected file and a shell pipe (a FIFO) the same way. A socket is what a program that spawns
 * policyc hands it by default (node's `stdio: "pipe"`), often never closed: reading it unasked
 * would hang the command, so such callers name stdin with `-`.
 */
import { fstatSync } from "node:fs";

export function stdinBesidePaths(): boolean {
  try {
    const s = fstatSync(0);
    return s.isFile() || s.isFIFO();
  } catch {
    return false;
  }
}
