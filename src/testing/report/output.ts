/**
 * Where a run's report goes. By default the chosen reporter writes to stdout; json and junit must
 * stay parseable, so their summary line goes to stderr. With `--output FILE` the chosen report goes
 * to FILE and stdout gets the pretty report, ending with the summary line.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { CommandIO } from "../../cli/command.js";
import { countResults, summaryLine, type RunResult } from "../run/results.js";
import { render, type ReporterName } from "./index.js";
import { describeFsError, diag, type Diagnostic } from "../../diagnostics/index.js";
import { PC109 } from "../../cli/diagnostics.js";

export interface OutputOptions {
  reporter: ReporterName;
  verbose: boolean;
  color: boolean;
  /** Report file, relative to the cwd. */
  output?: string;
  /** Text shown just before the summary line (e.g. the coverage section), wherever it goes. */
  epilogue?: string;
}

/** Puts `epilogue` before the text's last line (the summary). */
function beforeSummary(text: string, epilogue: string | undefined): string {
  if (!epilogue) return text;
  const cut = text.lastIndexOf("\n", text.length - 2);
  return text.slice(0, cut + 1) + epilogue + text.slice(cut + 1);
}

/** Writes the report; returns PC1096 when the report file cannot be written (a user's path). */
export function emitReport(run: RunResult, io: CommandIO, o: OutputOptions): Diagnostic | undefined {
  const pretty = { verbose: o.verbose, color: o.color };
  if (o.output) {
    const file = path.resolve(io.cwd, o.output);
    try {
      writeFileSync(file, render(o.reporter, run, { ...pretty, color: false }).text);
    } catch (e) {
      if (typeof (e as NodeJS.ErrnoException).code !== "string") throw e;
      return diag(PC109.unwritableOutput, [o.output, describeFsError(e)]);
    }
    io.stdout(beforeSummary(render("pretty", run, pretty).text, o.epilogue));
    return undefined;
  }
  const rendered = render(o.reporter, run, pretty);
  if (rendered.summaryOnStderr) {
    io.stdout(rendered.text);
    io.stderr((o.epilogue ?? "") + summaryLine(countResults(run)) + "\n");
  } else io.stdout(beforeSummary(rendered.text, o.epilogue));
  return undefined;
}
