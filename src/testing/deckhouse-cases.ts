/**
 * `policyc test` for Deckhouse policies: the `tests:` of each SecurityPolicy and OperationPolicy
 * builder, run through the Deckhouse mapping (the policy's Constraints, without the PSS ones) and the
 * policy pack's templates on the Gatekeeper emulation. Each policy is reported as one suite, at the
 * user's source.
 */
import { performance } from "node:perf_hooks";
import { compileRe2 } from "../api/re2.js";
import { compile } from "../build/stages.js";
import { clusterOfConfig, deckhousePolicySet, evaluateDeckhouse } from "../deckhouse/index.js";
import { hasErrors, type Diagnostic } from "../diagnostics/index.js";
import { findConfig } from "../frontend/config.js";
import type { ProjectIR, ResourceIR, TestCaseIR } from "../ir/ir.js";
import type { CaseResult, SuiteResult } from "./run/results.js";
import type { Filter } from "./suite/filter.js";

type Obj = Record<string, any>;

function expectationFailures(tc: TestCaseIR, messages: string[]): string[] {
  const out: string[] = [];
  const n = messages.length;
  const v = tc.violations;
  if (v === "yes" && n === 0) out.push("got 0 violations but want at least 1");
  if (v === "no" && n > 0) out.push(`got ${n} violations but want none`);
  if (typeof v === "number" && n !== v) out.push(`got ${n} violations but want exactly ${v}`);
  for (const pattern of tc.messages ?? []) {
    const re = compileRe2(pattern);
    if (!messages.some((m) => re.matcher(m).find())) out.push(`no violation message matches ${JSON.stringify(pattern)}`);
  }
  if (out.length > 0) out.push(`got messages ${JSON.stringify(messages)}`);
  return out;
}

async function runPolicy(r: ResourceIR, cluster: ReturnType<typeof clusterOfConfig>, filter: Filter): Promise<SuiteResult> {
  const t0 = performance.now();
  const testName = `${r.kind} ${r.name}`;
  const cases: CaseResult[] = [];
  const all = r.tests ?? [];
  for (const tc of filter.matchesTest(testName, all.map((t) => t.name)) ? all : []) {
    if (!filter.matchesCase(testName, tc.name)) continue;
    const c0 = performance.now();
    const inventory = (tc.inventory ?? []) as Obj[];
    const object = tc.object as Obj;
    const set = deckhousePolicySet([r.object, ...inventory], { cluster, withoutPss: true });
    const { findings } = await evaluateDeckhouse(set, [...inventory, object]);
    const mine = findings.filter((f) => f.object.kind === object.kind && f.object.name === (object.metadata?.name ?? "") && f.object.namespace === object.metadata?.namespace);
    const messages = mine.map((f) => f.msg);
    const reasons = expectationFailures(tc, messages);
    cases.push({
      name: tc.name,
      status: reasons.length > 0 ? "fail" : "pass",
      reasons,
      diagnostics: [],
      violations: mine.map((f) => ({ msg: f.msg, details: {}, enforcementAction: f.enforcementAction, constraint: f.constraint })) as CaseResult["violations"],
      durationMs: performance.now() - c0,
    });
  }
  const status = cases.some((c) => c.status === "fail") ? "fail" : "pass";
  return {
    path: r.origin.file,
    display: `${r.origin.file}:${r.origin.line}:${r.origin.col}`,
    name: testName,
    status,
    diagnostics: [],
    warnings: [],
    tests: [{ name: testName, status, invalid: false, reasons: [], diagnostics: [], cases, durationMs: performance.now() - t0 }],
    durationMs: performance.now() - t0,
  };
}

/** The project's Deckhouse policy cases as suites (none without a config or such cases). */
export async function deckhouseCaseSuites(
  opts: { cwd: string; configPath?: string; project?: ProjectIR },
  filter: Filter,
): Promise<{ suites: SuiteResult[]; diagnostics: Diagnostic[] }> {
  let project = opts.project;
  if (!project) {
    if (!findConfig(opts.cwd, opts.configPath)) return { suites: [], diagnostics: [] };
    const built = await compile({ cwd: opts.cwd, ...(opts.configPath ? { configPath: opts.configPath } : {}) });
    if (hasErrors(built.diagnostics) || !built.project) return { suites: [], diagnostics: built.diagnostics.filter((d) => d.severity === "error") };
    project = built.project;
  }
  const cluster = clusterOfConfig(project.config);
  const suites: SuiteResult[] = [];
  for (const r of project.resources) {
    if (!r.tests?.length || r.apiVersion !== "deckhouse.io/v1alpha1") continue;
    const s = await runPolicy(r, cluster, filter);
    if (s.tests[0]!.cases.length > 0) suites.push(s);
  }
  return { suites, diagnostics: [] };
}
