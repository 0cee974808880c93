/**
 * Runs example policy files the way the loader does (their define*() calls register into a fresh
 * registry) and returns the plain objects of the resources they declare.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { closeRegistry, openRegistry } from "../../../src/api/definition.js";

export interface LoadedResource {
  object: Record<string, any>;
  schema?: string;
  site?: { file: string; line: number; col: number };
}

export async function loadResources(files: readonly string[]): Promise<LoadedResource[]> {
  const registry = openRegistry();
  try {
    for (const f of files) await import(pathToFileURL(path.resolve(f)).href + `?t=${Date.now()}`);
  } finally {
    closeRegistry();
  }
  const out: LoadedResource[] = [];
  for (const def of registry.entries as any[]) {
    const meta = def[Symbol.for("policyc.definition")];
    if (meta?.kind !== "resource") continue;
    out.push({ object: JSON.parse(JSON.stringify(def.object)), schema: def.options?.schema, site: meta.site });
  }
  return out;
}
