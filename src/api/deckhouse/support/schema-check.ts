/**
 * Checks a manifest against policyc's own JSON Schemas in `schemas/<group>/` and turns every
 * violation into a PC6xxx diagnostic: unknown fields with a "did you mean" hint, enum values with
 * the correctly spelt value (`deny` → `Deny`), and missing or mistyped fields. Each diagnostic is
 * placed at the offending property in the user's builder call when it can be found.
 */
import type { ErrorObject } from "ajv";
import { diag, type Diagnostic } from "../../../diagnostics/index.js";
import { schemaValidator } from "../../../emit/schema-validators.js";
import { PC6 } from "../diagnostics.js";
import type { Locator } from "./locate.js";
import { closest } from "../../../diagnostics/suggest.js";

export { schemaValidator };

export function pathOf(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function renderPath(p: readonly (string | number)[]): string {
  let out = "";
  for (const s of p) out += typeof s === "number" ? `[${s}]` : out ? `.${s}` : s;
  return out || "(root)";
}

export { closest };

export interface CheckContext {
  /** What the object is, for messages: `SecurityPolicy "foo"`. */
  what: string;
  locate: Locator;
}

/** Validates `object` against `schemas/<rel>`; returns diagnostics (empty when valid). */
export function checkAgainstSchema(object: unknown, rel: string, ctx: CheckContext): Diagnostic[] {
  const validate = schemaValidator(rel);
  if (validate(object)) return [];
  const errors = validate.errors ?? [];
  // anyOf/not report once, at the object; their inner `required` failures are noise.
  const grouped = new Set(errors.filter((e) => e.keyword === "anyOf" || e.keyword === "not").map((e) => e.schemaPath));
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if ([...grouped].some((g) => e.schemaPath !== g && e.schemaPath.startsWith(g + "/"))) continue;
    const d = toDiagnostic(e, ctx);
    const key = `${d.code}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

function toDiagnostic(e: ErrorObject, ctx: CheckContext): Diagnostic {
  const p = pathOf(e.instancePath);
  const where = `${ctx.what} ${renderPath(p)}`;
  switch (e.keyword) {
    case "additionalProperties": {
      const field = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const guess = closest(field, known);
      const notes = [guess ? `did you mean \`${guess}\`?` : `known fields: ${known.join(", ")}`];
      return diag(PC6.unknownField, [field, where], ctx.locate([...p, field], true), notes);
    }
    case "enum": {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const guess = closest(String(e.data), allowed);
      const notes = guess ? [`did you mean \`${guess}\`? (values are case-sensitive)`] : undefined;
      return diag(PC6.badEnum, [String(e.data), where, allowed.map((a) => `\`${a}\``).join(", ")], ctx.locate(p), notes);
    }
    case "anyOf": {
      const branches = ((e.schema as { required?: string[] }[]) ?? []).map((b) => (b.required ?? []).join(" and ")).filter(Boolean);
      const text = branches.length ? `needs at least one of ${branches.map((b) => `\`${b}\``).join(", ")}` : "matches none of the allowed shapes";
      return diag(PC6.schema, [where, text], ctx.locate(p));
    }
    case "not": {
      const req = (e.schema as { required?: string[] }).required ?? [];
      return diag(PC6.schema, [where, `must not set ${req.map((r) => `\`${r}\``).join(" and ")} together`], ctx.locate(p));
    }
    case "required": {
      const field = String((e.params as { missingProperty: string }).missingProperty);
      return diag(PC6.schema, [where, `missing required field \`${field}\``], ctx.locate(p));
    }
    case "const":
      return diag(PC6.schema, [where, `must be \`${String((e.params as { allowedValue: unknown }).allowedValue)}\``], ctx.locate(p));
    default:
      return diag(PC6.schema, [where, e.message ?? e.keyword], ctx.locate(p));
  }
}
