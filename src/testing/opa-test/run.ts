/**
 * Runs OPA unit tests without OPA: the modules are compiled once into one Wasm module with a query
 * per test (`data.<pkg>.<test>`), then each test is evaluated on its own, as `opa test` does. A test
 * passes when its document is `true`; it fails when it is undefined or anything else (for a
 * parameterised `test_x[name]` test, when any named sub-result is not `true`); it errors when
 * evaluation raises an error. `todo_test_` rules are skipped. With `coverage`, the module is
 * compiled instrumented and the reached rows make OPA's coverage report.
 */
import { DiagnosticError, diag, type Diagnostic } from "../../diagnostics/index.js";
import { goList, rootsContain } from "./load.js";
import { PC43 } from "./diagnostics.js";
import { compile, loadModule, type LoadedModule } from "../../engine/index.js";
import { EvalError, toEvalError } from "../../engine/runner/errors.js";
import { opaRuntimeInfo, setRuntimeInfo, startEvaluation } from "../../engine/builtins/index.js";
import { setPrintSink } from "../../engine/builtins/print.js";
import { setNoteSink, type Note } from "../../engine/builtins/notes.js";
import { parseModule } from "../../engine/rego/index.js";
import { RawJson } from "../../engine/runner/load.js";
import { exactJsonText } from "../../engine/eval/documents.js";
import type { Location, Module } from "../../engine/rego/ast.js";
import { discoverTests, type TestRule } from "./discover.js";
import { addReachRules, reachRuleName, recordReached } from "./cases.js";
import { coverableRows, coverageReport, type CoverageReport } from "./coverage.js";
import { findFailureLines, type FailureLine } from "./failure-line.js";

export interface OpaTestOptions {
  /** A module's own `regoVersion` overrides the run's (templates of a project may differ). */
  modules: { file: string; text: string; regoVersion?: "v0" | "v1"; bundleRoots?: string[] }[];
  data: Record<string, unknown>;
  regoVersion: "v0" | "v1";
  /** Only tests whose full name (`data.pkg.test_x`) matches. */
  run?: RegExp;
  coverage?: boolean;
  /** Evaluation budget per test (function entries plus loop iterations). */
  fuel?: number;
  /** Wall-clock limit per test in ms: a test still running then stops and is an ERROR (OPA's --timeout). */
  timeoutMs?: number;
  /**
   * `opa test --bench`: each test is run repeatedly, as Go's testing.Benchmark does, until the runs
   * add up to `benchtimeMs` (Go's default 1 s); print() calls are removed, as OPA removes them.
   */
  bench?: { benchtimeMs: number };
  /** `--var-values`: find where each failed test failed and its variables' values (failure-line.ts). */
  varValues?: boolean;
  /** Record the notes of `trace(msg)` calls per test (`--explain notes`, and `-v` as OPA's default filter). */
  traceNotes?: boolean;
}

/** Go's testing.BenchmarkResult as OPA reports it (allocations are not measured by policyc). */
export interface BenchmarkResult {
  /** Iterations of the last, longest round. */
  N: number;
  /** Total nanoseconds of that round. */
  T: number;
}

export interface SubResult {
  name: string;
  fail: boolean;
  sub_results?: Record<string, SubResult>;
}

/** One test's outcome, in the shape of OPA's `tester.Result`. */
export interface OpaTestResult {
  location: { file: string; row: number; col: number };
  package: string;
  name: string;
  /** Nanoseconds. */
  duration: number;
  fail?: boolean;
  skip?: boolean;
  /** OPA's topdown.Error: its code, message and (when it has one) the location it arose at. */
  error?: { code: string; message: string; location?: { file: string; row: number; col: number } };
  /** Lines print() wrote during the test. */
  output?: string[];
  /** The test's `trace(msg)` notes in evaluation order, when recorded (not part of OPA's JSON result). */
  notes?: Note[];
  /** `--var-values`: the expression the test failed at, with its variables' values. */
  failureLine?: FailureLine;
  sub_results?: Record<string, SubResult>;
  benchmark_result?: BenchmarkResult;
}

export interface OpaTestRun {
  results: OpaTestResult[];
  coverage?: CoverageReport;
}

