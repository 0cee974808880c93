/**
 * Writes the Kubernetes shapes table of the CEL type-checker (see `kubernetes-shapes.ts`) to
 * `dist/.cache/kubernetes-shapes.json`; run at install time by `npm run prepare`. Never fails the
 * install: without the file, the first build that type-checks CEL derives the table itself.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { deriveShapes, shapesCacheFile } from "./kubernetes-shapes.js";

function main(): void {
  try {
    const text = JSON.stringify(deriveShapes());
    mkdirSync(path.dirname(shapesCacheFile), { recursive: true });
    // Written under a temporary name and renamed, so a concurrent build never reads half a table.
    writeFileSync(`${shapesCacheFile}.tmp`, text);
    renameSync(`${shapesCacheFile}.tmp`, shapesCacheFile);
  } catch (error) {
    process.stderr.write(`policyc: no Kubernetes shapes table written (${error instanceof Error ? error.message : String(error)}); builds will derive it\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) main();
