/**
 * A ValidatingAdmissionPolicy run as the API server runs it, on policyc's CEL engine: its
 * matchConditions (false: "not matched"), then Gatekeeper's and the template's variables and the
 * validations, `params` bound to the Constraint object (null for inline policies).
 */
import { compileCel, toCel } from "../../src/engine/cel/index.js";
import { compileK8sNativeValidation, evaluateK8sNativeValidation } from "../../src/testing/gatekeeper/k8s-native-validation.js";

export function runPolicy(policy: Record<string, unknown>, request: Record<string, unknown>, params: unknown, namespaceObject?: unknown): string[] | "not matched" {
  const spec = policy.spec as Record<string, unknown>;
  const bindings = { object: toCel(request.object ?? null), oldObject: toCel(null), request: toCel(request), params: toCel(params ?? null), namespaceObject: toCel(namespaceObject ?? null) };
  for (const m of (spec.matchConditions ?? []) as { expression: string }[]) {
    const r = compileCel(m.expression).eval(bindings);
    if ("error" in r) throw new Error(`${m.expression}: ${r.error}`);
    if (r.value === false) return "not matched";
  }
  const compiled = compileK8sNativeValidation({ variables: spec.variables, validations: spec.validations });
  return evaluateK8sNativeValidation(compiled, { review: request }, { namespaceObject, constraint: params ?? null }).map((r) => r.msg);
}