const RESULT_VAR = "__policyc_test__";

/** `opa test`'s default --timeout per test. */
export const OPA_TEST_TIMEOUT_MS = 5000;

/** Throws DiagnosticError when a module does not parse or the whole does not compile (as opa test). */
export function runOpaTests(opts: OpaTestOptions): OpaTestRun {
  const diagnostics: Diagnostic[] = [];
  const parsed: Module[] = [];
  // OPA orders modules by name; test numbering and output follow that order.
  const sources = [...opts.modules].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const m of sources) {
    try {
      parsed.push(parseModule(m.text, { file: m.file, regoVersion: m.regoVersion ?? opts.regoVersion }));
    } catch (e) {
      if (e instanceof DiagnosticError) diagnostics.push(...e.diagnostics);
      else throw e;
    }
  }
  // A bundle's modules must lie under its manifest's roots (OPA refuses the bundle otherwise).
  sources.forEach((m, i) => {
    const pkg = parsed[i]?.package;
    if (!m.bundleRoots || !pkg) return;
    const segs = pkg.path.terms.slice(1).map((t) => (t.type === "string" ? t.value : t.type === "var" ? t.name : ""));
    if (!rootsContain(m.bundleRoots, segs.join("/"))) {
      diagnostics.push(diag(PC43.moduleOutsideRoots, [goList(m.bundleRoots), `package ${segs.join(".")}`, m.file], { file: m.file, line: pkg.loc.row, col: pkg.loc.col }));
    }
  });
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics);
  const coverable = opts.coverage ? coverableRows(parsed) : undefined;
  const allTests = discoverTests(parsed);
  const tests = allTests.filter((t) => !opts.run || opts.run.test(`${t.pkg}.${t.name}`));
  const queried = tests.filter((t) => !t.skip && !t.isFunction);
  const queryName = (i: number) => `test${i}`;
  // Reach rules are added to fresh copies of the modules: compiling changes the AST in place.
  const reach = queried.some((t) => t.partialObject) && !opts.coverage ? reachModule(sources, opts, queried.map((t) => allTests.indexOf(t))) : undefined;
  const wasm = compile({
    modules: sources.map((m, i) => ({ ...m, parsed: parsed[i]! })),
    // A plan needs at least one entrypoint; with no tests the module is compiled all the same,
    // so that compile errors surface as they would with opa test.
    queries: queried.length > 0
      ? queried.map((t, i) => ({ name: queryName(i), text: `${RESULT_VAR} = ${dataRef(t.path)}` }))
      : [{ name: "none", text: "true" }],
    regoVersion: opts.regoVersion,
    baseData: opts.data,
    enablePrint: opts.bench === undefined,
    coverage: opts.coverage === true,
    traceNotes: opts.traceNotes === true && opts.bench === undefined,
  });
  const module = loadModule(wasm, { fuel: opts.fuel, timeoutMs: opts.timeoutMs });
  // opa.runtime() as opa test gives it (environment, version; no configuration).
  const prevRuntime = setRuntimeInfo(opaRuntimeInfo());
  try {
    const run = runAll(module, tests, opts, coverable, reach);
    if (opts.varValues) {
      const failed = tests.filter((t, i) => {
        const r = run.results[i];
        return r?.fail && !r.error && !r.sub_results && !t.partialObject;
      });
      const found = findFailureLines(
        sources.map((m, i) => ({ file: m.file, text: m.text, regoVersion: m.regoVersion ?? opts.regoVersion, parsed: parsed[i]! })),
        failed,
        opts,
      );
      tests.forEach((t, i) => {
        const line = found.get(t);
        if (line) run.results[i]!.failureLine = line;
      });
    }
    return run;
  } finally {
    setRuntimeInfo(prevRuntime);
  }
}

