/**
 * `policyc test PATH...`: the command-line side of the OPA unit-test runner — its options (OPA's
 * flags), loading, running, the chosen report, the coverage threshold and the exit status.
 * src/cli/commands/test.ts only routes here when paths are given.
 */
import { DiagnosticError, diag, type Diagnostic } from "../../diagnostics/index.js";
import type { CommandIO } from "../../cli/command.js";
import { printDiagnostics } from "../../cli/report.js";
import { checkValue, parseDuration, usageError } from "../../cli/args.js";
import { loadPaths } from "./load.js";
import { runOpaTests } from "./run.js";
import { countResults, errorText, jsonReport, prettyReport, resultString } from "./report.js";
import { uncoveredLines } from "./coverage.js";
import { goIndentedJson } from "../../engine/eval/command.js";
import { PC43 } from "./diagnostics.js";

/** OPA's `opa test` flags, merged into `policyc test`'s options. */
export const opaTestOptions = {
  "v0-compatible": { type: "boolean" },
  v0: { type: "boolean" },
  "v1-compatible": { type: "boolean" },
  run: { type: "string", short: "r", kind: "regex" },
  ignore: { type: "string", multiple: true, placeholder: "GLOB" },
  timeout: { type: "string", kind: "duration", min: 0 },
  format: { type: "string", choices: ["pretty", "json", "gobench"] },
  coverage: { type: "boolean", short: "c" },
  threshold: { type: "string", kind: "number", min: 0, max: 100 },
  "exit-zero-on-skipped": { type: "boolean", short: "z" },
  bundle: { type: "boolean", short: "b" },
  explain: { type: "string", choices: ["fails", "full", "notes", "debug"] },
  "var-values": { type: "boolean" },
  bench: { type: "boolean" },
  benchmem: { type: "boolean" },
  count: { type: "string", kind: "integer", min: 1 },
  parallel: { type: "string", short: "p", kind: "integer", min: 0 },
  "max-errors": { type: "string", short: "m", kind: "integer", min: -1 },
  target: { type: "string", choices: ["rego", "wasm"] },
  "fail-on-empty": { type: "boolean" },
  capabilities: { type: "string", placeholder: "FILE|VERSION" },
  schema: { type: "string", short: "s", placeholder: "FILE|DIR" },
} as const;

export interface OpaTestValues {
  "v0-compatible"?: boolean;
  v0?: boolean;
  "v1-compatible"?: boolean;
  run?: string;
  ignore?: string[];
  timeout?: string;
  format?: string;
  coverage?: boolean;
  threshold?: string;
  "exit-zero-on-skipped"?: boolean;
  bundle?: boolean;
  explain?: string;
  "var-values"?: boolean;
  bench?: boolean;
  benchmem?: boolean;
  count?: string;
  parallel?: string;
  "max-errors"?: string;
  target?: string;
  "fail-on-empty"?: boolean;
  capabilities?: string;
  schema?: string;
  watch?: boolean;
  verbose?: boolean;
  /** `-f` is `opa test`'s short --format; in PATH mode it is read as one. */
  filter?: string;
}

export const opaTestUsage = `policyc test [flags] PATH...  (OPA unit tests, as opa test PATH...)

Loads every .rego file under the paths, and .json/.yaml/.yml files into data under their folder's
path (a:b.c:PATH places it under data.b.c), then runs every rule named test_* (todo_test_* are
skipped; same-named tests run separately as test_x#01, ...). A test passes when it is true, fails
when it is undefined or not true, and errors when evaluation fails.

      --v0-compatible, --v0   parse as Rego v0 (default: v1, as OPA 1.x)
  -r, --run REGEX             only tests whose name (data.pkg.test_x) matches
      --ignore GLOB           skip files and folders whose name matches (repeatable)
      --timeout DURATION      per-test time limit (default 5s): a test still running then is
                              stopped and reported as an ERROR; the other tests run
  -f, --format pretty|json|gobench
                              report format (json: opa test's array of results; gobench: Go's
                              benchmark format, with --bench)
  -v, --verbose               a line per test (PASS/FAIL/ERROR/SKIPPED, duration, location)
      --explain MODE          fails|full|notes|debug: as -v; failed tests show their trace() notes
                              (notes, full, debug; policyc records no evaluation steps)
      --var-values            a FAILURES section: the expression each failed test failed at, with
                              its variables' values
      --bench                 benchmark each passing test (Go's loop, ~1s each; timeout 30s)
      --count N               run the tests N times
  -p, --parallel N            accepted; tests run one after another, reported in file order
  -m, --max-errors N          show at most N compile errors (default 10; 0: all)
      --target rego|wasm      accepted; policyc always evaluates on Wasm
      --fail-on-empty         exit 1 when no test ran
  -c, --coverage              print opa test's coverage report (JSON) instead of results
      --threshold N           with coverage: exit 1 when coverage is below N percent
  -z, --exit-zero-on-skipped  skipped tests do not make the exit status 1
  -b, --bundle                the paths are bundle directories: only data.json/data.yaml files are data

Exit status 1 when a test fails, errors or is skipped (without -z), or coverage is below the
threshold. The last line on stderr is "N passed, N failed".`;

