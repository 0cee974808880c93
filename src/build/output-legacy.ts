/**
 * Debris of the writer policyc had before the journal (`output-journal.ts`): it built the output in
 * `.policyc-tmp-<name>-XXXXXX` beside the output folder and swapped folders with two renames, so a
 * build killed between them left the output missing and the previous one as `…-XXXXXX-old`. Those
 * exact names (mkdtemp's six-character suffix) are policyc's own; the next build restores the
 * previous output from them when the output is missing, and removes the rest.
 */
import path from "node:path";
import type { OutputFs } from "./output-fs.js";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Returns what it did, or undefined when there was nothing of the old writer's. */
export function recoverLegacyTemp(outDir: string, fsx: OutputFs): string | undefined {
  const parent = path.dirname(outDir);
  const pattern = new RegExp(`^\\.policyc-tmp-${escape(path.basename(outDir))}-[A-Za-z0-9]{6}(-old)?$`);
  let names: string[];
  try {
    names = fsx.readdir(parent).filter((e) => e.isDirectory() && pattern.test(e.name)).map((e) => e.name).sort();
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  const said: string[] = [];
  const old = names.find((n) => n.endsWith("-old"));
  if (old && !fsx.lstat(outDir)) {
    fsx.rename(path.join(parent, old), outDir);
    said.push(`restored the previous output from ${old}`);
  }
  const rest = names.filter((n) => n !== old || said.length === 0);
  for (const n of rest) fsx.rmTree(path.join(parent, n));
  if (rest.length > 0) said.push(`removed temporary folders of interrupted builds (${rest.join(", ")})`);
  return said.join("; ");
}
