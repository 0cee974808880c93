/**
 * Writes the precompiled schema validators (see `schema-validators.ts`) as one CommonJS module of
 * ajv standalone code; run at install time by `npm run prepare`. Never fails the install: without
 * the module, builds compile the schemas themselves.
 */
import { renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ajvWithSchemas, precompiledFile, schemaIds, schemaKey, validatorsKey } from "./schema-validators.js";
import { makeDirs } from "../build/make-dirs.js";

const require = createRequire(import.meta.url);

/** The module's text: `exports.key` plus `exports.validators[<id>]` for every schema. */
export function precompiledSource(): string {
  const standaloneCode = (require("ajv/dist/standalone") as { default: (ajv: unknown, refs: Record<string, string>) => string }).default;
  const ajv = ajvWithSchemas();
  const ids = schemaIds();
  const refs: Record<string, string> = {};
  ids.forEach((id, i) => (refs[`v${i}`] = schemaKey(id)));
  const table = ids.map((id, i) => `  ${JSON.stringify(id)}: exports.v${i},`).join("\n");
  return `${standaloneCode(ajv, refs)}\nexports.key = ${JSON.stringify(validatorsKey())};\nexports.validators = {\n${table}\n};\n`;
}

function main(): void {
  try {
    const text = precompiledSource();
    makeDirs(path.dirname(precompiledFile));
    // Written under a temporary name and renamed, so a concurrent build never reads half a module.
    writeFileSync(`${precompiledFile}.tmp`, text);
    renameSync(`${precompiledFile}.tmp`, precompiledFile);
  } catch (error) {
    process.stderr.write(`policyc: no precompiled schema validators written (${error instanceof Error ? error.message : String(error)}); builds will compile them\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) main();
