/**
 * Validates every emitted object against its schema in `schemas/` before anything is written; a
 * failure points at the definition the object came from.
 */
import { diag, type Diagnostic } from "../diagnostics/index.js";
import type { GeneratedFile } from "../emit/emitter.js";
import { schemaValidator } from "../emit/schema-validators.js";
import { D } from "../ir/diagnostics.js";

export function validateFiles(files: readonly GeneratedFile[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of files) {
    if (!f.schema || f.object === undefined) continue;
    const validate = schemaValidator(f.schema);
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
