/**
 * `golden.json` files are snapshots recorded by `policyc test --update`, not derived from the IR,
 * yet the build replaces the output directory wholesale. So the build carries each suite's existing
 * golden file over unchanged (and drops goldens of suites that no longer exist).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { GeneratedFile } from "../emitter.js";
import { TESTS_DIR } from "./layout.js";

export function carryGoldens(outDir: string | undefined, files: readonly GeneratedFile[]): GeneratedFile[] {
  if (!outDir) return [];
  const out: GeneratedFile[] = [];
  for (const f of files) {
    const m = new RegExp(`^${TESTS_DIR}/([^/]+)/suite\\.yaml$`).exec(f.path);
    if (!m) continue;
    const rel = `${TESTS_DIR}/${m[1]}/golden.json`;
    const abs = path.join(outDir, rel);
    if (!existsSync(abs)) continue;
    out.push({ path: rel, content: readFileSync(abs, "utf8") });
  }
  return out;
}
