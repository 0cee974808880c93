/**
 * `opa test`'s reports: the pretty one (a line per failing test, or per test with `-v`, then the
 * PASS/FAIL/SKIPPED/ERROR summary), the `--format json` array of results, and the coverage report
 * (`--coverage`). Durations are printed as Go prints a time.Duration.
 */
import { Buffer } from "node:buffer";
import { goIndentedJson } from "../../engine/eval/command.js";
import type { OpaTestResult, SubResult } from "./run.js";

export interface Counts {
  pass: number;
  fail: number;
  skip: number;
  error: number;
}

export function passed(r: OpaTestResult): boolean {
  return !r.fail && !r.skip && !r.error;
}

function outcome(r: OpaTestResult): string {
  if (passed(r)) return "PASS";
  if (r.fail) return "FAIL";
  if (r.skip) return "SKIPPED";
  return "ERROR";
}

/** Counts as OPA does: a parameterised test counts each leaf sub-result. */
export function countResults(results: OpaTestResult[]): Counts {
  const c: Counts = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const r of results) {
    if (r.skip) c.skip++;
    else if (r.error) c.error++;
    else if (r.sub_results && Object.keys(r.sub_results).length > 0) {
      for (const [, sr] of iterSubResults(r.sub_results)) {
        if (sr.sub_results && Object.keys(sr.sub_results).length > 0) continue;
        if (sr.fail) c.fail++;
        else c.pass++;
      }
    } else if (r.fail) c.fail++;
    else c.pass++;
  }
  return c;
}

function* iterSubResults(srs: Record<string, SubResult>, prefix: string[] = []): Generator<[string[], SubResult]> {
  for (const k of Object.keys(srs).sort()) {
    const sr = srs[k]!;
    yield [[...prefix, k], sr];
    if (sr.sub_results) yield* iterSubResults(sr.sub_results, [...prefix, k]);
  }
}

function resultLine(r: OpaTestResult): string {
  if (r.skip) return `${r.package}.${r.name}: ${outcome(r)}`;
  return `${r.package}.${r.name}: ${outcome(r)} (${goDuration(r.duration)})`;
}

/** The pretty report, as `opa test` prints it (`verbose`: every test, not only those that did not pass). */
export function prettyReport(results: OpaTestResult[], verbose: boolean): string {
  const out: string[] = [];
  let lastFile = "";
  let dirty = false;
  for (const r of results) {
    if (verbose || !passed(r)) {
      if (lastFile !== "" && lastFile !== r.location.file) out.push("");
      out.push(`${r.location.file}:${r.location.row}:`);
      lastFile = r.location.file;
      dirty = true;
      out.push(resultLine(r));
      for (const [name, sr] of iterSubResults(r.sub_results ?? {})) {
        if (sr.fail || verbose) out.push(`${"  ".repeat(name.length)}${sr.name}: ${sr.fail ? "FAIL" : "PASS"}`);
      }
      if (r.output && r.output.length > 0) out.push("", ...r.output.map((l) => `  ${l}`), "");
    }
    if (r.error) out.push(`  ${r.error.code}: ${r.error.message}`);
  }
  const failures = results.filter((r) => r.fail);
  if (verbose && failures.length > 0) {
    out.push(HL, "FAILURES", HL);
    for (const f of failures) out.push(resultLine(f), "");
  }
  if (dirty) out.push(HL);
  const c = countResults(results);
  const total = c.pass + c.fail + c.skip + c.error;
  if (c.pass) out.push(`PASS: ${c.pass}/${total}`);
  if (c.fail) out.push(`FAIL: ${c.fail}/${total}`);
  if (c.skip) out.push(`SKIPPED: ${c.skip}/${total}`);
  if (c.error) out.push(`ERROR: ${c.error}/${total}`);
  return out.length > 0 ? out.join("\n") + "\n" : "";
}

const HL = "-".repeat(80);

/** `--format json`: OPA's array of results (fields in its order; print output as base64 bytes). */
export function jsonReport(results: OpaTestResult[]): string {
  const shaped = results.map((r) => {
    const o: Record<string, unknown> = {};
    if (r.error) o.error = r.error;
    o.location = r.location;
    if (r.sub_results) o.sub_results = r.sub_results;
    o.package = r.package;
    o.name = r.name;
    if (r.output && r.output.length > 0) o.output = Buffer.from(r.output.map((l) => l + "\n").join("")).toString("base64");
    o.duration = r.duration;
    if (r.fail) o.fail = true;
    if (r.skip) o.skip = true;
    return o;
  });
  return goIndentedJson(shaped) + "\n";
}

/** Go's time.Duration.String() of a nanosecond count. */
export function goDuration(ns: number): string {
  if (ns === 0) return "0s";
  const neg = ns < 0;
  const n = Math.abs(Math.round(ns));
  let s: string;
  if (n < 1e3) s = `${n}ns`;
  else if (n < 1e6) s = `${trim((n / 1e3).toFixed(3))}µs`;
  else if (n < 1e9) s = `${trim((n / 1e6).toFixed(6))}ms`;
  else {
    const h = Math.floor(n / 3.6e12);
    const m = Math.floor((n % 3.6e12) / 6e10);
    const sec = trim(((n % 6e10) / 1e9).toFixed(9));
    s = (h ? `${h}h` : "") + (h || m ? `${m}m` : "") + `${sec}s`;
  }
  return neg ? `-${s}` : s;
}

function trim(x: string): string {
  return x.includes(".") ? x.replace(/\.?0+$/, "") : x;
}
