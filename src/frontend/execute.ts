/**
 * Runs the user's TypeScript files (config and policies) with tsx and collects the definitions their
 * define*() calls register. Each run gets its own tsx namespace so that a second build in the same
 * process re-executes the files instead of reusing cached modules.
 */
import { pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";
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
  const api = register({ namespace: `policyc-${process.pid}-${runs++}` });
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