function runAll(module: LoadedModule, tests: TestRule[], opts: OpaTestOptions, coverable: ReturnType<typeof coverableRows> | undefined, reach: Reach | undefined): OpaTestRun {
  const queryName = (i: number) => `test${i}`;
  // As JSON text with exact numbers (data files keep big integers as OPA's json.Number does).
  const data = exactJsonText(opts.data);
  module.setData(new RawJson(data));
  reach?.module.setData(new RawJson(data));
  const results: OpaTestResult[] = [];
  let q = 0;
  for (const t of tests) {
    if (t.skip) {
      results.push({ ...base(t), duration: 0, skip: true });
      continue;
    }
    if (t.isFunction) {
      results.push({ ...base(t), duration: 0, error: { code: "eval_type_error", message: `${t.pkg}.${t.name} is a function; a test rule takes no arguments` } });
      continue;
    }
    const r = opts.bench ? benchOne(module, t, queryName(q), opts.bench.benchtimeMs) : runOne(module, t, queryName(q));
    if (reach?.entries.has(q) && !r.error && r.sub_results) recordReachedCases(reach.module, reach.entries.get(q)!, r);
    results.push(r);
    q++;
  }
  const run: OpaTestRun = { results };
  if (coverable && module.coverage) {
    const hits = new Map<string, Set<number>>();
    for (const h of module.coverage.hits()) {
      if (!coverable.has(h.file)) continue;
      let s = hits.get(h.file);
      if (!s) hits.set(h.file, (s = new Set()));
      s.add(h.row);
    }
    run.coverage = coverageReport(hits, coverable);
  } else if (coverable) run.coverage = coverageReport(new Map(), coverable);
  return run;
}

function runOne(module: LoadedModule, t: TestRule, entrypoint: string): OpaTestResult {
  const output: string[] = [];
  const notes: Note[] = [];
  const prevSink = setPrintSink((line) => output.push(line));
  const prevNotes = setNoteSink((n) => notes.push(n));
  const t0 = process.hrtime.bigint();
  let rows: Record<string, unknown>[] | undefined;
  let error: EvalError | undefined;
  try {
    startEvaluation();
    rows = module.evaluate(undefined, entrypoint) as Record<string, unknown>[];
  } catch (e) {
    error = toEvalError(e);
  } finally {
    setPrintSink(prevSink);
    setNoteSink(prevNotes);
  }
  const duration = Number(process.hrtime.bigint() - t0);
  const r: OpaTestResult = { ...base(t), duration };
  if (output.length > 0) r.output = output;
  if (notes.length > 0) r.notes = notes;
  if (error) {
    r.error = topdownError(error);
    return r;
  }
  const row = rows?.[0];
  if (!row || !(RESULT_VAR in row)) {
    r.fail = true;
    return r;
  }
  const value = row[RESULT_VAR];
  if (t.partialObject) {
    const subs = subResults(value);
    r.sub_results = subs.results;
    if (subs.fail) r.fail = true;
  } else if (value !== true) r.fail = true;
  return r;
}

/**
 * Go's benchmark loop (testing.B.launch): one run, then rounds of n runs, n predicted from the last
 * round to reach the benchmark time (+20%, at most 100× the last, at least one more) until a round
 * takes that long. A run that does not pass ends the benchmark with its result.
 */
function benchOne(module: LoadedModule, t: TestRule, entrypoint: string, benchtimeMs: number): OpaTestResult {
  const goal = benchtimeMs * 1e6;
  const t0 = process.hrtime.bigint();
  let n = 1;
  let round = 0;
  let last: OpaTestResult;
  for (;;) {
    const r0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      last = runOne(module, t, entrypoint);
      if (!passedResult(last)) return { ...last, duration: Number(process.hrtime.bigint() - t0) };
    }
    round = Number(process.hrtime.bigint() - r0);
    if (round >= goal || n >= 1e9) break;
    let next = Math.floor((goal * n) / Math.max(round, 1));
    next += Math.floor(next / 5);
    n = Math.min(Math.max(Math.min(next, 100 * n), n + 1), 1e9);
  }
  return { ...last!, duration: Number(process.hrtime.bigint() - t0), benchmark_result: { N: n, T: round } };
}

function passedResult(r: OpaTestResult): boolean {
  return !r.fail && !r.skip && !r.error;
}

interface Reach {
  module: LoadedModule;
  /** Query index of a parameterised test → the entrypoint of its reach rule. */
  entries: Map<number, string>;
}

