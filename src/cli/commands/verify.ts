/**
 * `policyc verify PATH...`: runs gator Suite files (`test.gatekeeper.sh/v1alpha1`) with
 * `gator verify` semantics, through policyc's own Rego engine and its CEL engine for
 * K8sNativeValidation code (on by default, as gator's `--enable-k8s-native-validation`).
 */
import type { ReporterName } from "../../testing/report/index.js";
import { emitReport } from "../../testing/report/output.js";
import { countResults } from "../../testing/run/results.js";
import { verify } from "../../testing/verify.js";
import { progressBar } from "../../testing/report/progress.js";

import { gatorBooleanFlags, parseCommandArgs, parseDuration, reportOptions, usageError, wantsColor } from "../args.js";
import type { CommandIO } from "../command.js";
import { printDiagnostics } from "../report.js";

const usage = `policyc verify PATH... [--run REGEX] [--reporter pretty|json|junit|tap|gator] [--output FILE] [--verbose]
                      [--enable-k8s-native-validation[=false]]

Runs gator Suite files (apiVersion test.gatekeeper.sh/v1alpha1, kind Suite). As in gator, a PATH
is a suite file, a directory (its own .yaml/.yml files) or DIR/... (the directory and every
directory below it).

  -r, --run REGEX        only tests or cases whose name matches; TEST//CASE matches both
      --reporter NAME    pretty (default), json, junit, tap or gator (gator verify's own report)
  -o, --output FILE      write the report to FILE; stdout then gets the pretty report
  -v, --verbose          list passing and skipped cases too
      --enable-k8s-native-validation[=false]
                         gator's flag, on by default as in gator: a template with
                         K8sNativeValidation code runs on policyc's CEL engine (preferred over its
                         Rego, as Gatekeeper does); =false (or --disable-k8s-native-validation)
                         runs the Rego of templates that have both
      --timeout DURATION stop each template evaluation after DURATION (e.g. 500ms, 5s, 1m;
                         default 3s, Gatekeeper's webhook timeout; 0: none): a case whose
                         evaluation is stopped fails (PC4052), the other cases run
      --color/--no-color force or disable colors (default: on when stdout is a TTY)

A case may mock Gatekeeper external data providers under externalData (policyc's extension, see
docs/cli.md); a template calling a provider its case does not mock fails the case (PC4036).

Exit status 1 when any case fails or a suite cannot be read. The last line is "N passed, N failed"
(on stderr for json and junit without --output, whose output must stay parseable).`;

export const command = {
  name: "verify",
  summary: "run gator Suite files (gator verify) with policyc's Rego engine",
  usage,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const flags = gatorBooleanFlags(argv);
    const args = parseCommandArgs(
      { name: "verify", usage },
      flags,
      io,
      {
        ...reportOptions,
        run: { type: "string", short: "r", kind: "filter" },
        "enable-k8s-native-validation": { type: "boolean" },
        "disable-k8s-native-validation": { type: "boolean" },
        timeout: { type: "string", kind: "duration", min: 0 },
      },
      { positionals: true },
    );
    if (typeof args === "number") return args;
    const { values } = args;
    const reporter = (values.reporter ?? "pretty") as ReporterName;
    if (args.positionals.length === 0) return usageError(io, "verify", "give at least one suite file or directory");
    // 0 means none, as OPA's flag.
    const timeoutMs = values.timeout !== undefined ? parseDuration(values.timeout, { allowZero: true }) : undefined;
    const color = wantsColor(values);
    const run = values.run;
    const bar = (io.isTTY ?? process.stderr.isTTY) === true && reporter === "pretty" ? progressBar((s) => io.stderr(s)) : undefined;
    const result = await verify(args.positionals, {
      cwd: io.cwd,
      gatorPaths: true,
      ...(run !== undefined ? { run } : {}),
      // gator's default is true; of the two spellings, the last one given wins.
      k8sNativeValidation: flags.lastIndexOf("--disable-k8s-native-validation") <= flags.lastIndexOf("--enable-k8s-native-validation"),
      // 0 means none, as OPA's flag.
      ...(timeoutMs !== undefined ? { timeoutMs: timeoutMs === 0 ? Infinity : timeoutMs } : {}),
      ...(bar ? { onProgress: bar.update } : {}),
    });
    bar?.done();
    const output = values.output;
    const problem = emitReport(result, io, { reporter, verbose: values.verbose === true, color, ...(output !== undefined ? { output } : {}) });
    if (problem) printDiagnostics(io, [problem], io.cwd);
    return countResults(result).failed > 0 || problem ? 1 : 0;
  },
};
