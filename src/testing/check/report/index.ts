/**
 * The reporters of `policyc check`, by `-o/--output` name. `openCheckReport` takes the results one
 * at a time as the run makes them, and none keeps them: the pretty report prints each object's
 * block at once; the others render each result at once and set the text aside (`spool.ts`: in
 * memory up to a budget, then in a spool file) until what stands before it is known: JUnit's
 * counts, PolicyReports' summaries, gator's sort order (json, yaml), SARIF's rule index.
 */
import type { ObjectResult } from "../evaluate.js";
import type { ResultFields } from "../pool.js";
import type { CheckRun } from "../run.js";
import { GatorWriter, type ConstraintObjects } from "./gator.js";
import { JunitWriter } from "./junit.js";
import type { FailOn } from "./outcome.js";
import { PolicyReportWriter } from "./policy-report.js";
import { PrettyWriter } from "./pretty.js";
import { SarifWriter } from "./sarif.js";

export const REPORT_FORMATS = ["pretty", "json", "yaml", "gator", "junit", "sarif", "policy-report"] as const;
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
  const w = openCheckReport(format, o, write);
  w.begin(run.constraintObjects);
  for (const r of run.results) w.result(r);
  w.end(run);
}

/** The result fields a format prints (the others are dropped as results are made). */
export function reportFields(format: ReportFormat): ResultFields {
  return { details: format === "json" || format === "yaml", matchedConstraints: format === "policy-report" };
}

/** A report being written: the run's policies, its results in input order, then the run. */
export interface CheckReportWriter {
  /** The run's constraint objects by `Kind/name`, before the first result (gator's json and yaml print them). */
  begin(constraints: ConstraintObjects): void;
  result(r: ObjectResult): void;
  /** Writes what is left (the run's `results` are those given to `result`). */
  end(run: CheckRun): void;
  /** Lets go of what the writer holds without writing it (the run failed); `end` does it too. */
  abort(): void;
}

/** `spoolBudget`: bytes a report holds in memory before it uses a spool file (tests). */
export function openCheckReport(format: ReportFormat, o: ReportOptions, write: (s: string) => void, spoolBudget?: number): CheckReportWriter {
  const writer = (() => {
    switch (format) {
      case "pretty":
        return new PrettyWriter(o, write);
      case "junit":
        return new JunitWriter(o.failOn, write, spoolBudget);
      case "policy-report":
        return new PolicyReportWriter(write, spoolBudget);
      case "sarif":
        return new SarifWriter(write, spoolBudget);
      case "json":
      case "yaml":
      case "gator":
        return new GatorWriter(format, write, spoolBudget);
    }
  })();
  return {
    begin: (c) => (writer instanceof GatorWriter ? writer.begin(c) : undefined),
    result: (r) => writer.result(r),
    end: (run) => writer.end(run),
    abort: () => writer.abort(),
  };
}
