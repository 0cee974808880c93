/**
 * Coverage of the emitted Rego by the project's test cases (`policyc test --coverage` without
 * paths): templates are compiled instrumented (the engine's coverage mode) through a back end that
 * remembers every compiled module; after the run, each module's rule heads and expressions that no
 * case reached are reported at their line in the template file and, for checks written in
 * TypeScript, at the TypeScript line the transpiler recorded in the comment above each rule
 * (`# policies/x.ts:12`).
 */
import { loadEngine, TEMPLATE_TIMEOUT_MS, unwrapResult, type RegoBackend, type RegoModuleSource } from "../gatekeeper/backend.js";
import { EXTERNAL_DATA, ExternalDataSession, ExternalDataUnmocked } from "../gatekeeper/external-data.js";
import { parseModule } from "../../engine/rego/index.js";
import type { Module } from "../../engine/rego/ast.js";
import type { CoverageTable } from "../../engine/runner/coverage.js";
import { coverableRows } from "../opa-test/coverage.js";
import { PC43 } from "../opa-test/diagnostics.js";
import { diag } from "../../diagnostics/index.js";

export interface UncoveredSpan {
  /** First and last row of the Rego module (1-based), consecutive rows merged. */
  rows: [number, number];
  /** The same rows in the template file, when its position is known. */
  templateLines?: [number, number];
  /** `file.ts:line` of the TypeScript statement the rule was compiled from. */
  source?: string;
}

export interface ModuleCoverage {
  /** `<template file>#rego` or `#libs[i]`. */
  module: string;
  covered: number;
  coverable: number;
  uncovered: UncoveredSpan[];
}

export interface GoldenCoverage {
  modules: ModuleCoverage[];
  covered: number;
  coverable: number;
  /** Percentage (100 when nothing is coverable). */
  coverage: number;
}

interface Compiled {
  modules: RegoModuleSource[];
  parsed: (Module | undefined)[];
  table: CoverageTable | undefined;
}

let runs = 0;

/** A back end compiling instrumented modules; `report()` after the run. */
export function coverageBackend(): { backend: RegoBackend; report(): GoldenCoverage } {
  const compiled: Compiled[] = [];
  // A name of its own per run: compiled templates are cached by back-end name.
  const name = `policyc-wasm-coverage-${++runs}`;
  const backend: RegoBackend = {
    name,
    async prepare(req) {
      const engine = await loadEngine();
      // Gatekeeper's external_data, answered from the case's mocks, as the ordinary back end does.
      const wasm = engine.compile({ modules: req.modules, entrypoints: [req.entrypoint], regoVersion: req.regoVersion, coverage: true, extraBuiltins: [EXTERNAL_DATA] });
      const external = new ExternalDataSession();
      const mod = engine.loadModule(wasm, { timeoutMs: req.timeoutMs ?? TEMPLATE_TIMEOUT_MS, builtins: external.builtins() });
      compiled.push({
        modules: req.modules,
        parsed: req.modules.map((m) => {
          try {
            return parseModule(m.text, { file: m.file, regoVersion: req.regoVersion });
          } catch {
            return undefined;
          }
        }),
        table: mod.coverage,
      });
      return {
        async evaluate(input, data, externalData) {
          mod.setData(data);
          external.begin(externalData);
          const value = unwrapResult(mod.evaluate(input, req.entrypoint));
          if (external.unmocked.length > 0) throw new ExternalDataUnmocked(external.unmocked);
          return value;
        },
      };
    },
  };
  return { backend, report: () => summarize(compiled) };
}

function summarize(compiled: Compiled[]): GoldenCoverage {
  const modules: ModuleCoverage[] = [];
  for (const c of compiled) {
    const hits = new Map<string, Set<number>>();
    for (const h of c.table?.hits() ?? []) {
      let s = hits.get(h.file);
      if (!s) hits.set(h.file, (s = new Set()));
      s.add(h.row);
    }
    c.modules.forEach((src, i) => {
      const parsed = c.parsed[i];
      if (!parsed) return;
      const coverable = coverableRows([parsed]).get(src.file) ?? new Set<number>();
      const hit = hits.get(src.file) ?? new Set<number>();
      const missed = [...coverable].filter((r) => !hit.has(r)).sort((a, b) => a - b);
      modules.push({
        module: src.file,
        covered: [...coverable].filter((r) => hit.has(r)).length,
        coverable: coverable.size,
        uncovered: spans(missed, src, parsed),
      });
    });
  }
  modules.sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
  const covered = modules.reduce((n, m) => n + m.covered, 0);
  const coverable = modules.reduce((n, m) => n + m.coverable, 0);
  return { modules, covered, coverable, coverage: coverable === 0 ? 100 : (100 * covered) / coverable };
}

