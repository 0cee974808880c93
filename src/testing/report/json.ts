/** Machine-readable run report: the summary, every unit with its details, and all diagnostics. */
import { allDiagnostics, countResults, type RunResult } from "../run/results.js";
import { units } from "./units.js";

export function renderJson(run: RunResult): string {
  const counts = countResults(run);
  const report = {
    summary: counts,
    ok: counts.failed === 0,
    durationMs: Math.round(run.durationMs),
    results: units(run).map((u) => ({
      suite: u.suite,
      ...(u.test !== undefined ? { test: u.test } : {}),
      ...(u.case !== undefined ? { case: u.case } : {}),
      status: u.status,
      durationMs: u.durationMs,
      ...(u.details.length > 0 ? { details: u.details } : {}),
      ...(u.violations
        ? {
            violations: u.violations.map((v) => ({
              msg: v.msg,
              details: v.details,
              enforcementAction: v.enforcementAction,
              ...(v.scopedActions ? { scopedActions: v.scopedActions } : {}),
              constraint: v.constraint,
            })),
          }
        : {}),
    })),
    diagnostics: allDiagnostics(run),
  };
  return JSON.stringify(report, null, 2) + "\n";
}
