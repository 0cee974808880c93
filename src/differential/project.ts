/**
 * `policyc test --differential` for a whole project: loads it (front end and transpiler), runs the
 * policy files again to get the native `violation` functions, and runs the differential for every
 * TypeScript-bodied check. Results come back as test-report suites (one per check: its test cases
 * and the generated inputs), so every reporter prints them.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { DEFINITION } from "../api/definition.js";
import type { CheckSpec } from "../api/check.js";
import type { ViolationFn } from "../api/violation.js";
import { diag, hasErrors, type Diagnostic } from "../diagnostics/index.js";
import { executeFiles } from "../frontend/execute.js";
import { loadProject } from "../frontend/load.js";
import { D } from "../ir/diagnostics.js";
import type { CaseResult, SuiteResult } from "../testing/run/results.js";
import type { CheckIR, ConfigIR, Origin } from "../ir/ir.js";
import { templateObject } from "../emit/gatekeeper/templates.js";
import { celSourceOf } from "../emit/vap/emitter.js";
import { transpileSettings } from "../transpile/lower.js";
import { differentialCheck, formatDifference, type CheckOutcome, type CheckUnderTest, type DifferentialOptions } from "./runner.js";

export interface ProjectDifferentialOptions extends DifferentialOptions {
  cwd: string;
  configPath?: string;
  /** Only checks whose kind matches. */
  filter?: RegExp;
}

export interface ProjectDifferentialResult {
  suites: SuiteResult[];
  diagnostics: Diagnostic[];
  outcomes: CheckOutcome[];
}

/** The project's TypeScript-bodied checks with their native functions and compiled Rego. */
export async function loadTypeScriptChecks(opts: { cwd: string; configPath?: string; filter?: RegExp }): Promise<{ checks: (CheckUnderTest & { origin: Origin })[]; diagnostics: Diagnostic[] }> {
  const before = transpileSettings.recordShapes;
  transpileSettings.recordShapes = true;
  let loaded: Awaited<ReturnType<typeof loadProject>>;
  try {
    loaded = await loadProject({ cwd: opts.cwd, ...(opts.configPath ? { configPath: opts.configPath } : {}) });
  } finally {
    transpileSettings.recordShapes = before;
  }
  const diagnostics: Diagnostic[] = [];
  if (!loaded.project || !loaded.root || hasErrors(loaded.diagnostics)) {
    return { checks: [], diagnostics: loaded.diagnostics.filter((d) => d.severity === "error") };
  }
  const { project, root } = loaded;
  const irs = project.checks.filter((c) => c.body.kind === "typescript" && (!opts.filter || opts.filter.test(c.kind)));
  if (irs.length === 0) return { checks: [], diagnostics };
  const run = await executeFiles(project.files.map((f) => path.join(root, f)));
  const fns = new Map<string, ViolationFn<unknown, unknown>>();
  for (const def of run.definitions) {
    if (def[DEFINITION].kind !== "check") continue;
    const spec = def as unknown as CheckSpec<object, unknown>;
    if (typeof spec.violation === "function") fns.set(spec.kind, spec.violation as ViolationFn<unknown, unknown>);
  }
  const checks: (CheckUnderTest & { origin: Origin })[] = [];
  for (const check of irs) {
    const fn = fns.get(check.kind);
    if (!fn || check.body.kind !== "typescript") {
      diagnostics.push(diag(D.definitionUnlocated, [`check ${check.kind}`, "its violation function did not run"], check.origin));
      continue;
    }
    checks.push({
      kind: check.kind,
      rego: check.body.main.text,
      pkg: check.body.package.replaceAll(".", "/"),
      regoVersion: check.regoVersion,
      fn,
      shapes: check.body.shapes,
      parameters: check.parameters,
      tests: check.tests,
      origin: check.origin,
      ...celOf(check, project.config),
    });
  }
  return { checks, diagnostics };
}

/** The CEL the check's emitted template carries (the third engine), if any. */
function celOf(check: CheckIR, config: ConfigIR): { cel?: unknown } {
  const cel = celSourceOf(templateObject(check, config));
  return cel ? { cel } : {};
}

export async function differentialProject(opts: ProjectDifferentialOptions): Promise<ProjectDifferentialResult> {
  const loaded = await loadTypeScriptChecks(opts);
  const result: ProjectDifferentialResult = { suites: [], diagnostics: loaded.diagnostics, outcomes: [] };
  for (const check of loaded.checks) {
    const t0 = performance.now();
    const outcome = await differentialCheck(check, {
      ...(opts.runs !== undefined ? { runs: opts.runs } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    });
    result.outcomes.push(outcome);
    result.suites.push(suiteOf(outcome, `${check.origin.file} › ${check.kind}`, check.origin.file, performance.now() - t0));
  }
  return result;
}

function suiteOf(o: CheckOutcome, display: string, file: string, durationMs: number): SuiteResult {
  const engines = o.cel ? "TypeScript, Rego and CEL" : "TypeScript and Rego";
  const cases: CaseResult[] = o.cases.map((c) => ({
    name: c.name,
    status: c.difference ? "fail" : "pass",
    reasons: c.difference ? [`${engines} decide differently:\n${formatDifference(c.difference)}`] : [],
    diagnostics: [],
    durationMs: 0,
  }));
  const g = o.generated;
  cases.push({
    name: `${g.runs} generated objects (seed ${g.seed}; ${g.violating} with violations)`,
    status: g.difference || o.error ? "fail" : "pass",
    reasons: o.error
      ? [o.error]
      : g.difference
        ? [`${engines} decide differently; smallest counterexample (after ${g.shrinks ?? 0} shrinks):\n${formatDifference(g.difference)}`]
        : [],
    diagnostics: [],
    durationMs,
  });
  const status = cases.some((c) => c.status === "fail") ? "fail" : "pass";
  return {
    path: file,
    display: `differential: ${display}`,
    name: `differential ${o.kind}`,
    status,
    diagnostics: [],
    warnings: [],
    tests: [{ name: `${o.kind}: ${o.cel ? "TypeScript vs Rego vs CEL" : "TypeScript vs Rego"}`, status, invalid: false, reasons: [], diagnostics: [], cases, durationMs }],
    durationMs,
  };
}
