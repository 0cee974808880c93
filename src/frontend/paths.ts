/**
 * Where the running policyc lives, so the user's `import ... from "policyc"` can be type-checked
 * against exactly the API that will execute it (src/api when running from source, dist/api when built).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The package root (the folder holding package.json). */
export const packageRoot = path.resolve(here, "..", "..");

/** The typings of the public API: `src/api/index.ts` from source, `dist/api/index.d.ts` when built. */
export function apiTypesFile(): string {
  const fromSource = path.resolve(here, "..", "api", "index.ts");
  if (existsSync(fromSource)) return fromSource;
  return path.resolve(here, "..", "api", "index.d.ts");
}

/** Our own code directories; their files are never reported as the user's. */
export const ownDirs = [path.join(packageRoot, "src") + path.sep, path.join(packageRoot, "dist") + path.sep];

/** POSIX path relative to `root`, for origins and output (never absolute). */
export function relativeTo(root: string, file: string): string {
  // Every origin asks; a large project asks ~20 times per file (path.relative resolves both each time).
  const key = `${root}\0${file}`;
  let rel = relatives.get(key);
  if (rel === undefined) {
    if (relatives.size >= 50_000) relatives.clear();
    rel = path.relative(root, file).split(path.sep).join("/");
    relatives.set(key, rel);
  }
  return rel;
}

const relatives = new Map<string, string>();
