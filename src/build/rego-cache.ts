/**
 * Remembers which templates' Rego compiled cleanly, across builds, so a build compiles only the
 * templates whose Rego changed (like tsc's incremental build info). One JSON file in the project's
 * `node_modules/.cache/policyc/` (the conventional cache folder of build tools; nothing is written
 * when the project has no `node_modules`), holding hashes of (Rego version, module texts) and a
 * fingerprint of the compiler that produced them: a different policyc, or a rebuilt engine, starts
 * from an empty cache. Only clean results are kept, so errors are always computed afresh with their
 * positions. `POLICYC_REGO_CACHE=off` turns it off.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeDirs } from "./make-dirs.js";

const FILE = "rego-compile.json";

interface CacheFile {
  compiler: string;
  clean: string[];
}

export interface RegoCache {
  has(key: string): boolean;
  add(key: string): void;
  /** Writes the cache when something was added (best effort: a read-only folder is not an error). */
  save(): void;
}

const noCache: RegoCache = { has: () => false, add: () => {}, save: () => {} };

let fingerprint: string | undefined;

/** The compiler's identity: policyc's version and the size and mtime of the engine's compiled files. */
function compilerFingerprint(): string {
  if (fingerprint) return fingerprint;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const engine = path.join(here, "..", "engine");
  const parts: string[] = [];
  for (const dir of ["compiler", "rego"]) {
    const abs = path.join(engine, dir);
    for (const f of readdirSync(abs).sort()) {
      const s = statSync(path.join(abs, f));
      if (s.isFile()) parts.push(`${dir}/${f}:${s.size}:${s.mtimeMs}`);
    }
  }
  for (const f of ["rego.js", "rego.ts", "../testing/gatekeeper/rego-rules.js", "../testing/gatekeeper/rego-rules.ts"]) {
    const abs = path.join(here, f);
    if (existsSync(abs)) {
      const s = statSync(abs);
      parts.push(`${f}:${s.size}:${s.mtimeMs}`);
    }
  }
  fingerprint = createHash("sha256").update(parts.join("\n")).digest("hex");
  return fingerprint;
}

/** The key of one template: a hash of its Rego version and module texts. */
export function regoCacheKey(version: string, texts: readonly string[]): string {
  const h = createHash("sha256").update(version);
  for (const t of texts) h.update("\0").update(t);
  return h.digest("base64url").slice(0, 32);
}

/** The project's cache, or one that remembers nothing when disabled or without `node_modules`. */
export function openRegoCache(root: string | undefined): RegoCache {
  if (!root || process.env.POLICYC_REGO_CACHE === "off") return noCache;
  const modules = path.join(root, "node_modules");
  if (!existsSync(modules)) return noCache;
  const dir = path.join(modules, ".cache", "policyc");
  const file = path.join(dir, FILE);
  const compiler = compilerFingerprint();
  let clean = new Set<string>();
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as CacheFile;
    if (data.compiler === compiler && Array.isArray(data.clean)) clean = new Set(data.clean);
  } catch {
    // No cache yet, or an unreadable one: start empty.
  }
  const seen = new Set<string>();
  let added = false;
  return {
    has(key) {
      seen.add(key);
      return clean.has(key);
    },
    add(key) {
      seen.add(key);
      if (!clean.has(key)) {
        clean.add(key);
        added = true;
      }
    },
    save() {
      if (!added) return;
      // Keep what this build used, so templates long deleted do not pile up.
      const data: CacheFile = { compiler, clean: [...clean].filter((k) => seen.has(k)).sort() };
      try {
        makeDirs(dir);
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(data));
        renameSync(tmp, file);
      } catch {
        // A cache that cannot be written only costs time.
      }
    },
  };
}
