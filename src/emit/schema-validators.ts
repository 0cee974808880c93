/**
 * One validator per JSON Schema in the package's `schemas/` folder, shared by the build's final
 * validation and the DSL's PC6xxx checks. Compiling them with ajv costs ~70 ms per build (loading
 * ajv, generating and compiling code), so `npm run prepare` writes them once as ajv standalone code
 * (`schema-validators-write.ts`); a build uses that module when its key still names the current
 * schemas and ajv, and otherwise compiles them here exactly as the writer did.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Ajv, Options, ValidateFunction } from "ajv";
import { packageRoot } from "../frontend/paths.js";
import { loadSchema, schemasDir } from "./schema-files.js";

const require = createRequire(import.meta.url);

/** The options of every validator, precompiled or not: all errors, with the failing schema and data. */
export const ajvOptions: Options = { allErrors: true, strict: false, verbose: true };

export const precompiledFile = path.join(packageRoot, "dist", ".cache", "schema-validators.cjs");

/** Every schema's id relative to `schemas/`, e.g. `gatekeeper/constraint.json`, sorted. */
export function schemaIds(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(schemasDir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else if (e.name.endsWith(".json")) out.push(child);
    }
  };
  walk("");
  return out.sort();
}

/** Names the schemas' contents and the ajv release; a precompiled module is used only under its own key. */
export function validatorsKey(): string {
  const hash = createHash("sha256");
  hash.update(`ajv ${(require("ajv/package.json") as { version: string }).version}\n${JSON.stringify(ajvOptions)}\n`);
  for (const id of schemaIds()) hash.update(`${id}\n${readFileSync(path.join(schemasDir, id), "utf8")}\n`);
  return hash.digest("hex");
}

/** An ajv instance holding every schema (cross-file `$ref`s resolve by `$id`); compiles on demand. */
export function ajvWithSchemas(): Ajv {
  const { Ajv } = require("ajv") as typeof import("ajv");
  const ajv = new Ajv({ ...ajvOptions, code: { source: true } });
  for (const id of schemaIds()) ajv.addSchema(loadSchema(id), schemaKey(id));
  return ajv;
}

/** The key a schema is registered under: its `$id`, or its path when it has none. */
export function schemaKey(id: string): string {
  const $id = loadSchema(id).$id;
  return typeof $id === "string" ? $id : id;
}

export interface Precompiled {
  key: string;
  validators: Record<string, ValidateFunction>;
}

let source: { precompiled?: Precompiled; ajv?: Ajv } | undefined;
const validators = new Map<string, ValidateFunction>();

/** Whether this process validates with the install-time module (false: compiling with ajv). */
export function usingPrecompiled(): boolean {
  return resolveSource().precompiled !== undefined;
}

function resolveSource(): { precompiled?: Precompiled; ajv?: Ajv } {
  if (!source) {
    const precompiled = loadPrecompiled();
    source = precompiled ? { precompiled } : { ajv: ajvWithSchemas() };
  }
  return source;
}

function loadPrecompiled(): Precompiled | undefined {
  if (process.env.POLICYC_PRECOMPILED_SCHEMAS === "off") return undefined;
  return readPrecompiled(precompiledFile, validatorsKey());
}

/** The module at `file` when it exists, loads and carries `key`; otherwise undefined. */
export function readPrecompiled(file: string, key: string): Precompiled | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const mod = require(file) as Precompiled;
    return mod.key === key && mod.validators && typeof mod.validators === "object" ? mod : undefined;
  } catch {
    return undefined;
  }
}

/** The validator of `schemas/<id>`. */
export function schemaValidator(id: string): ValidateFunction {
  let v = validators.get(id);
  if (!v) {
    const { precompiled, ajv } = resolveSource();
    v = precompiled?.validators[id] ?? ajv?.getSchema(schemaKey(id));
    if (!v) throw new Error(`no validator for schema ${id}`);
    validators.set(id, v);
  }
  return v;
}
