/**
 * Temporary policy projects for tests: a folder under the OS temp dir with `node_modules/policyc`
 * linked to this repo (as a user project that installed policyc), a config and the given files.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { projectRoot } from "../support/shared.js";

export const DEFAULT_CONFIG = `import { defineConfig } from "policyc";
export default defineConfig({ include: ["policies/**/*.ts"] });
`;

/** A minimal valid check body for tests that are not about Rego. */
export const REGO = 'rego`package t\nviolation[{"msg": "no"}] { false }`';

/** An ES module project by default; `commonjs: true` leaves out `"type": "module"`. */
export function makeProject(files: Record<string, string>, config = DEFAULT_CONFIG, options: { commonjs?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "policyc-test-"));
  if (!options.commonjs) writeFileSync(path.join(dir, "package.json"), '{ "name": "fixture", "private": true, "type": "module" }\n');
  mkdirSync(path.join(dir, "node_modules"));
  symlinkSync(projectRoot, path.join(dir, "node_modules", "policyc"), "dir");
  writeFileSync(path.join(dir, "policyc.config.ts"), config);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string): { line: number; col: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`fixture does not contain ${needle}`);
  const before = text.slice(0, i).split("\n");
  return { line: before.length, col: before.at(-1)!.length + 1 };
}

/** Every file under `dir` with its text, keyed by POSIX path relative to `dir`. */
export function tree(dir: string, rel = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, tree(dir, r));
    else out[r] = readFileSync(path.join(dir, r), "utf8");
  }
  return out;
}

/** A temporary parent folder and the output path `generated` inside it. */
export function outputSandbox(prefix: string) {
  const parent = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { parent, out: path.join(parent, "generated"), done: () => rmSync(parent, { recursive: true, force: true }) };
}
