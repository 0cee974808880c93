/**
 * Flattens a run into the units reporters list (one per case; one per test without cases; one per
 * suite that could not be read), in run order, with a readable title and failure text.
 */
import { renderDiagnostic } from "../../diagnostics/index.js";
import type { RunResult, Status } from "../run/results.js";
import type { Violation } from "../gatekeeper/violations.js";

export interface Unit {
  suite: string;
  test?: string;
  case?: string;
  status: Status;
  title: string;
  durationMs: number;
  /** Lines explaining a failure (reasons, rendered diagnostics, diff). */
  details: string[];
  /** What the Rego produced, when the case ran. */
  violations?: Violation[];
}

export function units(run: RunResult): Unit[] {
  const out: Unit[] = [];
  for (const d of run.diagnostics) {
    if (d.severity !== "error") continue;
    out.push({ suite: "(run)", status: "fail", title: d.code, durationMs: 0, details: [renderDiagnostic(d)] });
  }
  for (const s of run.suites) {
    const errs = s.diagnostics.filter((d) => d.severity === "error");
    if (errs.length > 0) {
      out.push({ suite: s.display, status: "fail", title: s.display, durationMs: s.durationMs, details: errs.map((d) => renderDiagnostic(d)) });
    }
    for (const t of s.tests) {
      const testDetails = [...t.reasons, ...t.diagnostics.map((d) => renderDiagnostic(d))];
      if (t.cases.length === 0) {
        out.push({
          suite: s.display,
          test: t.name,
          status: t.status,
          title: `${s.display} › ${t.name}${t.invalid ? " (invalid)" : ""}`,
          durationMs: t.durationMs,
          details: t.status === "fail" ? dedupe(testDetails) : [],
        });
        continue;
      }
      for (const c of t.cases) {
        const details =
          c.status === "fail"
            ? dedupe([...c.reasons, ...c.diagnostics.map((d) => renderDiagnostic(d)), ...(c.diff ? [c.diff] : []), ...(c.reasons.length === 0 ? testDetails : [])])
            : [];
        const unit: Unit = { suite: s.display, test: t.name, case: c.name, status: c.status, title: `${s.display} › ${t.name} › ${c.name}`, durationMs: c.durationMs, details };
        if (c.violations) unit.violations = c.violations;
        out.push(unit);
      }
    }
  }
  return out;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}
