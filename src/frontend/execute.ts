/**
 * Runs the user's TypeScript files (config and policies) with tsx and collects the definitions their
 * define*() calls register. Each run gets its own tsx namespace so that a second build in the same
 * process re-executes the files instead of reusing cached modules.
 *
 * Files are first run as CommonJS through tsx's `require` hook: in-thread and synchronous, it costs
 * about half of the ES module loader (whose hooks run in a worker thread), which matters with a
 * thousand policy files. If anything fails that way (top-level await, an ES-module-only dependency,
 * or simply a user error) the whole run is repeated as ES modules, which is the faithful semantics
 * and whose failures are the ones reported.
 */
import { pathToFileURL } from "node:url";
import { register as registerCjs } from "tsx/cjs/api";
import { register as registerEsm } from "tsx/esm/api";
import { closeRegistry, openRegistry, type Definition } from "../api/definition.js";

let runs = 0;

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
  return executeAsCommonJs(files) ?? (await executeAsEsm(files));
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
