/**
 * The outcome of a test run, shared by `policyc verify` and `policyc test` and read by every
 * reporter. Counting is per case; a test with `invalid: true` counts as one; a suite, test or case
 * that cannot run counts as one failure at the level where it broke.
 */
import { sortDiagnostics, type Diagnostic } from "../../diagnostics/index.js";
import type { Violation } from "../gatekeeper/violations.js";

export type Status = "pass" | "fail" | "skip";

export interface CaseResult {
  name: string;
  status: Status;
  /** Why it failed (assertion explanations, golden mismatch headers). */
  reasons: string[];
  /** Unified diff of violation messages against the golden file, when it differs. */
  diff?: string;
  diagnostics: Diagnostic[];
  violations?: Violation[];
  /** Messages of a second engine the case also ran on (a template with both Rego and CEL code). */
  engines?: { K8sNativeValidation?: string[] };
  durationMs: number;
}

export interface TestResult {
  name: string;
  status: Status;
  invalid: boolean;
  reasons: string[];
  diagnostics: Diagnostic[];
  cases: CaseResult[];
  durationMs: number;
}

export interface SuiteResult {
  path: string;
  display: string;
  name?: string;
  status: Status;
  diagnostics: Diagnostic[];
  warnings: Diagnostic[];
  tests: TestResult[];
  durationMs: number;
}

export interface RunResult {
  suites: SuiteResult[];
  /** Problems not tied to one suite (bad paths, bad filter). */
  diagnostics: Diagnostic[];
  durationMs: number;
}

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export function countResults(run: RunResult): Counts {
  const c: Counts = { passed: 0, failed: 0, skipped: 0 };
  const add = (s: Status) => {
    if (s === "pass") c.passed++;
    else if (s === "fail") c.failed++;
    else c.skipped++;
  };
  c.failed += run.diagnostics.filter((d) => d.severity === "error").length;
  for (const suite of run.suites) {
    if (suite.diagnostics.some((d) => d.severity === "error")) {
      add("fail");
      if (suite.tests.length === 0) continue;
    }
    for (const t of suite.tests) {
      if (t.cases.length === 0) add(t.status);
      else for (const cr of t.cases) add(cr.status);
    }
  }
  return c;
}

export function summaryLine(c: Counts): string {
  return `${c.passed} passed, ${c.failed} failed${c.skipped > 0 ? `, ${c.skipped} skipped` : ""}`;
}

/** Every diagnostic of the run, sorted by file and position. */
export function allDiagnostics(run: RunResult): Diagnostic[] {
  const out = [...run.diagnostics];
  for (const s of run.suites) {
    out.push(...s.diagnostics, ...s.warnings);
    for (const t of s.tests) {
      out.push(...t.diagnostics);
      for (const c of t.cases) out.push(...c.diagnostics);
    }
  }
  return sortDiagnostics(out);
}