/**
 * The module of the parameterised tests' reach rules (cases.ts), with an entrypoint per rule;
 * undefined when none could be added or they do not compile (the tests then report only the cases
 * in their value).
 */
function reachModule(sources: OpaTestOptions["modules"], opts: OpaTestOptions, indices: number[]): Reach | undefined {
  try {
    const parsed = sources.map((m) => parseModule(m.text, { file: m.file, regoVersion: m.regoVersion ?? opts.regoVersion }));
    const all = discoverTests(parsed);
    const queried = indices.map((i) => all[i]!);
    const added = addReachRules(parsed, queried.map((t) => (t.partialObject ? t.rule : undefined)));
    if (added.size === 0) return undefined;
    const entries = new Map<number, string>();
    for (const q of added) entries.set(q, `reach${q}`);
    const wasm = compile({
      modules: sources.map((m, i) => ({ ...m, parsed: parsed[i]! })),
      queries: [...added].map((q) => ({ name: `reach${q}`, text: `${RESULT_VAR} = ${dataRef([...queried[q]!.pkgPath, reachRuleName(q)])}` })),
      regoVersion: opts.regoVersion,
      enablePrint: false,
    });
    return { module: loadModule(wasm, { fuel: opts.fuel, timeoutMs: opts.timeoutMs }), entries };
  } catch (e) {
    if (e instanceof DiagnosticError) return undefined;
    throw e;
  }
}

/** Adds the cases the test reached but that are not in its value, as failed sub-results (as OPA does). */
function recordReachedCases(module: LoadedModule, entrypoint: string, r: OpaTestResult): void {
  let rows: Record<string, unknown>[] | undefined;
  try {
    startEvaluation();
    rows = module.evaluate(undefined, entrypoint) as Record<string, unknown>[];
  } catch {
    return;
  }
  const reached = rows?.[0]?.[RESULT_VAR];
  if (!Array.isArray(reached)) return;
  if (recordReached(r.sub_results!, reached)) r.fail = true;
}

/**
 * An evaluation error in the shape of OPA's topdown.Error. Conflicts carry the location of the rule
 * that produced a second value and topdown's words for them (the `var assignment conflict:` and
 * `object insert conflict:` prefixes are OPA's Wasm runtime's, which opa test does not use).
 */
function topdownError(error: EvalError): NonNullable<OpaTestResult["error"]> {
  let message = error.message.replace(/^[a-z_]+: /, "");
  let location: { file: string; row: number; col: number } | undefined;
  const m = /^(.+?):(\d+):(\d+): ([\s\S]*)$/.exec(message);
  if (m) {
    location = { file: m[1]!, row: Number(m[2]), col: Number(m[3]) };
    message = m[4]!;
  }
  if (error.code === "eval_conflict_error") message = message.replace(/^(var assignment conflict|object insert conflict): /, "");
  return { code: error.code, message, ...(location ? { location } : {}) };
}

function base(t: TestRule): Pick<OpaTestResult, "location" | "package" | "name"> {
  return { location: locationOf(t.loc), package: t.pkg, name: t.name };
}

function locationOf(l: Location): OpaTestResult["location"] {
  return { file: l.file, row: l.row, col: l.col };
}

/** A parameterised test's value: every leaf must be `true` (OPA's sub-results). */
function subResults(v: unknown): { fail: boolean; results: Record<string, SubResult> } {
  const results: Record<string, SubResult> = {};
  let fail = false;
  if (typeof v !== "object" || v === null || Array.isArray(v)) return { fail: true, results };
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    let sr: SubResult;
    if (typeof x === "object" && x !== null && !Array.isArray(x)) {
      const inner = subResults(x);
      sr = { name: k, fail: inner.fail, sub_results: inner.results };
    } else sr = { name: k, fail: x !== true };
    results[k] = sr;
    if (sr.fail) fail = true;
  }
  return { fail, results };
}

/** `data["a"]["b"]`: quoted segments are valid whatever the names hold (e.g. `test_x#01`). */
function dataRef(path: string[]): string {
  return "data" + path.map((p) => `[${JSON.stringify(p)}]`).join("");
}
