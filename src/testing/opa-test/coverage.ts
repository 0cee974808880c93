/**
 * OPA's coverage report (`opa test --coverage`): per file, the rows that evaluation reached
 * (`covered`) and the rows of rule heads and expressions it never reached (`not_covered`), as
 * ranges of consecutive rows, with line counts and a percentage; totals over all files.
 * What counts as reached comes from the engine's instrumented modules (an expression whose
 * evaluation started, a rule that produced a value); what could be reached is every rule head and
 * every expression except `some` declarations, as OPA walks them.
 */
import type { Body, Expr, Module, Rule, Term } from "../../engine/rego/ast.js";

export interface RowRange {
  start: { row: number };
  end: { row: number };
}

export interface FileCoverage {
  covered?: RowRange[];
  not_covered?: RowRange[];
  covered_lines?: number;
  not_covered_lines?: number;
  coverage?: number;
}

export interface CoverageReport {
  files: Record<string, FileCoverage>;
  covered_lines: number;
  not_covered_lines: number;
  coverage: number;
}

/** Rows of every rule head and expression of each module, by file. */
export function coverableRows(modules: Module[]): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const m of modules) {
    const rows = new Set<number>();
    const term = (t: Term): void => {
      switch (t.type) {
        case "ref": t.terms.forEach(term); return;
        case "array": case "set": t.items.forEach(term); return;
        case "object": t.items.forEach(([k, v]) => { term(k); term(v); }); return;
        case "call": term(t.operator); t.args.forEach(term); return;
        case "arraycomprehension": case "setcomprehension": term(t.term); body(t.body); return;
        case "objectcomprehension": term(t.key); term(t.value); body(t.body); return;
        case "templatestring": t.parts.forEach((p) => (p.type === "expr" ? expr(p) : term(p))); return;
        default: return;
      }
    };
    const expr = (e: Expr): void => {
      const x = e.expr;
      if (x.kind !== "some") rows.add(e.loc.row);
      if (x.kind === "term") term(x.term);
      else if (x.kind === "call") x.args.forEach(term);
      else if (x.kind === "every") { term(x.domain); body(x.body); }
      else x.symbols.forEach(term);
      for (const w of e.with) term(w.value);
    };
    const body = (b: Body): void => b.forEach(expr);
    const rule = (r: Rule): void => {
      rows.add(r.head.loc.row);
      r.head.args?.forEach(term);
      if (r.head.key) term(r.head.key);
      if (r.head.value) term(r.head.value);
      body(r.body);
      if (r.else) rule(r.else);
    };
    m.rules.forEach(rule);
    const prev = out.get(m.file);
    out.set(m.file, prev ? new Set([...prev, ...rows]) : rows);
  }
  return out;
}

/** The report from the reached rows and the coverable rows (files in name order). */
export function coverageReport(hits: Map<string, Set<number>>, coverable: Map<string, Set<number>>): CoverageReport {
  const files: Record<string, FileCoverage> = {};
  let covered = 0;
  let notCovered = 0;
  for (const file of [...new Set([...hits.keys(), ...coverable.keys()])].sort()) {
    const hit = hits.get(file) ?? new Set<number>();
    const missed = [...(coverable.get(file) ?? [])].filter((r) => !hit.has(r));
    const fr: FileCoverage = {};
    const c = ranges([...hit]);
    const n = ranges(missed);
    if (c.length) fr.covered = c;
    if (n.length) fr.not_covered = n;
    const cl = hit.size;
    const nl = new Set(missed).size;
    if (cl) fr.covered_lines = cl;
    if (nl) fr.not_covered_lines = nl;
    if (cl + nl > 0 && cl > 0) fr.coverage = (100 * cl) / (cl + nl);
    files[file] = fr;
    covered += cl;
    notCovered += nl;
  }
  const total = covered + notCovered;
  return { files, covered_lines: covered, not_covered_lines: notCovered, coverage: total === 0 ? 0 : (100 * covered) / total };
}

function ranges(rows: number[]): RowRange[] {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const out: RowRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last.end.row + 1 === r) last.end.row = r;
    else out.push({ start: { row: r }, end: { row: r } });
  }
  return out;
}

/** OPA's threshold message: the uncovered rows as `file:row` or `file:from-to`, one per line. */
export function uncoveredLines(report: CoverageReport): string[] {
  const lines: string[] = [];
  for (const [file, fr] of Object.entries(report.files)) {
    for (const r of fr.not_covered ?? []) lines.push(r.start.row === r.end.row ? `${file}:${r.start.row}` : `${file}:${r.start.row}-${r.end.row}`);
  }
  return lines;
}
