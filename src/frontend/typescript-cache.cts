/**
 * A V8 code cache for the TypeScript compiler (9 MB of JavaScript that every build loads and then
 * runs hot). Compiling it costs ~80 ms before any work starts, and its functions are compiled again
 * lazily as the checker reaches them; a cache taken after a warm-up type-check skips both, ~0.1 s per
 * build. Node 22 has this built in (module.enableCompileCache); Node 20 does not.
 *
 * The cache is written once, at install time (`npm run prepare` runs `typescript-cache-write.js`),
 * into `dist/.cache/`; a build only reads it. It is used only when its sidecar names exactly this
 * TypeScript file (version and size), Node and V8; V8 itself also rejects a cache made under other
 * flags, and then TypeScript simply compiles as usual.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import Module = require("node:module");
import path = require("node:path");
import vm = require("node:vm");

/** What a cache was made for; all must match the running process. */
export interface CacheKey {
  typescript: string;
  size: number;
  node: string;
  v8: string;
  arch: string;
}

const packageRoot = path.resolve(__dirname, "..", "..");
export const cacheDir = path.join(packageRoot, "dist", ".cache");
export const cacheFile = path.join(cacheDir, "typescript.v8cache");
export const keyFile = path.join(cacheDir, "typescript.v8cache.json");

export const typescriptFile: string = require.resolve("typescript");

export function currentKey(): CacheKey {
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(typescriptFile), "..", "package.json"), "utf8")) as { version: string };
  return { typescript: pkg.version, size: statSync(typescriptFile).size, node: process.version, v8: process.versions.v8, arch: process.arch };
}

function usableCache(): Buffer | undefined {
  if (process.env.POLICYC_TS_CODE_CACHE === "off" || !existsSync(keyFile) || !existsSync(cacheFile)) return undefined;
  try {
    const want = JSON.stringify(currentKey());
    const have = JSON.stringify(JSON.parse(readFileSync(keyFile, "utf8")));
    return want === have ? readFileSync(cacheFile) : undefined;
  } catch {
    return undefined;
  }
}

/** The script TypeScript was compiled from, for `typescript-cache-write` to serialize. */
export let typescriptScript: vm.Script | undefined;
/** Whether the running TypeScript came from the cache (V8 accepted it). */
export let loadedFromCache = false;

interface InternalModule {
  _extensions: Record<string, (module: Module, filename: string) => void>;
}
const extensions = (Module as unknown as InternalModule)._extensions;
const plainJs = extensions[".js"]!;

/**
 * Installed once, before `typescript-api.cts` requires "typescript": only that one file is compiled
 * here (as a vm.Script, which takes cached data); every other file goes to the previous handler.
 */
extensions[".js"] = function compileTypeScript(module: Module, filename: string): void {
  if (filename !== typescriptFile || typescriptScript) return plainJs(module, filename);
  const cachedData = usableCache();
  const script = new vm.Script(Module.wrap(readFileSync(filename, "utf8")), { filename, ...(cachedData ? { cachedData } : {}) });
  typescriptScript = script;
  loadedFromCache = cachedData !== undefined && !script.cachedDataRejected;
  const wrapper = script.runInThisContext() as (e: unknown, r: unknown, m: unknown, f: string, d: string) => void;
  wrapper.call(module.exports, module.exports, Module.createRequire(filename), module, filename, path.dirname(filename));
  extensions[".js"] = plainJs;
};
