/**
 * Human output: one line per suite (PASS/FAIL/SKIP with counts); under it every failing case with
 * its reasons, diagnostics and diff (a test that failed before its cases ran is shown once, with
 * the number of cases it took down); warnings; and the summary line last.
 */
import { renderDiagnostic, type Diagnostic } from "../../diagnostics/index.js";
import { countResults, summaryLine, type RunResult, type SuiteResult } from "../run/results.js";

export interface PrettyOptions {
  verbose?: boolean;
  color?: boolean;
}

function suiteCounts(s: SuiteResult) {
  let passed = 0,
    failed = 0,
    skipped = 0;
  const add = (st: string) => (st === "pass" ? passed++ : st === "fail" ? failed++ : skipped++);
  if (s.diagnostics.some((d) => d.severity === "error")) failed++;
  for (const t of s.tests) {
    if (t.cases.length === 0) add(t.status);
    else for (const c of t.cases) add(c.status);
  }
  return { passed, failed, skipped };
}

export function renderPretty(run: RunResult, opts: PrettyOptions = {}): string {
  const color = opts.color ?? false;
  const c = color
    ? { red: (s: string) => `\x1b[31m${s}\x1b[0m`, green: (s: string) => `\x1b[32m${s}\x1b[0m`, dim: (s: string) => `\x1b[2m${s}\x1b[0m` }
    : { red: (s: string) => s, green: (s: string) => s, dim: (s: string) => s };
  const diagText = (d: Diagnostic) => renderDiagnostic(d, { color });
  const lines: string[] = [];
  for (const d of run.diagnostics) lines.push(diagText(d));
  for (const s of run.suites) {
    const { passed, failed, skipped } = suiteCounts(s);
    const label = failed > 0 ? c.red("FAIL") : passed === 0 && skipped > 0 ? c.dim("SKIP") : c.green("PASS");
    const onCel = s.tests.reduce((n, t) => n + t.cases.filter((k) => k.engines?.K8sNativeValidation !== undefined).length, 0);
    const counts = `${passed} passed${failed ? `, ${failed} failed` : ""}${skipped ? `, ${skipped} skipped` : ""}${onCel ? `, ${onCel} on Rego and CEL` : ""}`;
    lines.push(`${label}  ${s.display}${s.name ? ` (${s.name})` : ""}  ${c.dim(`${counts}, ${Math.round(s.durationMs)}ms`)}`);
    for (const d of s.diagnostics) lines.push(indent(diagText(d), 4));
    for (const w of s.warnings) lines.push(indent(diagText(w), 4));
    for (const t of s.tests) {
      const brokeBeforeCases = t.status === "fail" && (t.reasons.length > 0 || t.diagnostics.length > 0);
      if (brokeBeforeCases) {
        const notRun = t.cases.filter((x) => x.status === "fail").length;
        lines.push(`  ${c.red("✗")} ${t.name}${t.invalid ? " (invalid)" : ""}${notRun ? c.dim(` (${notRun} case${notRun === 1 ? "" : "s"} not run)`) : ""}`);
        const details = t.diagnostics.length > 0 ? t.diagnostics.map(diagText) : t.reasons;
        for (const d of details) lines.push(indent(d, 6));
        continue;
      }
      if (t.cases.length === 0) {
        if (opts.verbose) lines.push(`  ${t.status === "pass" ? c.green("✓") : c.dim("-")} ${t.name}${t.invalid ? " (invalid)" : ""}`);
        continue;
      }
      for (const k of t.cases) {
        if (k.status === "fail") {
          lines.push(`  ${c.red("✗")} ${t.name} › ${k.name}`);
          // Diagnostics first: a failing case's own line in the user's source leads.
          const details = [...new Set([...k.diagnostics.map(diagText), ...k.reasons.filter((r) => !k.diagnostics.some((d) => d.message === r))])];
          for (const d of details) lines.push(indent(d, 6));
          if (k.diff) lines.push(indent(k.diff, 6));
        } else if (opts.verbose) {
          const engines = k.engines?.K8sNativeValidation !== undefined ? c.dim(" (Rego and CEL)") : "";
          lines.push(`  ${k.status === "pass" ? c.green("✓") : c.dim("-")} ${t.name} › ${k.name}${k.status === "skip" ? c.dim(" (skipped)") : ""}${engines}`);
        }
      }
    }
  }
  lines.push(summaryLine(countResults(run)));
  return lines.join("\n") + "\n";
}

function indent(text: string, n: number): string {
  const pad = " ".repeat(n);
  return text
    .split("\n")
    .map((l) => (l === "" ? l : pad + l))
    .join("\n");
}
