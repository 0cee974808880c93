/**
 * Turns the value of `violation` into Gatekeeper results: each element `r` of the set gives
 * `{msg: r.msg, details: r.details or {}}`; elements without a string `msg` are dropped, and
 * identical elements were already collapsed by set semantics.
 */
import { isObject } from "./objects.js";

export interface Violation {
  msg: string;
  details: unknown;
  /** The constraint's `enforcementAction` (`deny` when unset); assertions ignore it. */
  enforcementAction: string;
  /** For `scoped`: the actions that apply at the gator enforcement point. */
  scopedActions?: string[];
  constraint: { kind: string; name: string };
}

export function readViolations(value: unknown, base: Omit<Violation, "msg" | "details">): Violation[] {
  if (value === undefined || value === null) return [];
  const elements = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
  const out: Violation[] = [];
  for (const r of elements) {
    if (!isObject(r) || typeof r.msg !== "string") continue;
    // Built field by field in the base's order (a spread per result cost more than the rest).
    const details = r.details === undefined ? {} : r.details;
    const { enforcementAction, constraint, scopedActions } = base;
    out.push(scopedActions === undefined ? { enforcementAction, constraint, msg: r.msg, details } : { enforcementAction, constraint, scopedActions, msg: r.msg, details });
  }
  return out;
}
