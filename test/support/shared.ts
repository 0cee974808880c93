/**
 * Locates ../shared (third-party corpora and upstream schemas beside the project root). It is
 * present in CI and on developer machines, absent in a user's clone: tests that need it call
 * `requireShared()` and skip with a message when it is missing.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const sharedRoot = path.resolve(projectRoot, "..", "shared");

/** Returns the absolute path of `../shared/<rel>`, or undefined (after printing why) when absent. */
export function requireShared(rel: string, what: string): string | undefined {
  const p = path.join(sharedRoot, rel);
  if (existsSync(p)) return p;
  console.log(`  skipped: ${what} needs ${path.join("../shared", rel)}, which is not present in this checkout`);
  return undefined;
}
