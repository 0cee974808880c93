/**
 * Validates every emitted object against its schema in `schemas/` before anything is written; a
 * failure points at the definition the object came from.
 */
import { diag, type Diagnostic } from "../diagnostics/index.js";
import type { GeneratedFile } from "../emit/emitter.js";
import { closest } from "../api/deckhouse/support/schema-check.js";
import { schemaIds, schemaValidator } from "../emit/schema-validators.js";
import { D } from "../ir/diagnostics.js";

export function validateFiles(files: readonly GeneratedFile[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of files) {
    if (!f.schema || f.object === undefined) continue;
    let validate;
    try {
      validate = schemaValidator(f.schema);
    } catch (e) {
      // A schema named by the user's definition (`defineResource(obj, { schema })`) may be mistyped.
      const known = schemaIds();
      if (known.includes(f.schema)) throw e;
      const near = closest(f.schema, known);
      out.push(diag(D.unknownSchema, [f.schema, near ? `; did you mean \`${near}\`?` : ""], f.origin));
      continue;
    }
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

