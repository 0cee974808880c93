/**
 * The reporters of `policyc check`, by `-o/--output` name. `openCheckReport` takes the results one
 * at a time as the run makes them: the pretty report prints each object's block at once and keeps
 * nothing; JUnit and PolicyReports render each result at once and set the text aside until their
 * counts are known (`spool.ts`); gator's json and yaml (sorted by action and message) and SARIF
 * (its rules first) keep the results, trimmed to the fields they print (`reportFields`), and
 * render at the end.
 */
import type { ObjectResult } from "../evaluate.js";
import type { ResultFields } from "../pool.js";
import type { CheckRun } from "../run.js";
import { writeGatorJson, writeGatorYaml } from "./gator.js";
import { JunitWriter } from "./junit.js";
import type { FailOn } from "./outcome.js";
import { PolicyReportWriter } from "./policy-report.js";
import { PrettyWriter, renderPretty } from "./pretty.js";
import { writeSarif } from "./sarif.js";

export const REPORT_FORMATS = ["pretty", "json", "yaml", "junit", "sarif", "policy-report"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  color: boolean;
  verbose: boolean;
  failOn: FailOn;
}

/** The whole report of a finished run, as one string (`writeCheckReport` collected). */
export function renderCheckReport(run: CheckRun, format: ReportFormat, o: ReportOptions): string {
  let out = "";
  writeCheckReport(run, format, o, (s) => void (out += s));
  return out;
}

/**
 * Writes the report of a finished run, in pieces (a cluster snapshot's can outgrow the longest
 * string an engine holds).
 */
export function writeCheckReport(run: CheckRun, format: ReportFormat, o: ReportOptions, write: (s: string) => void): void {
  switch (format) {
    case "pretty":
      return write(renderPretty(run, o));
    case "json":
      return writeGatorJson(run, write);
    case "yaml":
      return writeGatorYaml(run, write);
    case "sarif":
      return writeSarif(run, write);
    case "junit":
    case "policy-report": {
      const w = openCheckReport(format, o, write);
      for (const r of run.results) w.result(r);
      return w.end(run);
    }
  }
}

/** The result fields a format prints (the others are dropped as results are made). */
export function reportFields(format: ReportFormat): ResultFields {
  return { details: format === "json" || format === "yaml", matchedConstraints: format === "policy-report" };
}

/** A report being written: results in input order, then the run. */
export interface CheckReportWriter {
  result(r: ObjectResult): void;
  /** Writes what is left (the run's `results` are those given to `result`). */
  end(run: CheckRun): void;
  /** Lets go of what the writer holds without writing it (the run failed); `end` does it too. */
  abort(): void;
}

/** `spoolBudget`: text JUnit and PolicyReports hold in memory before they use a spool file (tests). */
export function openCheckReport(format: ReportFormat, o: ReportOptions, write: (s: string) => void, spoolBudget?: number): CheckReportWriter {
  switch (format) {
    case "pretty":
      return new PrettyWriter(o, write);
    case "junit":
      return new JunitWriter(o.failOn, write, spoolBudget);
    case "policy-report":
      return new PolicyReportWriter(write, spoolBudget);
    default: {
      let results: ObjectResult[] = [];
      return {
        result: (r) => void results.push(r),
        end: (run) => writeCheckReport({ ...run, results }, format, o, write),
        abort: () => void (results = []),
      };
    }
  }
}
