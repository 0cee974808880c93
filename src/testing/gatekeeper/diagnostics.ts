/**
 * PC42xx: Gatekeeper's mutation and expansion engines (`src/testing/gatekeeper/mutation`,
 * `expansion`) as `policyc check` and `policyc verify` run them. A mutator or ExpansionTemplate that
 * Gatekeeper would refuse is left out with one of these; the rest of the set still runs.
 */
import type { MessageDef } from "../../diagnostics/index.js";

const e = (code: string, text: string): MessageDef => ({ code, text });
const w = (code: string, text: string): MessageDef => ({ code, severity: "warning", text });

export const PC42 = {
  mutatorRejected: e("PC4201", "{0} '{1}' is not usable: {2}; Gatekeeper would refuse it, so it is not applied"),
  assignIfRemoved: w(
    "PC4202",
    "{0} '{1}' sets parameters.assignIf, which Gatekeeper removed in v3.7 (value tests let mutations oscillate); the API server prunes it, so the mutation applies whatever the current value is. Use pathTests or match instead",
  ),
  externalData: w(
    "PC4203",
    "{0} '{1}' takes its value from external data provider '{2}', which policyc cannot call offline; objects it matches are reported with a mutation error",
  ),
  expansionRejected: e("PC4204", "ExpansionTemplate '{0}' is not usable: {1}; Gatekeeper would refuse it, so it is not applied"),
  mutatorConflict: w(
    "PC4205",
    "{0} '{1}' and {2} '{3}' disagree about the schema of {4} at `{5}` ({6}); Gatekeeper applies neither while they conflict",
  ),
  duplicate: w("PC4207", "{0} '{1}' is defined more than once; as in the cluster, where applying it again replaces it, the last definition is used"),
  admissionFailed: e("PC4206", "{0} of {1} fails, so Gatekeeper's webhook would refuse it: {2}"),
} as const;
