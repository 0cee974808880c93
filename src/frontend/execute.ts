/**
 * Runs the user's TypeScript files (config and policies) and collects the definitions their
 * define*() calls register. Each file runs once per build: as one in-memory esbuild bundle
 * (`bundle.ts`: one esbuild call and one compilation for all files) when the bundle means what the
 * files mean; otherwise one by one as CommonJS through tsx's `require` hook; and as ES modules only
 * when a file needs that loader (top-level await, an ES-module-only package: the one case where
 * files before it have run already and run again). Each run has its own tsx namespace, so a second
 * build in the same process re-executes the files. A file that throws is that file's failure; it
 * is never run again another way.
 *
 * Policy files are code that runs at build time, like a build script: they may read files or the
 * network. policyc bounds them, not sandboxes them: a time limit (`watchdog.ts`) and containment of
 * `process.exit`, uncaught exceptions and unhandled rejections (`contain.ts`).
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { closeRegistry, openRegistry, type Definition } from "../api/definition.js";
import * as ownApi from "../api/index.js";
import { bundleFiles, executeAsBundle, RUNNING, type Bundle } from "./bundle.js";
import { contain } from "./contain.js";
import { startWatchdog } from "./watchdog.js";

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

export interface ExecuteOptions {
  /** How long the files may run, in milliseconds (default 60 s). */
  timeoutMs?: number;
  /**
   * Called on the main thread when the time is up, with the file being evaluated and the stack of
   * the code running at that moment; it reports and ends the process. Without it, no time limit.
   */
  onTimeout?: (file: string | undefined, stack: string) => never;
}

/** The file whose top level is running now (set by the bundle's markers and the per-file loader). */
function runningFile(): string | undefined {
  return (globalThis as Record<symbol, string | undefined>)[RUNNING];
}

/** Imports `files` (absolute paths) in order; a file that throws is reported and the rest still run. */
export async function executeFiles(files: readonly string[], options: ExecuteOptions = {}): Promise<ExecutionResult> {
  // Call sites are read from stack traces; they must point into the TypeScript sources.
  process.setSourceMapsEnabled(true);
  const onTimeout = options.onTimeout;
  const dog = onTimeout ? startWatchdog(options.timeoutMs ?? 60_000, (stack) => onTimeout(runningFile(), stack)) : undefined;
  const contained = contain();
  try {
    const result = (await executeBundled(files)) ?? executeAsCommonJs(files) ?? (await executeAsEsm(files));
    await contained.release();
    for (const { error } of contained.incidents) {
      if (!result.failures.some((f) => f.error === error)) result.failures.push({ file: runningFile() ?? files[files.length - 1]!, error });
    }
    return result;
  } finally {
    await contained.release();
    delete (globalThis as Record<symbol, unknown>)[RUNNING];
    await dog?.stop();
  }
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

/** All files as one bundle; undefined when the bundle would not mean what the files mean. */
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
    return run && { modules: run.modules, definitions: run.definitions, failures: run.error ? [{ file: runningFile() ?? files[0]!, error: run.error }] : [] };
  } finally {
    api?.unregister();
  }
}

/**
 * One file at a time as CommonJS through tsx's `require` hook: in-thread and synchronous, about half
 * the cost of the ES module loader. A file's throw is its failure. Undefined (run them as ES modules
 * instead) only when a file needs the ES module loader: top-level await or an ES-module-only package.
 */
export function executeAsCommonJs(files: readonly string[]): ExecutionResult | undefined {
  const api = registerCjs({ namespace: `policyc-cjs-${process.pid}-${runs++}` });
  const registry = openRegistry();
  const modules = new Map<string, Record<string, unknown>>();
  try {
    for (const file of files) {
      (globalThis as Record<symbol, string>)[RUNNING] = file;
      try {
        modules.set(file, api.require(file, pathToFileURL(file)) as Record<string, unknown>);
      } catch (error) {
        if (needsEsm(error)) return undefined;
        return { modules, definitions: registry.entries, failures: [{ file, error }] };
      }
    }
    return { modules, definitions: registry.entries, failures: [] };
  } finally {
    closeRegistry();
    api.unregister();
  }
}

function needsEsm(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return e?.code === "ERR_REQUIRE_ESM" || e?.code === "ERR_REQUIRE_ASYNC_MODULE" || /top-level await/i.test(e?.message ?? "");
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
      (globalThis as Record<symbol, string>)[RUNNING] = file;
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
