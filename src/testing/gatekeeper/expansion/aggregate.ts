/**
 * How violations of a generated object are reported on its parent, as Gatekeeper's webhook, audit
 * and gator do: each message is prefixed with `[Implied by <ExpansionTemplate name>] `, and when the
 * template sets `enforcementAction` that action replaces the constraint's.
 */
import type { Violation } from "../violations.js";

export function impliedMessage(template: string, msg: string): string {
  return `[Implied by ${template}] ${msg}`;
}

export function aggregateViolations(template: string, enforcementAction: string | undefined, violations: readonly Violation[]): Violation[] {
  return violations.map((v) => {
    const out: Violation = { ...v, msg: impliedMessage(template, v.msg) };
    if (enforcementAction) {
      out.enforcementAction = enforcementAction;
      delete out.scopedActions;
    }
    return out;
  });
}
