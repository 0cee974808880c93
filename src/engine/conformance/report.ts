/**
 * Text form of a conformance report: one line per category, then totals per group (core language,
 * Gatekeeper built-ins, other built-ins) and overall.
 */
import path from "node:path";
import type { ConformanceReport, Tally } from "./runner.js";
import type { CategoryKind } from "./categories.js";

const pct = (t: Tally) => (t.total === 0 ? "-" : `${((100 * t.pass) / t.total).toFixed(1)}%`);

function line(name: string, t: Tally): string {
  return `${name.padEnd(40)} ${String(t.pass).padStart(5)} pass ${String(t.fail).padStart(5)} fail ${String(t.skip).padStart(5)} skip ${String(t.total).padStart(5)} total  ${pct(t)}`;
}

export function groupTotals(report: ConformanceReport): Record<CategoryKind, Tally> {
  const out: Record<CategoryKind, Tally> = {
    core: { pass: 0, fail: 0, skip: 0, total: 0 },
    "gatekeeper-builtin": { pass: 0, fail: 0, skip: 0, total: 0 },
    builtin: { pass: 0, fail: 0, skip: 0, total: 0 },
  };
  for (const c of report.categories) {
    const g = out[c.kind];
    g.pass += c.pass;
    g.fail += c.fail;
    g.skip += c.skip;
    g.total += c.total;
  }
  return out;
}

export function formatReport(report: ConformanceReport, opts: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  if (opts.verbose) {
    for (const r of report.results) if (r.status !== "pass") lines.push(`${r.status.toUpperCase()} ${r.category}/${r.note}: ${r.reason ?? ""}`);
    lines.push("");
  }
  for (const c of report.categories) lines.push(line(`${c.category} [${c.kind}]`, c));
  lines.push("");
  const g = groupTotals(report);
  lines.push(line("core language", g.core));
  lines.push(line("Gatekeeper built-in families", g["gatekeeper-builtin"]));
  lines.push(line("other built-in families", g.builtin));
  lines.push(line("TOTAL", report.total));
  lines.push(`(${report.results.length} cases in ${(report.ms / 1000).toFixed(1)} s; corpus ${path.relative(process.cwd(), report.corpus) || "."})`);
  return lines.join("\n");
}
