/**
 * `policyc test`: runs the golden tests `policyc build` emitted (gator suites under
 * `<outDir>/tests/`) against the emitted Rego, with assertions and `golden.json` snapshots.
 */
import { projectTest } from "../../testing/project-test.js";
import { progressBar } from "../../testing/report/progress.js";
import type { ReporterName } from "../../testing/report/index.js";
import { emitReport } from "../../testing/report/output.js";
import { countResults } from "../../testing/run/results.js";
import { differentialBackend } from "../../testing/differential.js";
import { opaTestOptions, opaTestUsage, runOpaTestCli } from "../../testing/opa-test/cli.js";
import { coverageBackend, goldenCoverageVerdict } from "../../testing/golden/coverage.js";

import { build } from "../../build/stages.js";
import { parseCommandArgs, parseDuration, reportOptions, usageError, wantsColor } from "../args.js";
import type { CommandIO } from "../command.js";
import { exitCodeFor, printDiagnostics } from "../report.js";
import { runWatching } from "../watch.js";

const usage = `policyc test [--filter REGEX] [--update] [--reporter pretty|json|junit|tap|gator] [--output FILE] [--out DIR] [--watch]

Runs the suites policyc build emitted under <outDir>/tests/ against the emitted ConstraintTemplates
(compiled to WebAssembly by policyc's engine), checks every assertion, and compares each case's
violations with golden.json beside its suite. The project is compiled in memory first: a stale
<outDir> fails the run (PC4040; run policyc build), a failing case is reported at its line in the
.ts file (PC4041), and checks without test cases are listed (PC4042).

  -f, --filter REGEX     only tests or cases whose name matches; TEST//CASE matches both
  -u, --update           rewrite golden.json files with the current results
      --reporter NAME    pretty (default), json, junit, tap or gator (gator verify's own report)
  -o, --output FILE      write the report to FILE; stdout then gets the pretty report
      --out DIR          the output directory (default: outDir of policyc.config.ts, or generated)
      --config FILE      the config file (default: policyc.config.ts found from the cwd upwards)
      --differential     run every TypeScript-bodied check natively and as compiled Rego on its
                         cases and 500 generated objects, failing on any difference (smallest
                         counterexample shown); with a second engine (opa on PATH) also compare
                         every case on it
  -w, --watch            rebuild the output and run the tests again after every change to the
                         project, until interrupted (Ctrl-C)
  -c, --coverage         also report which lines of each emitted template no case executed (at
                         the TypeScript line for checks written in TypeScript)
      --threshold N      with coverage: exit 1 when under N percent of the lines ran
      --timeout DURATION stop each template evaluation after DURATION (e.g. 500ms, 5s, 1m;
                         default 3s, Gatekeeper's webhook timeout; 0: none) and each *_test.rego
                         test after it (default 5s, as opa test); a stopped case fails (PC4052)
  -v, --verbose          list passing and skipped cases too
      --color/--no-color force or disable colors (default: on when stdout is a TTY)

Exit status 1 when any case fails. The last line is "N passed, N failed" (on stderr for json and
junit without --output, whose output must stay parseable).

${opaTestUsage}`;

export const command = {
  name: "test",
  summary: "run the emitted golden tests (assertions and golden.json) with policyc's Rego engine",
  usage,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(
      { name: "test", usage },
      argv,
      io,
      {
        ...reportOptions,
        filter: { type: "string", short: "f", kind: "filter" },
        update: { type: "boolean", short: "u" },
        out: { type: "string", placeholder: "DIR" },
        config: { type: "string", placeholder: "FILE" },
        differential: { type: "boolean" },
        watch: { type: "boolean", short: "w" },
        ...opaTestOptions,
      },
      { positionals: true },
    );
    if (typeof args === "number") return args;
    const { values } = args;
    // With paths: OPA's unit tests under them (src/testing/opa-test).
    if (args.positionals.length > 0) return runOpaTestCli(args.positionals, values, io);
    const reporter = (values.reporter ?? "pretty") as ReporterName;
    const once = () => runOnce(values, io, reporter);
    if (values.watch !== true) return once();
    if (reporter !== "pretty" && values.output === undefined) {
      // The watch loop's own lines would break a machine-readable report on stdout.
      return usageError(io, "test", `--watch with --reporter ${reporter} needs --output FILE (rewritten after each run)`);
    }
    // --watch: rebuild the output, then run the tests, after every change.
    return runWatching(io, async () => {
      const built = await build({
        cwd: io.cwd,
        ...(values.config !== undefined ? { configPath: values.config } : {}),
        ...(values.out !== undefined ? { outDir: values.out } : {}),
      });
      printDiagnostics(io, built.diagnostics, built.root);
      const where = { ...(built.root ? { root: built.root } : {}), ...(built.outDir ? { outDir: built.outDir } : {}) };
      if (exitCodeFor(built.diagnostics) !== 0 || !built.files) return { ...where, summary: "build failed; tests not run" };
      return { ...where, summary: (await once()) === 0 ? "tests passed" : "tests failed" };
    });
  },
};

