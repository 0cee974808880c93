/**
 * Wires the mutation and expansion engines into `policyc check` for one policy set. Each engine
 * lives in src/testing/gatekeeper/ (`mutation/`, `expansion/`) and implements the interfaces of
 * `policy-set.ts`; this is the one place that builds them.
 *
 * Mutators and ExpansionTemplates Gatekeeper would refuse are left out, reported in
 * `diagnostics` at their origin (with warnings about usable ones, e.g. a removed `assignIf`).
 * `mutate` and `expand` throw a MutationError or ExpansionError where the webhook would fail the
 * request (a mutation that does not converge, a `namespaceSelector` without the Namespace, a
 * workload without its template source): `isAdmissionEngineError` tells them from policyc bugs.
 */
import { diag, type Diagnostic, type Span } from "../../diagnostics/index.js";
import { PC42 } from "../gatekeeper/diagnostics.js";
import { gvkOf, nameOf, namespaceOf, type KubeObject } from "../gatekeeper/objects.js";
import { buildExpander } from "../gatekeeper/expansion/expander.js";
import { ExpansionError } from "../gatekeeper/expansion/system.js";
import { MutationError } from "../gatekeeper/mutation/system.js";
import type { AdmissionEngines, PolicySet } from "../gatekeeper/policy-set.js";

export function isAdmissionEngineError(e: unknown): e is MutationError | ExpansionError {
  return e instanceof MutationError || e instanceof ExpansionError;
}

/** The error for one object whose mutation or expansion fails (PC4206), at the object's origin. */
export function admissionFailure(e: MutationError | ExpansionError, obj: KubeObject, at?: Span): Diagnostic {
  const ns = namespaceOf(obj);
  const what = e instanceof ExpansionError ? "Expansion" : "Mutation";
  return diag(PC42.admissionFailed, [what, `${gvkOf(obj).kind} ${ns ? `${ns}/` : ""}${nameOf(obj)}`, e.message], at);
}

export async function buildEngines(set: PolicySet): Promise<AdmissionEngines & { diagnostics: Diagnostic[] }> {
  const e = buildExpander(set.mutators, set.expansionTemplates, { exemptNamespaces: set.config.exemptNamespaces });
  const engines: AdmissionEngines & { diagnostics: Diagnostic[] } = { diagnostics: e.diagnostics };
  if (e.mutation.mutators.length > 0) {
    engines.mutation = {
      mutate: (obj, ctx) => e.mutation.mutate(obj, { ...(ctx.namespace ? { namespace: ctx.namespace } : {}), operation: ctx.operation }),
    };
  }
  if (e.expansion.templates.length > 0) {
    engines.expansion = {
      templates: e.expansion.templates,
      expand: (obj, ctx) => (e.expansion.expands(obj) ? e.expansion.expand(obj, ctx.namespace ? { namespace: ctx.namespace } : {}) : []),
    };
  }
  return engines;
}
