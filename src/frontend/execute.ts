/**
 * Runs the user's TypeScript files (config and policies) with tsx and collects the definitions their
 * define*() calls register. Each run gets its own tsx namespace so that a second build in the same
 * process re-executes the files instead of reusing cached modules.
 *
 * Files are first run as one in-memory esbuild bundle (`bundle.ts`: one esbuild call and one
 * compilation for all files), then, if the bundle cannot stand for the files or throws, one by one
 * as CommonJS through tsx's `require` hook: in-thread and synchronous, it costs about half of the ES
 * module loader (whose hooks run in a worker thread). If anything fails that way too (top-level
 * await, an ES-module-only dependency, or simply a user error) the whole run is repeated as ES
 * modules, which is the faithful semantics and whose failures are the ones reported.
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { closeRegistry, openRegistry, type Definition } from "../api/definition.js";
import * as ownApi from "../api/index.js";
import { bundleFiles, executeAsBundle, type Bundle } from "./bundle.js";

let runs = 0;

/** tsx's CommonJS API, loaded on first use: a bundle that imports only "policyc" never needs it. */
type TsxCjs = typeof import("tsx/cjs/api");
interface TsxNamespace {
  require(id: string, fromFile: string | URL): unknown;
  unregister(): void;
}
let tsxCjs: TsxCjs | undefined;
function registerCjs(options: { namespace: string }): TsxNamespace {
  tsxCjs ??= createRequire(import.meta.url)("tsx/cjs/api") as TsxCjs;
  return tsxCjs.register(options);
}

export interface ExecutionFailure {
  file: string;
  error: unknown;
}

export interface ExecutionResult {
  modules: Map<string, Record<string, unknown>>;
  definitions: Definition[];
  failures: ExecutionFailure[];
}

/** Imports `files` (absolute paths) in order; a file that throws is reported and the rest still run. */
export async function executeFiles(files: readonly string[]): Promise<ExecutionResult> {
  // Call sites are read from stack traces; they must point into the TypeScript sources.
  process.setSourceMapsEnabled(true);
  return (await executeBundled(files)) ?? executeAsCommonJs(files) ?? (await executeAsEsm(files));
}

/**
 * This policyc's own API entry, when running built (from source the user's "policyc" is never this
 * file). Handing it to the bundle saves loading a second copy through tsx: ~130 ms of CPU.
 */
const ownApiFile = fileURLToPath(new URL("../api/index.js", import.meta.url));

/** The bundle `prefetchExecution` started, for the files it was started for. */
let prefetched: { key: string; bundle: Promise<Bundle | undefined> } | undefined;

/**
 * Starts bundling `files` now, so that a later `executeFiles(files)` finds the bundle ready: esbuild
 * works in its own process while this thread type-checks. Only the latest call is kept, and the next
 * execution of other files (each load runs its config first) drops it.
 */
export function prefetchExecution(files: readonly string[]): void {
  prefetched = process.env.POLICYC_NO_BUNDLE === "1" ? undefined : { key: files.join("\0"), bundle: bundleFiles(files) };
}

function takeBundle(files: readonly string[]): Promise<Bundle | undefined> {
  const mine = prefetched?.key === files.join("\0") ? prefetched.bundle : undefined;
  prefetched = undefined;
  return mine ?? bundleFiles(files);
}

/** All files as one bundle; undefined when the bundle would differ from the files or throws. */
export async function executeBundled(files: readonly string[]): Promise<ExecutionResult | undefined> {
  if (process.env.POLICYC_NO_BUNDLE === "1") return undefined;
  // Other packages load as on the per-file CommonJS path: through tsx, fresh for each run.
  let api: TsxNamespace | undefined;
  const namespace = `policyc-bundle-${process.pid}-${runs++}`;
  try {
    const bundle = await takeBundle(files);
    const run = executeAsBundle(files, bundle, (file, parent) => {
      if (file === ownApiFile) return ownApi;
      api ??= registerCjs({ namespace });
      return api.require(file, parent);
    });
    return run && { ...run, failures: [] };
  } finally {
    api?.unregister();
  }
}

/** The fast path; undefined when any file fails (the caller then runs them as ES modules). */
export function executeAsCommonJs(files: readonly string[]): ExecutionResult | undefined {
  const api = registerCjs({ namespace: `policyc-cjs-${process.pid}-${runs++}` });
  const registry = openRegistry();
  const modules = new Map<string, Record<string, unknown>>();
  try {
    for (const file of files) modules.set(file, api.require(file, pathToFileURL(file)) as Record<string, unknown>);
    return { modules, definitions: registry.entries, failures: [] };
  } catch {
    return undefined;
  } finally {
    closeRegistry();
    api.unregister();
  }
}

export async function executeAsEsm(files: readonly string[]): Promise<ExecutionResult> {
  // Loaded only when needed: most runs never get here.
  const { register: registerEsm } = await import("tsx/esm/api");
  const api = registerEsm({ namespace: `policyc-${process.pid}-${runs++}` });
  const registry = openRegistry();
  const modules = new Map<string, Record<string, unknown>>();
  const failures: ExecutionFailure[] = [];
  try {
    for (const file of files) {
      try {
        modules.set(file, (await api.import(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>);
      } catch (error) {
        failures.push({ file, error });
      }
    }
  } finally {
    closeRegistry();
    await api.unregister();
  }
  return { modules, definitions: registry.entries, failures };
}
