/**
 * The project check for every Deckhouse, mutation and Kyverno object built with the DSL: schema
 * (unknown fields, enum spelling), image signatures, mutation locations, overlapping signature
 * references. Runs before emission so the first error a user sees is the precise PC6xxx one, at
 * the property in their file, rather than a generic schema failure of the emitted manifest.
 */
import type { Diagnostic } from "../../diagnostics/index.js";
import type { ProjectIR, ResourceIR } from "../../ir/ir.js";
import { builderPath, fieldsLocator, type Locator } from "../../api/deckhouse/support/locate.js";
import { checkAgainstSchema } from "../../api/deckhouse/support/schema-check.js";
import { isDeckhouseObject, validateDeckhouseObject, validateDeckhouseSet } from "../../api/deckhouse/validate.js";
import { isMutationObject, validateMutationObject } from "../../api/mutations/validate.js";

/** Field origins are keyed as written: `spec.x` for a literal manifest, `x` for a policyc builder. */
export function resourceLocator(r: ResourceIR): Locator {
  const manifestShaped = Object.keys(r.fields).some((k) => k === "spec" || k === "metadata" || k === "apiVersion");
  return fieldsLocator(r.origin, r.fields, manifestShaped ? (p) => [...p] : builderPath);
}

function isKyvernoException(o: Record<string, unknown>): boolean {
  return typeof o.apiVersion === "string" && o.apiVersion.startsWith("kyverno.io/") && o.kind === "PolicyException";
}

export function checkPolicyResources(project: ProjectIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  const deckhouse: { object: any; locate: Locator }[] = [];
  for (const r of project.resources) {
    const o = r.object as Record<string, any>;
    const locate = resourceLocator(r);
    if (isDeckhouseObject(o)) {
      out.push(...validateDeckhouseObject(o, locate));
      deckhouse.push({ object: o, locate });
    } else if (isMutationObject(o)) {
      out.push(...validateMutationObject(o, locate));
    } else if (isKyvernoException(o) && Object.keys(r.fields).length > 0) {
      out.push(...checkAgainstSchema(o, "kyverno/policyexception.json", { what: `PolicyException \`${String(o.metadata?.name)}\``, locate }));
    }
  }
  out.push(...validateDeckhouseSet(deckhouse));
  return out;
}