/** Consecutive missed rows of one rule form a span, labelled with the rule's TypeScript origin. */
function spans(missed: number[], src: RegoModuleSource, parsed: Module): UncoveredSpan[] {
  const lines = src.text.split("\n");
  const originOf = ruleOrigins(parsed, lines);
  const out: UncoveredSpan[] = [];
  for (const row of missed) {
    const source = originOf(row);
    const last = out[out.length - 1];
    if (last && last.rows[1] + 1 === row && last.source === source) {
      last.rows[1] = row;
      if (last.templateLines) last.templateLines[1] = templateLine(src, row);
      continue;
    }
    const span: UncoveredSpan = { rows: [row, row] };
    if (src.origin) span.templateLines = [templateLine(src, row), templateLine(src, row)];
    if (source) span.source = source;
    out.push(span);
  }
  return out;
}

function templateLine(src: RegoModuleSource, row: number): number {
  return (src.origin?.line ?? 1) + row - 1;
}

const ORIGIN_COMMENT = /^\s*#\s*(\S+\.[cm]?tsx?):(\d+)\s*$/;

/** Row → the `file.ts:line` comment right above the rule holding that row, if any. */
function ruleOrigins(parsed: Module, lines: string[]): (row: number) => string | undefined {
  const ranges: { from: number; to: number; origin: string }[] = [];
  const rowOfOffset = offsetToRow(lines);
  for (const rule of parsed.rules) {
    const m = ORIGIN_COMMENT.exec(lines[rule.loc.row - 2] ?? "");
    if (!m) continue;
    let end = rule.loc.end;
    for (let r = rule.else; r; r = r.else) end = Math.max(end, r.loc.end);
    ranges.push({ from: rule.loc.row, to: rowOfOffset(end), origin: `${m[1]}:${m[2]}` });
  }
  return (row) => ranges.find((r) => row >= r.from && row <= r.to)?.origin;
}

function offsetToRow(lines: string[]): (offset: number) => number {
  const starts: number[] = [];
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += l.length + 1;
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** The human-readable section printed after the test report. */
export function renderGoldenCoverage(c: GoldenCoverage): string {
  const pct = (covered: number, total: number) => (total === 0 ? 100 : (100 * covered) / total).toFixed(1);
  const out = [`Coverage of the emitted Rego by the test cases: ${pct(c.covered, c.coverable)}% (${c.covered}/${c.coverable} lines)`];
  for (const m of c.modules) {
    out.push(`  ${m.module}: ${pct(m.covered, m.coverable)}% (${m.covered}/${m.coverable})`);
    const file = m.module.replace(/#[^#]*$/, "");
    for (const s of m.uncovered) {
      const range = (a: number, b: number) => (a === b ? `${a}` : `${a}-${b}`);
      const where = s.templateLines ? `${file}:${range(...s.templateLines)}` : `${m.module} rows ${range(...s.rows)}`;
      out.push(`    never executed: ${s.source ? `${s.source} (${where})` : where}`);
    }
  }
  return out.join("\n") + "\n";
}

/**
 * The coverage section and the `--threshold` verdict: status 1 when coverage is under it or the
 * threshold is not a percentage.
 */
export function goldenCoverageVerdict(c: GoldenCoverage, threshold: string | undefined): { text: string; status: number } {
  const text = renderGoldenCoverage(c);
  if (threshold === undefined) return { text, status: 0 };
  const t = Number(threshold);
  if (threshold.trim() === "" || !Number.isFinite(t) || t < 0 || t > 100) return { text: `${text}${diag(PC43.badThreshold, [threshold]).message}\n`, status: 1 };
  if (c.coverage >= t) return { text, status: 0 };
  return { text: `${text}${diag(PC43.thresholdNotMet, [c.coverage.toFixed(2), t.toFixed(2)]).message}\n`, status: 1 };
}
