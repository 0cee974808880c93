/**
 * `policyc test`: runs the suites `policyc build` emitted under `<outDir>/tests/` (which compile the
 * emitted ConstraintTemplates in `<outDir>/manifests/`), checks each case's assertions, and compares
 * its violations with the suite's `golden.json`. `update` rewrites the golden files instead of
 * failing on a difference; assertions are the user's expectations and are never rewritten.
 *
 * Before running, the project is compiled in memory (as `policyc build --check` does): a build
 * error, or an output directory that differs from the build, fails the run instead of testing stale
 * files. The same build says where each case is in the user's `.ts` file, so a failing case is
 * reported there first (then at its emitted suite), and which checks have no case at all.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { diag, type Diagnostic } from "../diagnostics/index.js";
import { compile } from "../build/stages.js";
import { compareOutput, recoverOutput, withMarker } from "../build/write.js";
import { caseOrigins, untestedChecks, type CaseOrigins } from "../emit/tests/emitter.js";
import { findConfig } from "../frontend/config.js";
import { D } from "../ir/diagnostics.js";
import { PC4 } from "./diagnostics.js";
import type { RegoBackend } from "./gatekeeper/backend.js";
import { unifiedDiff } from "./golden/diff.js";
import { canonicalViolations, parseGolden, serializeGolden, violationLine, type GoldenFile } from "./golden/golden.js";
import type { RunResult, SuiteResult } from "./run/results.js";
import { runSuites } from "./run/verify.js";
import { parseFilter, type Filter } from "./suite/filter.js";
import { loadSuites } from "./verify.js";
import { deckhouseCaseSuites } from "./deckhouse-cases.js";
import type { ProjectIR } from "../ir/ir.js";
import { projectRegoTests } from "./opa-test/project.js";

export interface ProjectTestOptions {
  cwd: string;
  /** The output directory; default: the config's `outDir` (or `generated`) next to policyc.config.ts. */
  outDir?: string;
  configPath?: string;
  filter?: string;
  update?: boolean;
  backend?: RegoBackend;
  /** Wall-clock limit of each template evaluation in ms (default: Gatekeeper's webhook timeout, 3 s). */
  timeoutMs?: number;
  /** Issue 5: a second engine every case is also run on; differences fail the case. */
  compareBackend?: RegoBackend;
  onProgress?: (done: number, total: number) => void;
  /** Compile the project first and refuse a stale output (default true; `false` runs what is on disk). */
  fresh?: boolean;
}

export interface ProjectTestResult extends RunResult {
  outDir: string;
  /** Golden files written (with `update`), relative to the cwd. */
  updated: string[];
  /** Kinds of the checks without any test case (known when the project was compiled). */
  untested?: string[];
}

interface FreshBuild {
  diagnostics: Diagnostic[];
  origins?: CaseOrigins;
  untested?: { kind: string; diagnostic: Diagnostic }[];
  /** Absolute project root, to show source paths relative to the cwd. */
  root?: string;
  /** The compiled project (its Deckhouse policies' cases run from it). */
  project?: ProjectIR;
}

const MAX_LISTED = 5;

/** Compiles the project in memory and compares the result with the output directory on disk. */
async function freshBuild(opts: ProjectTestOptions, outDir: string): Promise<FreshBuild> {
  // Without a project the suites on disk run as they are; a --config that names none is a mistake.
  if (!findConfig(opts.cwd, opts.configPath)) return { diagnostics: opts.configPath ? [diag(D.configNotFound, [opts.configPath])] : [] };
  const built = await compile({ cwd: opts.cwd, outDir, ...(opts.configPath ? { configPath: opts.configPath } : {}) });
  const errors = built.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !built.files || !built.project || !built.root) return { diagnostics: errors };
  const root = built.root;
  const relToCwd = (file: string) => path.relative(opts.cwd, path.resolve(root, file)) || file;
  const out: FreshBuild = { diagnostics: [], origins: caseOrigins(built.project), root, project: built.project };
  out.untested = untestedChecks(built.project).map((c) => ({ kind: c.kind, diagnostic: diag(PC4.untested, [c.kind], { ...c.origin, file: relToCwd(c.origin.file) }) }));
  const changes = compareOutput(outDir, withMarker(built.files));
  const listed = [
    ...changes.changed.map((f) => `changed ${f}`),
    ...changes.added.map((f) => `missing ${f}`),
    ...changes.removed.map((f) => `extra ${f}`),
  ];
  if (listed.length > 0) {
    const shown = listed.slice(0, MAX_LISTED).join(", ") + (listed.length > MAX_LISTED ? `, and ${listed.length - MAX_LISTED} more` : "");
    out.diagnostics.push(diag(PC4.outputStale, [`${path.relative(opts.cwd, outDir) || outDir}/`, shown]));
  }
  return out;
}

