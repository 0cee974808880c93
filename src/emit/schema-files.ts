/**
 * Reads policyc's own JSON Schemas from the package's `schemas/` folder (the kinds we emit), cached.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../frontend/paths.js";

export const schemasDir = path.join(packageRoot, "schemas");
const cache = new Map<string, Record<string, unknown>>();

/** `id` is a path relative to `schemas/`, e.g. `gatekeeper/constraint.json`. */
export function loadSchema(id: string): Record<string, unknown> {
  let s = cache.get(id);
  if (!s) {
    s = JSON.parse(readFileSync(path.join(schemasDir, id), "utf8")) as Record<string, unknown>;
    cache.set(id, s);
  }
  return s;
}

/** A copy with local `#/definitions/x` references inlined and `$schema`/`$id`/`definitions` dropped. */
export function inlineDefinitions(schema: Record<string, unknown>): Record<string, unknown> {
  const defs = (schema.definitions ?? {}) as Record<string, unknown>;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== "object" || v === null) return v;
    const o = v as Record<string, unknown>;
    if (typeof o.$ref === "string" && o.$ref.startsWith("#/definitions/")) return walk(defs[o.$ref.slice(14)]);
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(o)) {
      if (k === "$schema" || k === "$id" || k === "definitions") continue;
      out[k] = walk(val);
    }
    return out;
  };
  return walk(schema) as Record<string, unknown>;
}
