/**
 * `-o junit`: one <testsuite> per input file, one <testcase> per object (`Kind namespace/name`).
 * Violations that fail the run (per `--fail-on`) are <failure>s, an object with errors is an
 * <error>, the other violations go to <system-out>, and objects no constraint matches are
 * <skipped/>. No times (the report is deterministic).
 */
import { esc } from "../../report/junit.js";
import type { CheckRun } from "../run.js";
import { failsRun, objectLabel, type FailOn } from "./outcome.js";

export function renderCheckJunit(run: CheckRun, failOn: FailOn): string {
  const byFile = new Map<string, CheckRun["results"]>();
  for (const r of run.results) {
    let results = byFile.get(r.origin.file);
    if (!results) byFile.set(r.origin.file, (results = []));
    results.push(r);
  }
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const [file, results] of byFile) {
    const lines: string[] = [];
    let f = 0;
    let e = 0;
    let s = 0;
    for (const r of results) {
      const open = `    <testcase classname="${esc(file)}" name="${esc(objectLabel(r))}" file="${esc(r.origin.source ?? file)}" line="${r.origin.line}"`;
      const failing = r.violations.filter((v) => failsRun(v, failOn));
      const others = r.violations.filter((v) => !failsRun(v, failOn));
      const errs = r.diagnostics.filter((d) => d.severity === "error");
      const body: string[] = [];
      if (errs.length > 0) {
        e++;
        body.push(`      <error message="${esc(errs[0]!.message)}" type="${errs[0]!.code}">${esc(errs.map((d) => `${d.code}: ${d.message}`).join("\n"))}</error>`);
      } else if (failing.length > 0) {
        f++;
        body.push(
          `      <failure message="${esc(failing[0]!.msg)}" type="${failing[0]!.action}">${esc(failing.map((v) => `${v.action} ${v.constraint.kind}/${v.constraint.name}: ${v.msg}`).join("\n"))}</failure>`,
        );
      } else if (r.status === "not-matched" || r.status === "exempt") {
        s++;
        body.push(`      <skipped message="${r.status === "exempt" ? "namespace exempt from the webhook" : "not matched by any constraint"}"/>`);
      }
      if (others.length > 0) body.push(`      <system-out>${esc(others.map((v) => `${v.action} ${v.constraint.kind}/${v.constraint.name}: ${v.msg}`).join("\n"))}</system-out>`);
      lines.push(body.length === 0 ? `${open}/>` : `${open}>\n${body.join("\n")}\n    </testcase>`);
    }
    tests += results.length;
    failures += f;
    errors += e;
    skipped += s;
    suites.push(`  <testsuite name="${esc(file)}" tests="${results.length}" failures="${f}" errors="${e}" skipped="${s}">`, ...lines, `  </testsuite>`);
  }
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="policyc check" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    ...suites,
    `</testsuites>`,
    "",
  ].join("\n");
}