type TestValues = {
  filter?: string;
  update?: boolean;
  out?: string;
  config?: string;
  differential?: boolean;
  output?: string;
  verbose?: boolean;
  color?: boolean;
  "no-color"?: boolean;
  coverage?: boolean;
  threshold?: string;
  timeout?: string;
};

/** One run of the emitted tests (and with --differential, of the native comparison). */
async function runOnce(values: TestValues, io: CommandIO, reporter: ReporterName): Promise<number> {
  let compareBackend;
  let native: Awaited<ReturnType<typeof import("../../differential/project.js").differentialProject>> | undefined;
  if (values.differential === true) {
    const second = await differentialBackend();
    if (typeof second !== "string") compareBackend = second;
    // Issue 5: TypeScript bodies are compared with their compiled Rego (src/differential).
    let differentialProject;
    try {
      ({ differentialProject } = await import("../../differential/project.js"));
    } catch (e) {
      return usageError(io, "test", `--differential needs the fast-check package (npm install --save-dev fast-check): ${(e as Error).message}`);
    }
    const filterText = values.filter?.split("//")[0];
    const configPath = values.config;
    native = await differentialProject({
      cwd: io.cwd,
      ...(configPath !== undefined ? { configPath } : {}),
      ...(filterText ? { filter: new RegExp(filterText) } : {}),
    });
    if (typeof second === "string" && native.outcomes.length === 0 && native.diagnostics.length === 0) {
      return usageError(io, "test", `--differential: no TypeScript-bodied checks, and ${second}`);
    }
  }
  const tty = (io.isTTY ?? process.stderr.isTTY) === true && reporter === "pretty";
  const color = wantsColor(values);
  const bar = tty ? progressBar((s) => io.stderr(s)) : undefined;
  const filter = values.filter;
  const out = values.out;
  const config = values.config;
  const coverage = values.coverage === true || values.threshold !== undefined ? coverageBackend() : undefined;
  // Checked by the option parser (a duration; 0 means none, as OPA's flag).
  const timeoutMs = values.timeout !== undefined ? parseDuration(values.timeout, { allowZero: true }) : undefined;
  const result = await projectTest({
    ...(coverage ? { backend: coverage.backend } : {}),
    // 0 means none, as OPA's flag.
    ...(timeoutMs !== undefined ? { timeoutMs: timeoutMs === 0 ? Infinity : timeoutMs } : {}),
    cwd: io.cwd,
    update: values.update === true,
    ...(filter !== undefined ? { filter } : {}),
    ...(out !== undefined ? { outDir: out } : {}),
    ...(config !== undefined ? { configPath: config } : {}),
    ...(compareBackend ? { compareBackend } : {}),
    ...(bar ? { onProgress: bar.update } : {}),
  });
  bar?.done();
  if (native) {
    result.suites.push(...native.suites);
    result.diagnostics.push(...native.diagnostics);
  }
  for (const u of result.updated) io.stderr(`updated ${u}\n`);
  const output = values.output;
  const verdict = coverage ? goldenCoverageVerdict(coverage.report(), values.threshold) : undefined;
  const problem = emitReport(result, io, {
    reporter,
    verbose: values.verbose === true,
    color,
    ...(output !== undefined ? { output } : {}),
    ...(verdict ? { epilogue: verdict.text } : {}),
  });
  if (problem) printDiagnostics(io, [problem], io.cwd);
  const covered = verdict?.status ?? 0;
  return countResults(result).failed > 0 || problem || covered !== 0 ? 1 : 0;
}

