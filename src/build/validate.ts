/**
 * Validates every emitted object against its schema in `schemas/` before anything is written; a
 * failure points at the definition the object came from.
 */
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { diag, type Diagnostic } from "../diagnostics/index.js";
import type { GeneratedFile } from "../emit/emitter.js";
import { loadSchema } from "../emit/schema-files.js";
import { D } from "../ir/diagnostics.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validatorFor(id: string): ValidateFunction {
  let v = compiled.get(id);
  if (!v) {
    if (!ajv) {
      ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
    }
    // Cross-file refs (`match.json`) resolve against the folder of the referring schema.
    const schema = loadSchema(id);
    const dir = id.includes("/") ? id.slice(0, id.lastIndexOf("/") + 1) : "";
    for (const dep of refsOf(schema)) {
      const depId = dir + dep;
      const s = loadSchema(depId);
      if (!ajv.getSchema(String(s.$id ?? depId))) ajv.addSchema(s);
    }
    const existing = typeof schema.$id === "string" ? ajv.getSchema(schema.$id) : undefined;
    const fresh: ValidateFunction = existing ?? ajv.compile(schema);
    compiled.set(id, fresh);
    return fresh;
  }
  return v;
}

function refsOf(schema: unknown, acc = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => refsOf(s, acc));
  else if (schema && typeof schema === "object") {
    for (const [k, v] of Object.entries(schema)) {
      if (k === "$ref" && typeof v === "string" && !v.startsWith("#")) acc.add(v.split("#")[0]!);
      else refsOf(v, acc);
    }
  }
  return acc;
}

export function validateFiles(files: readonly GeneratedFile[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of files) {
    if (!f.schema || f.object === undefined) continue;
    const validate = validatorFor(f.schema);
    if (validate(f.object)) continue;
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || "/"} ${e.message}${e.params && "allowedValues" in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : ""}`)
      .join("; ");
    const o = f.object as { kind?: string; metadata?: { name?: string } };
    out.push(diag(D.schemaViolation, [o.kind ?? "object", o.metadata?.name ?? f.path, f.schema, errors], f.origin));
  }
  return out;
}
