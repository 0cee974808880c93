/**
 * `gator verify`'s own report, for scripts and eyes used to it: Go-test-like lines per test and case
 * (`--- FAIL: name (0.012s)` with the reason indented below), `ok`/`FAIL` with the suite path and
 * its time, and `PASS`/`FAIL` last, then an empty line. With `verbose` (gator's `-v`) passing and skipped tests and
 * cases are listed too (`=== RUN`, `=== SKIP`, `--- PASS`). A test that could not run (its template
 * or constraint refused) prints its error under the test line and no cases, as gator does. The
 * failure texts are policyc's (diagnostic codes included), not gator's Go errors.
 */
import { renderDiagnostic, type Diagnostic } from "../../diagnostics/index.js";
import type { CaseResult, RunResult, SuiteResult, TestResult } from "../run/results.js";

/** gator's duration format: seconds with three decimals. */
const secs = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(3)}s`;

const errors = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === "error");

/** The lines explaining a failure, one reason per line (gator prints one error). */
function reasonLines(reasons: string[], diagnostics: readonly Diagnostic[]): string[] {
  const lines = reasons.length > 0 ? reasons : errors(diagnostics).map((d) => renderDiagnostic(d));
  return lines.flatMap((l) => l.split("\n"));
}

/** A test gator reports as an error of its own (no case results): its template or constraint failed. */
const brokeAsTest = (t: TestResult) => t.status === "fail" && (t.reasons.length > 0 || errors(t.diagnostics).length > 0);

function caseLines(c: CaseResult, verbose: boolean, out: string[]): void {
  if (c.status === "skip") {
    if (verbose) out.push(`    === SKIP  ${c.name}`);
    return;
  }
  if (verbose) out.push(`    === RUN   ${c.name}`);
  if (c.status === "fail") {
    out.push(`    --- FAIL: ${c.name}\t(${secs(c.durationMs)})`);
    for (const l of reasonLines(c.reasons, c.diagnostics)) out.push(`        ${l}`);
  } else if (verbose) out.push(`    --- PASS: ${c.name}\t(${secs(c.durationMs)})`);
}

function testLines(t: TestResult, verbose: boolean, out: string[]): void {
  if (t.status === "skip") {
    if (verbose) out.push(`=== SKIP  ${t.name}`);
    return;
  }
  if (verbose) out.push(`=== RUN   ${t.name}`);
  const broke = brokeAsTest(t);
  if (!broke) for (const c of t.cases) caseLines(c, verbose, out);
  if (t.status === "fail") {
    out.push(`--- FAIL: ${t.name}\t(${secs(t.durationMs)})`);
    if (broke) for (const l of reasonLines(t.reasons, t.diagnostics)) out.push(`  ${l}`);
  } else if (verbose) out.push(`--- PASS: ${t.name}\t(${secs(t.durationMs)})`);
}

const suiteFailed = (s: SuiteResult) => s.status === "fail" || errors(s.diagnostics).length > 0 || s.tests.some((t) => t.status === "fail");

export function renderGator(run: RunResult, opts: { verbose?: boolean } = {}): string {
  const verbose = opts.verbose === true;
  const out: string[] = [];
  for (const d of errors(run.diagnostics)) out.push(`Error: ${renderDiagnostic(d)}`);
  let failed = errors(run.diagnostics).length > 0;
  for (const s of run.suites) {
    for (const t of s.tests) testLines(t, verbose, out);
    if (suiteFailed(s)) {
      failed = true;
      out.push(`FAIL\t${s.display}\t${secs(s.durationMs)}`);
      for (const d of errors(s.diagnostics)) for (const l of renderDiagnostic(d).split("\n")) out.push(`  ${l}`);
    } else out.push(`ok\t${s.display}\t${secs(s.status === "skip" ? 0 : s.durationMs)}`);
  }
  out.push(failed ? "FAIL" : "PASS");
  // gator prints its report with Println, which adds a line break after the report's own.
  return out.join("\n") + "\n\n";
}
