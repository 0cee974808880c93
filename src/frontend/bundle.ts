/**
 * The fastest way to run the user's files: esbuild bundles them, in memory, into one CommonJS
 * module that is compiled once. A thousand policy files then cost one esbuild call and one
 * compilation instead of a thousand loader round trips (each a synchronous esbuild transform).
 *
 * Packages stay external and are loaded through tsx's namespaced `require`, exactly as the
 * per-file CommonJS path loads them (so "policyc" is the same fresh API copy). The bundle carries an
 * inline source map that Node applies to stack traces, so call sites read from `new Error().stack`
 * point at the user's `.ts` lines as before.
 *
 * Bundling changes what a few constructs mean (`__dirname`, `import.meta`, `require` used as a
 * value, CommonJS files, a package that resolves differently from a file's own folder). When the
 * bundle contains any of them, or esbuild reports anything, the caller runs the files one by one
 * instead (the reference semantics). Once a bundle runs, it is the run: a throw is the failure of
 * the file that was running (each file's section sets `RUNNING`), never a reason to run the files again.
 */
import { existsSync } from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BuildResult, Metafile } from "esbuild";
import { closeRegistry, openRegistry } from "../api/definition.js";

const require = createRequire(import.meta.url);

/** The pieces of the `Module` internals the loader relies on (stable since Node 0.x, untyped). */
interface InternalModule extends Module {
  _compile(content: string, filename: string): unknown;
}
const ModuleInternals = Module as unknown as {
  new (id: string, parent?: Module): InternalModule;
  _nodeModulePaths(dir: string): string[];
  _resolveFilename(request: string, parent: Module): string;
};

/** What the runner needs to load a package the bundle imports. */
export type PackageRequire = (resolvedFile: string, parentUrl: URL) => unknown;

export interface BundleRun {
  modules: Map<string, Record<string, unknown>>;
  /** What the bundle threw, if it did. */
  error?: unknown;
}

/** `globalThis[RUNNING]`: the absolute path of the file whose top level runs now. */
export const RUNNING = Symbol.for("policyc.running");

/**
 * Bundles `files` (absolute paths) in memory; undefined when the bundle would not mean the same as
 * running the files one by one.
 */
/** A bundle's code and the file name it is compiled under (where its packages are resolved from). */
export interface Bundle {
  code: string;
  file: string;
}

export async function bundleFiles(files: readonly string[]): Promise<Bundle | undefined> {
  if (files.length === 0) return undefined;
  const dir = commonDir(files);
  const entry = files.map((f, i) => `import * as m${i} from ${JSON.stringify(f)};`).join("\n");
  const exported = `\nexport { ${files.map((_, i) => `m${i}`).join(", ")} };\n`;
  let result: BuildResult & { metafile: Metafile };
  try {
    const esbuild = require("esbuild") as typeof import("esbuild");
    // The asynchronous API talks to esbuild's service process directly; the synchronous one would
    // first start a worker thread to wait on it.
    result = await esbuild.build({
      stdin: { contents: entry + exported, resolveDir: dir, sourcefile: "policyc-entry.ts", loader: "ts" },
      absWorkingDir: dir,
      outfile: path.join(dir, BUNDLE_NAME),
      // Absolute sources, so the map holds wherever the module is compiled.
      sourceRoot: `${pathToFileURL(dir).href}/`,
      bundle: true,
      write: false,
      platform: "node",
      format: "cjs",
      packages: "external",
      // As tsx transforms each file: the running Node as target, function names kept.
      target: `node${process.versions.node}`,
      keepNames: true,
      sourcemap: "inline",
      sourcesContent: false,
      metafile: true,
      logLevel: "silent",
    });
  } catch {
    return undefined;
  }
  if (result.errors.length > 0 || result.warnings.length > 0) return undefined;
  const text = result.outputFiles?.[0]?.text;
  if (text === undefined) return undefined;
  // esbuild starts each file's section with a `// path` comment line; a statement on the same line
  // records which file runs (the line count, hence the source map, is unchanged).
  const code = text.replace(/^\/\/ (\S[^\n]*\.(?:c|m)?tsx?)$/gm, (line, rel: string) => {
    const abs = path.resolve(dir, rel);
    return existsSync(abs) ? `globalThis[Symbol.for("policyc.running")] = ${JSON.stringify(abs)};` : line;
  });
  const base = packageBase(code, result.metafile, dir);
  return base === undefined ? undefined : { code, file: path.join(base, BUNDLE_NAME) };
}