/** A failing case is reported first at its line in the user's source, then (its reasons) at the suite. */
function pointAtSources(run: RunResult, outDir: string, cwd: string, fresh: FreshBuild): void {
  if (!fresh.origins || !fresh.root) return;
  const root = fresh.root;
  for (const s of run.suites) {
    const tests = fresh.origins.get(path.relative(outDir, s.path).split(path.sep).join("/"));
    if (!tests) continue;
    for (const t of s.tests) {
      for (const c of t.cases) {
        const origin = tests.get(t.name)?.get(c.name);
        if (c.status !== "fail" || !origin) continue;
        const file = path.relative(cwd, path.resolve(root, origin.file)) || origin.file;
        c.diagnostics.unshift(diag(PC4.caseFailed, [c.name, path.relative(cwd, s.path) || s.path], { ...origin, file }));
      }
    }
  }
}

/** The config's `outDir` read from its text (without running it): `outDir: "x"`, else `generated`. */
export function resolveOutDir(opts: Pick<ProjectTestOptions, "cwd" | "outDir" | "configPath">): string {
  if (opts.outDir) return path.resolve(opts.cwd, opts.outDir);
  const config = findConfig(opts.cwd, opts.configPath);
  if (!config) return path.resolve(opts.cwd, "generated");
  const m = /\boutDir\s*:\s*(["'`])([^"'`]+)\1/.exec(readFileSync(config, "utf8"));
  return path.resolve(path.dirname(config), m ? m[2]! : "generated");
}

function goldenOf(s: SuiteResult): string {
  return path.join(path.dirname(s.path), "golden.json");
}

function compareWithGolden(s: SuiteResult, golden: GoldenFile | undefined, goldenDisplay: string, update: boolean): GoldenFile {
  // The next golden holds every case of the suite: fresh results where the case ran, the recorded
  // entry where it was filtered out or skipped. Entries of cases that no longer exist are dropped.
  const next: GoldenFile = {};
  for (const t of s.tests) {
    for (const c of t.cases) {
      const recorded = golden?.[t.name]?.[c.name];
      if (c.violations === undefined) {
        if (recorded !== undefined) (next[t.name] ??= {})[c.name] = recorded;
        continue;
      }
      const actual = canonicalViolations(c.violations);
      (next[t.name] ??= {})[c.name] = actual;
      if (update) continue;
      if (recorded === undefined) {
        c.status = "fail";
        const d = diag(PC4.goldenMissing, [`${t.name} › ${c.name}`], { file: goldenDisplay, line: 1, col: 1 });
        c.diagnostics.push(d);
        c.reasons.push(d.message);
        continue;
      }
      const want = canonicalViolations(recorded).map(violationLine);
      const got = actual.map(violationLine);
      if (want.join("\n") !== got.join("\n")) {
        c.status = "fail";
        c.reasons.push(`violations differ from ${goldenDisplay} (run 'policyc test --update' if the change is intended)`);
        c.diff = unifiedDiff(want, got, `${goldenDisplay} (expected)`, "engine (actual)");
      }
    }
    if (t.cases.some((c) => c.status === "fail")) t.status = "fail";
  }
  if (!update && golden) {
    const stale = Object.entries(golden).flatMap(([t, cases]) => Object.keys(cases).filter((c) => next[t]?.[c] === undefined).map((c) => `${t} › ${c}`));
    for (const name of stale) s.warnings.push(diag(PC4.goldenStale, [goldenDisplay, name], { file: goldenDisplay, line: 1, col: 1 }));
  }
  if (s.tests.some((t) => t.status === "fail")) s.status = "fail";
  return next;
}

export async function projectTest(opts: ProjectTestOptions): Promise<ProjectTestResult> {
  const t0 = performance.now();
  const outDir = resolveOutDir(opts);
  const testsDir = path.join(outDir, "tests");
  const diagnostics: Diagnostic[] = [];
  const result: ProjectTestResult = { suites: [], diagnostics, durationMs: 0, outDir, updated: [] };
  // An output a killed build left half-written is completed (or rolled back) before it is read.
  diagnostics.push(...(await recoverOutput(outDir)));
  let filter: Filter;
  try {
    filter = parseFilter(opts.filter);
  } catch (e) {
    diagnostics.push(diag(PC4.badFilter, [opts.filter, (e as Error).message]));
    return result;
  }
  const fresh: FreshBuild = opts.fresh === false ? { diagnostics: [] } : await freshBuild(opts, outDir);
  diagnostics.push(...fresh.diagnostics);
  if (fresh.diagnostics.some((d) => d.severity === "error")) return result;
  if (fresh.untested) {
    diagnostics.push(...fresh.untested.map((u) => u.diagnostic));
    result.untested = fresh.untested.map((u) => u.kind);
  }
  // Deckhouse policies' cases have no emitted suite (their templates ship with policyc) and no golden file.
  const deckhouse = await deckhouseCaseSuites({ cwd: opts.cwd, ...(opts.configPath ? { configPath: opts.configPath } : {}), ...(fresh.project ? { project: fresh.project } : {}) }, filter);
  diagnostics.push(...deckhouse.diagnostics);
  if (!existsSync(testsDir) || !statSync(testsDir).isDirectory()) {
    if (deckhouse.suites.length === 0 && deckhouse.diagnostics.length === 0) {
      // A fresh output without tests/ means that no check has a case; otherwise the build is missing.
      const why = fresh.origins ? "; no check has `tests:` cases yet" : "; run 'policyc build' first (checks need `tests:` cases)";
      diagnostics.push(diag(PC4.noSuites, [path.relative(opts.cwd, testsDir) || testsDir, why]));
    }
    result.suites = deckhouse.suites;
    result.durationMs = performance.now() - t0;
    return result;
  }
  const loaded = loadSuites([testsDir], opts.cwd);
  diagnostics.push(...loaded.diagnostics);
  result.suites = await runSuites(loaded.suites, {
    cwd: opts.cwd,
    filter,
    ...(opts.backend ? { backend: opts.backend } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.compareBackend ? { compareBackend: opts.compareBackend } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  for (const s of result.suites) {
    if (s.diagnostics.length > 0) continue;
    const file = goldenOf(s);
    const display = path.relative(opts.cwd, file) || file;
    let golden: GoldenFile | undefined;
    if (existsSync(file)) {
      try {
        golden = parseGolden(readFileSync(file, "utf8"));
      } catch (e) {
        s.diagnostics.push(diag(PC4.goldenUnreadable, [display, (e as Error).message], { file: display, line: 1, col: 1 }));
        s.status = "fail";
        if (!opts.update) continue;
      }
    }
    const next = compareWithGolden(s, golden, display, opts.update === true);
    if (opts.update) {
      const text = serializeGolden(next);
      const before = existsSync(file) ? readFileSync(file, "utf8") : undefined;
      if (before !== text) {
        writeFileSync(file, text);
        result.updated.push(display);
      }
    }
  }
  pointAtSources(result, outDir, opts.cwd, fresh);
  result.suites.push(...deckhouse.suites);
  // The project's own Rego unit tests (*_test.rego beside its checks), against the emitted Rego.
  const config = findConfig(opts.cwd, opts.configPath);
  result.suites.push(...projectRegoTests({ cwd: opts.cwd, root: config ? path.dirname(config) : opts.cwd, outDir, ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) }));
  result.durationMs = performance.now() - t0;
  return result;
}
