/**
 * `policyc verify PATH...`: runs gator Suite files (`test.gatekeeper.sh/v1alpha1`) with
 * `gator verify` semantics, through policyc's own Rego engine.
 */
import { isReporterName, reporterNames } from "../../testing/report/index.js";
import { emitReport } from "../../testing/report/output.js";
import { countResults } from "../../testing/run/results.js";
import { parseArgs } from "../../testing/args.js";
import { verify } from "../../testing/verify.js";
import { progressBar } from "../../testing/report/progress.js";

import type { CommandIO } from "../command.js";

const usage = `policyc verify PATH... [--run REGEX] [--reporter pretty|json|junit|tap] [--output FILE] [--verbose]

Runs gator Suite files (apiVersion test.gatekeeper.sh/v1alpha1, kind Suite). A PATH is a suite
file or a directory searched recursively (a trailing /... is accepted, as in gator).

  -r, --run REGEX        only tests or cases whose name matches; TEST//CASE matches both
      --reporter NAME    pretty (default), json, junit or tap
  -o, --output FILE      write the report to FILE; stdout then gets the pretty report
  -v, --verbose          list passing and skipped cases too
      --color/--no-color force or disable colors (default: on when stdout is a TTY)

Exit status 1 when any case fails or a suite cannot be read. The last line is "N passed, N failed"
(on stderr for json and junit without --output, whose output must stay parseable).`;

export const command = {
  name: "verify",
  summary: "run gator Suite files (gator verify) with policyc's Rego engine",
  usage,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseArgs(argv, [
      { name: "run", alias: "r", takesValue: true },
      { name: "reporter", takesValue: true },
      { name: "output", alias: "o", takesValue: true },
      { name: "verbose", alias: "v", takesValue: false },
      { name: "color", takesValue: false },
      { name: "no-color", takesValue: false },
      { name: "help", alias: "h", takesValue: false },
    ]);
    if ("error" in args) {
      io.stderr(`policyc verify: ${args.error}\n\n${usage}\n`);
      return 1;
    }
    if (args.flags.has("help")) {
      io.stdout(usage + "\n");
      return 0;
    }
    const reporter = args.values.get("reporter") ?? "pretty";
    if (!isReporterName(reporter)) {
      io.stderr(`policyc verify: unknown reporter '${reporter}' (one of ${reporterNames.join(", ")})\n`);
      return 1;
    }
    if (args.positionals.length === 0) {
      io.stderr(`policyc verify: give at least one suite file or directory\n\n${usage}\n`);
      return 1;
    }
    const color = args.flags.has("color") ? true : args.flags.has("no-color") ? false : process.stdout.isTTY === true && !process.env.NO_COLOR;
    const run = args.values.get("run");
    const bar = (io.isTTY ?? process.stderr.isTTY) === true && reporter === "pretty" ? progressBar((s) => io.stderr(s)) : undefined;
    const result = await verify(args.positionals, {
      cwd: io.cwd,
      ...(run !== undefined ? { run } : {}),
      ...(bar ? { onProgress: bar.update } : {}),
    });
    bar?.done();
    const output = args.values.get("output");
    const problem = emitReport(result, io, { reporter, verbose: args.flags.has("verbose"), color, ...(output !== undefined ? { output } : {}) });
    if (problem) io.stderr(`policyc verify: ${problem}\n`);
    return countResults(result).failed > 0 || problem ? 1 : 0;
  },
};
