/**
 * Semantic validation of Deckhouse objects: the schema (unknown fields, enum spelling, required
 * fields), the object name, and the image-signature rules. Works on plain objects so it serves
 * both the build (objects from the DSL) and tests (objects parsed from YAML).
 */
import { diag, type Diagnostic } from "../../diagnostics/index.js";
import { PC6 } from "./diagnostics.js";
import { checkImageSignatures, checkReferenceOverlaps, type PolicyReferences } from "./image-signatures.js";
import { checkAgainstSchema } from "./support/schema-check.js";
import type { Locator } from "./support/locate.js";
import type { VerifyImageSignature } from "./types.js";

export const DECKHOUSE_SCHEMAS: Record<string, string> = {
  SecurityPolicy: "deckhouse/securitypolicy.json",
  OperationPolicy: "deckhouse/operationpolicy.json",
  SecurityPolicyException: "deckhouse/securitypolicyexception.json",
};

export function isDeckhouseObject(o: { apiVersion?: unknown; kind?: unknown }): boolean {
  return o.apiVersion === "deckhouse.io/v1alpha1" && typeof o.kind === "string" && o.kind in DECKHOUSE_SCHEMAS;
}

interface AnyObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown };
  spec?: { policies?: { verifyImageSignatures?: unknown } };
}

/** Diagnostics for one Deckhouse object. */
export function validateDeckhouseObject(object: AnyObject, locate: Locator): Diagnostic[] {
  const kind = String(object.kind);
  const schema = DECKHOUSE_SCHEMAS[kind];
  if (!schema) return [];
  const what = `${kind} \`${String(object.metadata?.name ?? "?")}\``;
  // The reference pattern is explained better by the image-signature check below.
  const out = checkAgainstSchema(object, schema, { what, locate }).filter((d) => !(d.code === "PC6003" && /verifyImageSignatures\[\d+\]\.reference: must match pattern/.test(d.message)));
  // Deckhouse names every Gatekeeper Constraint it renders after the policy, and Gatekeeper
  // rejects Constraint names longer than 63 characters.
  const name = object.metadata?.name;
  if ((kind === "SecurityPolicy" || kind === "OperationPolicy") && typeof name === "string" && name.length > 63) {
    out.push(diag(PC6.badName, [kind, name, 63], locate(["metadata", "name"]), ["Deckhouse gives the Gatekeeper Constraints it renders the policy's name, and Gatekeeper allows at most 63 characters"]));
  }
  if (kind === "SecurityPolicy") {
    out.push(...checkImageSignatures(object.spec?.policies?.verifyImageSignatures as VerifyImageSignature[] | undefined, locate));
  }
  return out;
}

/** Checks that need every SecurityPolicy at once (overlapping signature references). */
export function validateDeckhouseSet(objects: readonly { object: AnyObject; locate: Locator }[]): Diagnostic[] {
  const refs: PolicyReferences[] = [];
  for (const { object, locate } of objects) {
    if (object.kind !== "SecurityPolicy") continue;
    const list = object.spec?.policies?.verifyImageSignatures;
    if (!Array.isArray(list)) continue;
    refs.push({
      name: String(object.metadata?.name),
      references: list.map((e: { reference?: unknown }) => (typeof e?.reference === "string" ? e.reference : "")).filter(Boolean),
      locate,
    });
  }
  return checkReferenceOverlaps(refs);
}
