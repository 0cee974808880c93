/**
 * The reporters of `policyc check`, by `-o/--output` name. `openCheckReport` takes the results one
 * at a time as the run makes them: the pretty report prints each object's block at once and keeps
 * nothing; the other formats order or group results across the whole run (gator's by action and
 * message, SARIF's rules, JUnit's counts, PolicyReports by namespace), so they keep the results,
 * trimmed to the fields they print (`reportFields`), and render at the end.
 */
import { schemaValidator } from "../../../emit/schema-validators.js";
import type { ObjectResult } from "../evaluate.js";
import type { ResultFields } from "../pool.js";
import type { CheckRun } from "../run.js";
import { writeGatorJson, writeGatorYaml } from "./gator.js";
import { renderCheckJunit } from "./junit.js";
import type { FailOn } from "./outcome.js";
import { policyReports, renderPolicyReports } from "./policy-report.js";
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
 * Writes the report of a finished run. gator's json and yaml and SARIF go out one result at a time
 * (a cluster snapshot's can outgrow the longest string an engine holds); the others are a document each.
 */
export function writeCheckReport(run: CheckRun, format: ReportFormat, o: ReportOptions, write: (s: string) => void): void {
  switch (format) {
    case "pretty":
      return write(renderPretty(run, o));
    case "json":
      return writeGatorJson(run, write);
    case "yaml":
      return writeGatorYaml(run, write);
    case "junit":
      return write(renderCheckJunit(run, o.failOn));
    case "sarif":
      return writeSarif(run, write);
    case "policy-report": {
      const reports = policyReports(run);
      // An emitted manifest is validated before it is written: a failure here is policyc's bug.
      const validate = schemaValidator("reports/policyreport-v1alpha2.json");
      for (const r of reports) if (!validate(r)) throw new Error(`PolicyReport does not match its schema: ${JSON.stringify(validate.errors?.[0])}`);
      return write(renderPolicyReports(reports));
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
}

export function openCheckReport(format: ReportFormat, o: ReportOptions, write: (s: string) => void): CheckReportWriter {
  if (format === "pretty") return new PrettyWriter(o, write);
  const results: ObjectResult[] = [];
  return {
    result: (r) => void results.push(r),
    end: (run) => writeCheckReport({ ...run, results }, format, o, write),
  };
}