/** A name no user file has; it shows in stack frames only where the source map has no mapping. */
const BUNDLE_NAME = "policyc-bundle.cjs";

/** Runs a bundle made by `bundleFiles`; a throw is returned as `error` with the modules run so far. */
export function runBundle(
  bundle: Bundle,
  files: readonly string[],
  requirePackage: PackageRequire,
): BundleRun {
  const mod = new ModuleInternals(bundle.file);
  mod.filename = bundle.file;
  mod.paths = ModuleInternals._nodeModulePaths(path.dirname(bundle.file));
  const parentUrl = pathToFileURL(bundle.file);
  const load = (id: string): unknown =>
    Module.isBuiltin(id) ? require(id) : requirePackage(ModuleInternals._resolveFilename(id, mod), parentUrl);
  mod.require = load as NodeJS.Require;
  try {
    mod._compile(bundle.code, bundle.file);
  } catch (error) {
    return { modules: new Map(), error };
  }
  const exports = mod.exports as Record<string, Record<string, unknown>>;
  const modules = new Map<string, Record<string, unknown>>();
  files.forEach((f, i) => modules.set(f, exports[`m${i}`]!));
  return { modules };
}

/** Runs a bundle of `files` with the definition registry open; undefined without a bundle. */
export function executeAsBundle(
  files: readonly string[],
  bundle: Bundle | undefined,
  requirePackage: PackageRequire,
): (BundleRun & { definitions: ReturnType<typeof openRegistry>["entries"] }) | undefined {
  if (!bundle) return undefined;
  const registry = openRegistry();
  try {
    const run = runBundle(bundle, files, requirePackage);
    return { ...run, definitions: registry.entries };
  } finally {
    closeRegistry();
  }
}

/**
 * `require` used other than as `require("literal")` (what esbuild emits for external packages),
 * and module-relative globals the bundle would answer for its own location.
 */
const CHANGES_MEANING = /\b__dirname\b|\b__filename\b|\brequire\b(?!\("[^"\\]*"\))/;

/**
 * The folder the bundle's packages are resolved from: the common folder of every file that imports
 * one. Undefined when the bundle would not mean what the files mean when run one by one.
 */
function packageBase(code: string, meta: Metafile, dir: string): string | undefined {
  // The inline source map is the last line; it is base64 and cannot match, but skip the work.
  const end = code.lastIndexOf("//# sourceMappingURL=");
  if (CHANGES_MEANING.test(end < 0 ? code : code.slice(0, end))) return undefined;
  const importers: string[] = [];
  for (const [input, info] of Object.entries(meta.inputs)) {
    if (info.format === "cjs") return undefined;
    if (info.imports.some((i) => i.external)) importers.push(path.resolve(dir, input));
  }
  if (importers.length === 0) return dir;
  const base = commonDir(importers);
  // From its own folder, a file would find a package in a node_modules between it and the base first.
  const checked = new Set<string>();
  for (const file of importers) {
    for (let d = path.dirname(file); d !== base && !checked.has(d); d = path.dirname(d)) {
      checked.add(d);
      if (existsSync(path.join(d, "node_modules"))) return undefined;
    }
  }
  return base;
}

function commonDir(files: readonly string[]): string {
  let dir = path.dirname(files[0]!);
  for (const f of files) while (!f.startsWith(dir + path.sep) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
