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
import { countResults, jsonReport, prettyReport } from "./report.js";
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
  format: { type: "string", choices: ["pretty", "json"] },
  coverage: { type: "boolean", short: "c" },
  threshold: { type: "string", kind: "number", min: 0, max: 100 },
  "exit-zero-on-skipped": { type: "boolean", short: "z" },
  bundle: { type: "boolean", short: "b" },
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
  -f, --format pretty|json    report format (json: opa test's array of results)
  -v, --verbose               a line per test (PASS/FAIL/ERROR/SKIPPED, duration, location)
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
  if (format !== "pretty" && format !== "json") {
    return usageError(io, "test", checkValue(values.format !== undefined ? "--format" : "-f", format, opaTestOptions.format) as Diagnostic);
  }
  const run = values.run !== undefined ? new RegExp(values.run) : undefined;
  const parsedTimeoutMs = parseDuration(values.timeout ?? "5s", { allowZero: true })!;
  const timeoutNs = parsedTimeoutMs === 0 ? 5e9 : parsedTimeoutMs * 1e6; // 0 means unset, as in OPA
  const threshold = values.threshold !== undefined ? Number(values.threshold) : 0;
  const coverage = values.coverage === true || threshold > 0;

  const loaded = loadPaths(paths, { cwd: io.cwd, bundle: values.bundle === true, ...(values.ignore ? { ignore: values.ignore } : {}) });
  if (loaded.diagnostics.length > 0) {
    printDiagnostics(io, loaded.diagnostics, io.cwd);
    return 1;
  }
  let outcome;
  try {
    outcome = runOpaTests({
      modules: loaded.modules,
      data: loaded.data,
      regoVersion: values["v0-compatible"] || values.v0 ? "v0" : "v1",
      ...(run ? { run } : {}),
      coverage,
      timeoutMs: timeoutNs / 1e6,
    });
  } catch (e) {
    if (e instanceof DiagnosticError) {
      printDiagnostics(io, e.diagnostics, io.cwd);
      return 1;
    }
    throw e;
  }
  const results = outcome.results;
  // Each test that was stopped at --timeout is an ERROR (eval_cancel_error, as opa test reports
  // it) and a diagnostic at the test's rule.
  const timeoutText = values.timeout && parsedTimeoutMs !== 0 ? values.timeout : "5s";
  const timedOut = results.filter((r) => r.error?.code === "eval_cancel_error");
  const timeoutDiagnostics = timedOut.map((r) => diag(PC43.testTimedOut, [`${r.package}.${r.name}`, timeoutText], { file: r.location.file, line: r.location.row, col: r.location.col }));
  const counts = countResults(results);
  const reportTimeouts = () => {
    if (timeoutDiagnostics.length > 0) printDiagnostics(io, timeoutDiagnostics, io.cwd);
  };
  const failed = counts.fail + counts.error;
  const summary = `${counts.pass} passed, ${failed} failed\n`;
  let status = failed > 0 || (counts.skip > 0 && values["exit-zero-on-skipped"] !== true) ? 1 : 0;

  if (coverage && outcome.coverage) {
    // As opa test --coverage: failures are reported instead of the coverage report.
    if (failed > 0) {
      io.stdout(prettyReport(results.filter((r) => r.fail || r.error), values.verbose === true));
      reportTimeouts();
    }
    else if (outcome.coverage.coverage < threshold) {
      const lines = values.verbose ? ["Lines not covered:", ...uncoveredLines(outcome.coverage).map((l) => `\t${l}`)] : [];
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
    io.stdout(prettyReport(results, values.verbose === true));
    reportTimeouts();
    io.stdout(summary);
  }
  return status;
}
