/** The reporters of `policyc check`, by `-o/--output` name. */
import { schemaValidator } from "../../../emit/schema-validators.js";
import type { CheckRun } from "../run.js";
import { renderGatorJson, renderGatorYaml } from "./gator.js";
import { renderCheckJunit } from "./junit.js";
import type { FailOn } from "./outcome.js";
import { policyReports, renderPolicyReports } from "./policy-report.js";
import { renderPretty } from "./pretty.js";
import { renderSarif } from "./sarif.js";

export const REPORT_FORMATS = ["pretty", "json", "yaml", "junit", "sarif", "policy-report"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  color: boolean;
  verbose: boolean;
  failOn: FailOn;
}

export function renderCheckReport(run: CheckRun, format: ReportFormat, o: ReportOptions): string {
  switch (format) {
    case "pretty":
      return renderPretty(run, o);
    case "json":
      return renderGatorJson(run);
    case "yaml":
      return renderGatorYaml(run);
    case "junit":
      return renderCheckJunit(run, o.failOn);
    case "sarif":
      return renderSarif(run);
    case "policy-report": {
      const reports = policyReports(run);
      // An emitted manifest is validated before it is written: a failure here is policyc's bug.
      const validate = schemaValidator("reports/policyreport-v1alpha2.json");
      for (const r of reports) if (!validate(r)) throw new Error(`PolicyReport does not match its schema: ${JSON.stringify(validate.errors?.[0])}`);
      return renderPolicyReports(reports);
    }
  }
}
