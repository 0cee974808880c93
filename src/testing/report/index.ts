/** Reporter selection for `policyc test` and `policyc verify`. */
import type { RunResult } from "../run/results.js";
import { renderGator } from "./gator.js";
import { renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderPretty, type PrettyOptions } from "./pretty.js";
import { renderTap } from "./tap.js";

export const reporterNames = ["pretty", "json", "junit", "tap", "gator"] as const;
export type ReporterName = (typeof reporterNames)[number];

export function isReporterName(s: string): s is ReporterName {
  return (reporterNames as readonly string[]).includes(s);
}

/**
 * Renders a run. Formats a parser reads whole (json, junit), and gator's, which ends with PASS or
 * FAIL, cannot end with the summary line, so for those `summaryOnStderr` is true and the caller
 * prints the summary there.
 */
export function render(name: ReporterName, run: RunResult, opts: PrettyOptions = {}): { text: string; summaryOnStderr: boolean } {
  switch (name) {
    case "pretty":
      return { text: renderPretty(run, opts), summaryOnStderr: false };
    case "tap":
      return { text: renderTap(run), summaryOnStderr: false };
    case "json":
      return { text: renderJson(run), summaryOnStderr: true };
    case "junit":
      return { text: renderJunit(run), summaryOnStderr: true };
    case "gator":
      // gator's report ends with PASS or FAIL; policyc's count line goes to stderr.
      return { text: renderGator(run, opts), summaryOnStderr: true };
  }
}
