/**
 * gator's assertion logic. A result matches an assertion when the assertion has no `message` or
 * its RE2 regex finds a match anywhere in the result's `msg`. Then `N` needs exactly N matches,
 * `yes` at least one, `no` none. Enforcement actions are ignored.
 */
import type { SuiteAssertion } from "./model.js";

export interface AssertionOutcome {
  ok: boolean;
  matching: number;
  /** gator-style explanation when not ok. */
  reason?: string;
}

export function checkAssertion(a: SuiteAssertion, messages: readonly string[]): AssertionOutcome {
  const matching = a.regex ? messages.filter((m) => a.regex!.matcher(m).find()).length : messages.length;
  const containing = a.message !== undefined ? ` containing ${JSON.stringify(a.message)}` : "";
  const got = `got ${matching} violations${containing}`;
  const v = a.violations;
  if (typeof v === "number") {
    return matching === v ? { ok: true, matching } : { ok: false, matching, reason: `${got} but want exactly ${v}` };
  }
  if (v === "yes") return matching > 0 ? { ok: true, matching } : { ok: false, matching, reason: `${got} but want at least 1` };
  return matching === 0 ? { ok: true, matching } : { ok: false, matching, reason: `${got} but want none` };
}