export async function runOpaTestCli(paths: string[], values: OpaTestValues, io: CommandIO): Promise<number> {
  // Option values were checked by their declarations (opaTestOptions); `-f` is --filter's short
  // form for golden tests, so in PATH mode its value is checked here as opa test's --format.
  const format = values.format ?? values.filter ?? "pretty";
  if (format !== "pretty" && format !== "json" && format !== "gobench") {
    return usageError(io, "test", checkValue(values.format !== undefined ? "--format" : "-f", format, opaTestOptions.format) as Diagnostic);
  }
  const unsupported = ([
    ["--capabilities", values.capabilities !== undefined, "the engine offers every built-in of OPA and checks no capabilities file; run without it"],
    ["--schema", values.schema !== undefined, "the engine does not type-check against JSON schemas; run without it"],
    ["--watch", values.watch === true, "with paths, re-run policyc test after a change (--watch watches a policyc project)"],
  ] as const).filter(([, given]) => given);
  if (unsupported.length > 0) {
    printDiagnostics(io, unsupported.map(([flag, , why]) => diag(PC43.unsupportedFlag, [flag, why])), io.cwd);
    return 1;
  }
  const bench = values.bench === true;
  if (format === "gobench" && !bench) return usageError(io, "test", "cannot use output format gobench without running benchmarks (--bench)");
  const run = values.run !== undefined ? new RegExp(values.run) : undefined;
  const parsedTimeoutMs = parseDuration(values.timeout ?? "5s", { allowZero: true })!;
  // 0 means unset, as in OPA: 5s, or 30s when benchmarking.
  const timeoutNs = parsedTimeoutMs === 0 || values.timeout === undefined ? (bench ? 30e9 : 5e9) : parsedTimeoutMs * 1e6;
  const threshold = values.threshold !== undefined ? Number(values.threshold) : 0;
  const coverage = values.coverage === true || threshold > 0;
  if (coverage && bench) return usageError(io, "test", "coverage reporting is not supported when benchmarking tests");
  // --explain turns on verbose output, as in OPA. Of the trace it selects, policyc records the
  // notes of trace() calls (shown under failed tests with -v, --explain notes, full and debug, as
  // OPA's filters keep them); evaluation steps (Enter/Eval/Fail) and variable values are not.
  const verbose = values.verbose === true || values.explain !== undefined;
  const notes = verbose && values.explain !== "fails" && !coverage;
  const traceFlags = [values.explain !== undefined && values.explain !== "notes" ? `--explain ${values.explain}` : ""].filter((f) => f !== "");
  if (traceFlags.length > 0) printDiagnostics(io, [diag(PC43.noTrace, [traceFlags.join(", ")])], io.cwd);
  // --parallel and --target change how OPA runs the tests, not their outcomes: policyc runs them
  // one after the other on its Wasm engine and reports them in file order, as OPA does.
  const count = values.count !== undefined ? Number(values.count) : 1;
  const maxErrors = values["max-errors"] !== undefined ? Number(values["max-errors"]) : 10;

  const loaded = loadPaths(paths, { cwd: io.cwd, bundle: values.bundle === true, ...(values.ignore ? { ignore: values.ignore } : {}) });
  if (loaded.diagnostics.length > 0) {
    printDiagnostics(io, loaded.diagnostics, io.cwd);
    return 1;
  }
  for (let i = 0; i < count; i++) {
    const status = await runOnce();
    if (status !== 0) return status;
  }
  return 0;

  async function runOnce(): Promise<number> {
    let outcome;
    try {
      outcome = runOpaTests({
        modules: loaded.modules,
        data: loaded.data,
        regoVersion: values["v0-compatible"] || values.v0 ? "v0" : "v1",
        ...(run ? { run } : {}),
        coverage,
        timeoutMs: timeoutNs / 1e6,
        ...(bench ? { bench: { benchtimeMs: 1000 } } : {}),
        traceNotes: notes,
        varValues: values["var-values"] === true && !coverage,
      });
    } catch (e) {
      if (e instanceof DiagnosticError) {
        printDiagnostics(io, limitErrors(e.diagnostics, maxErrors), io.cwd);
        return 1;
      }
      throw e;
    }
    const results = outcome.results;
    // Each test that was stopped at --timeout is an ERROR (eval_cancel_error, as opa test reports
    // it) and a diagnostic at the test's rule.
    const timeoutText = values.timeout && parsedTimeoutMs !== 0 ? values.timeout : bench ? "30s" : "5s";
    const timedOut = results.filter((r) => r.error?.code === "eval_cancel_error");
    const timeoutDiagnostics = timedOut.map((r) => diag(PC43.testTimedOut, [`${r.package}.${r.name}`, timeoutText], { file: r.location.file, line: r.location.row, col: r.location.col }));
    const counts = countResults(results);
    const reportTimeouts = () => {
      if (timeoutDiagnostics.length > 0) printDiagnostics(io, timeoutDiagnostics, io.cwd);
    };
    const failed = counts.fail + counts.error;
    const summary = `${counts.pass} passed, ${failed} failed\n`;
    let status = failed > 0 || (counts.skip > 0 && values["exit-zero-on-skipped"] !== true) ? 1 : 0;
    const pretty = { verbose, failureLine: values["var-values"] === true, notes, ...(bench ? { bench: { gobench: format === "gobench" } } : {}) };

    if (coverage && outcome.coverage) {
      // As opa test --coverage: the first test error alone (on stderr), else the failures (and the
      // first failure's text on stderr) instead of the coverage report.
      const firstError = results.find((r) => r.error);
      if (firstError) {
        io.stderr(errorText(firstError.error!) + "\n");
        reportTimeouts();
      } else if (failed > 0) {
        const failures = results.filter((r) => r.fail);
        io.stdout(prettyReport(failures, pretty));
        io.stderr(resultString(failures[0]!) + "\n");
      }
      else if (outcome.coverage.coverage < threshold) {
        const lines = verbose ? ["Lines not covered:", ...uncoveredLines(outcome.coverage).map((l) => `\t${l}`)] : [];
        io.stderr([diag(PC43.thresholdNotMet, [outcome.coverage.coverage.toFixed(2), threshold.toFixed(2)]).message, ...lines].join("\n") + "\n");
        status = 1;
      } else io.stdout(goIndentedJson(outcome.coverage) + "\n");
      io.stderr(summary);
      return status;
    }
    if (format === "json") {
      io.stdout(jsonReport(results));
      reportTimeouts();
      io.stderr(summary);
    } else {
      io.stdout(prettyReport(results, pretty));
      reportTimeouts();
      io.stdout(summary);
    }
    if (results.length === 0 && values["fail-on-empty"] === true) {
      printDiagnostics(io, [diag(PC43.noTestsRun, [])], io.cwd);
      return 1;
    }
    return status;
  }
}

/** OPA's --max-errors: the compiler stops after that many errors (0 or less: no limit). */
function limitErrors(diagnostics: Diagnostic[], max: number): Diagnostic[] {
  if (max <= 0 || diagnostics.length <= max) return diagnostics;
  return [...diagnostics.slice(0, max), diag(PC43.tooManyErrors, [String(max), String(diagnostics.length - max)])];
}
