/**
 * `opa test`'s reports: the pretty one (a line per failing test, or per test with `-v`, then the
 * PASS/FAIL/SKIPPED/ERROR summary), the `--format json` array of results, and the coverage report
 * (`--coverage`). Durations are printed as Go prints a time.Duration.
 */
import { Buffer } from "node:buffer";
import { goIndentedJson } from "../../engine/eval/command.js";
import { goQuote } from "../../engine/builtins/format.js";
import { renderFailureLine } from "./failure-line.js";
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

/** topdown.Error's text: `file:row: ` (ast.Location.String) before the code when it has a location. */
export function errorText(e: NonNullable<OpaTestResult["error"]>): string {
  return `${e.location ? `${e.location.file}:${e.location.row}: ` : ""}${e.code}: ${e.message}`;
}

/** tester.Result's String(): its line, then every sub-result indented one level per depth below the first. */
export function resultString(r: OpaTestResult): string {
  const lines = [resultLine(r)];
  for (const [name, sr] of iterSubResults(r.sub_results ?? {})) lines.push(`${"  ".repeat(name.length - 1)}${sr.name}: ${sr.fail ? "FAIL" : "PASS"}`);
  return lines.join("\n") + "\n";
}

function resultLine(r: OpaTestResult): string {
  if (r.skip) return `${r.package}.${r.name}: ${outcome(r)}`;
  return `${r.package}.${r.name}: ${outcome(r)} (${goDuration(r.duration)})`;
}

export interface PrettyOptions {
  /** `-v`: every test, not only those that did not pass. */
  verbose: boolean;
  /** `--var-values`: the FAILURES section also without `-v`. */
  failureLine?: boolean;
  /** Show a failed test's `trace()` notes under it in the FAILURES section (`--explain notes`, `-v`). */
  notes?: boolean;
  /** `--bench`: passing tests print their benchmark line (`gobench`: Go's benchmark format). */
  bench?: { gobench: boolean };
}

/** The pretty report, as `opa test` prints it. */
export function prettyReport(results: OpaTestResult[], opts: PrettyOptions): string {
  const { verbose } = opts;
  const out: string[] = [];
  let lastFile = "";
  let dirty = false;
  for (const r of results) {
    if (passed(r) && opts.bench) {
      dirty = true;
      out.push(benchmarkLine(r, opts.bench.gobench));
    } else if (verbose || !passed(r)) {
      if (lastFile !== "" && lastFile !== r.location.file) out.push("");
      out.push(`${r.location.file}:${r.location.row}:`);
      lastFile = r.location.file;
      dirty = true;
      out.push(resultLine(r));
      for (const [name, sr] of iterSubResults(r.sub_results ?? {})) {
        if (sr.fail || verbose) out.push(`${"  ".repeat(name.length)}${sr.name}: ${sr.fail ? "FAIL" : "PASS"}`);
      }
      // print() output as OPA shows it: the whole output trimmed (Go's strings.TrimSpace), every line indented.
      if (r.output && r.output.length > 0) out.push("", ...r.output.join("\n").replace(GO_TRIM_SPACE, "").split("\n").map((l) => `  ${l}`), "");
    }
    if (r.error) out.push(`  ${errorText(r.error)}`);
  }
  const c = countResults(results);
  if (c.fail > 0 && (verbose || opts.failureLine)) {
    out.push(HL, "FAILURES", HL);
    for (const f of results.filter((r) => r.fail)) {
      out.push(resultLine(f));
      if (opts.notes && verbose && f.notes && f.notes.length > 0) out.push("", ...notesTrace(f).map((l) => `  ${l}`));
      if (opts.failureLine && !(f.sub_results && Object.keys(f.sub_results).length > 0)) {
        // --var-values: the expression the test failed at, under its file and row (OPA's failure line).
        out.push("");
        if (f.failureLine) out.push(`  ${f.failureLine.file}:${f.failureLine.row}:`, ...renderFailureLine(f.failureLine).map((l) => `    ${l}`));
      }
      if (f.sub_results && Object.keys(f.sub_results).length > 0) {
        out.push("");
        // Each failed leaf with its lineage, one level of indentation per name.
        for (const [name, sr] of iterSubResults(f.sub_results)) {
          if (!sr.fail || (sr.sub_results && Object.keys(sr.sub_results).length > 0)) continue;
          name.forEach((n, i) => out.push(`${"  ".repeat(i + 1)}${n}: FAIL`));
        }
      }
      out.push("");
    }
  }
  if (dirty) out.push(HL);
  const total = c.pass + c.fail + c.skip + c.error;
  if (c.pass) out.push(`PASS: ${c.pass}/${total}`);
  if (c.fail) out.push(`FAIL: ${c.fail}/${total}`);
  if (c.skip) out.push(`SKIPPED: ${c.skip}/${total}`);
  if (c.error) out.push(`ERROR: ${c.error}/${total}`);
  return out.length > 0 ? out.join("\n") + "\n" : "";
}

/**
 * A failed test's notes as OPA's pretty trace prints the `Note` events of its evaluation with their
 * lineage (topdown.PrettyTraceWithOpts over lineage.Notes): the query and the test rule entered,
 * each note under the rule it was written in, a location column padded to the widest location plus
 * four. The lineage is that of the rule around each `trace` call: a note in a rule the test calls
 * shows that rule's Enter (again when the notes move to another rule), not the rules in between.
 */
export function notesTrace(r: OpaTestResult): string[] {
  const testPath = r.package + r.name.split(".").map(refSegment).join("");
  const rows: [string, string][] = [
    ["query:1", `Enter ${testPath} = _`],
    [`${r.location.file}:${r.location.row}`, `| Enter ${testPath}`],
  ];
  let lastRule = testPath;
  for (const n of r.notes ?? []) {
    const inTest = n.site.rule === testPath || n.site.rule === "";
    if (!inTest && n.site.rule !== lastRule) rows.push([`${n.site.ruleFile}:${n.site.ruleRow}`, `| | Enter ${n.site.rule}`]);
    lastRule = inTest ? testPath : n.site.rule;
    rows.push([`${n.site.file}:${n.site.row}`, `${inTest ? "| | " : "| | | "}Note ${goQuote(n.message)}`]);
  }
  const width = Math.max(...rows.map(([l]) => l.length)) + 4;
  return rows.map(([l, e]) => `${l.padEnd(width)} ${e}`);
}

function refSegment(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
}

/** OPA's benchmark line: the test's name, a tab, Go's BenchmarkResult.String() (iterations, ns/op). */
function benchmarkLine(r: OpaTestResult, gobench: boolean): string {
  let name = `${r.package}.${r.name}`;
  if (gobench) {
    // Go's benchmark format wants `Benchmark` and capitalised words: data.foo.test_auth → BenchmarkDataFooTestAuth.
    name = "Benchmark" + name.replaceAll("_", ".").split(".").map(goTitle).join("");
  }
  const b = r.benchmark_result;
  if (!b) return name;
  let line = `${name}\t${String(b.N).padStart(8)}`;
  const ns = b.T / b.N;
  if (ns !== 0) line += `\t${goPrettyMetric(ns, "ns/op")}`;
  return line;
}

/** Go's strings.Title: a letter after anything but a letter, digit or `_` is capitalised. */
function goTitle(s: string): string {
  return s.replace(/(^|[^\p{L}\p{N}_])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase());
}

/** Go's testing prettyPrint: a benchmark metric with significant digits by magnitude. */
function goPrettyMetric(x: number, unit: string): string {
  const y = Math.abs(x);
  const [width, digits] =
    y === 0 || y >= 999.95 ? [10, 0]
    : y >= 99.995 ? [12, 1]
    : y >= 9.9995 ? [13, 2]
    : y >= 0.99995 ? [14, 3]
    : y >= 0.099995 ? [15, 4]
    : y >= 0.0099995 ? [16, 5]
    : y >= 0.00099995 ? [17, 6]
    : [18, 7];
  return `${x.toFixed(digits).padStart(width)} ${unit}`;
}

const HL = "-".repeat(80);

/** What Go's strings.TrimSpace trims at either end: Unicode White_Space (not the BOM JavaScript's \s has). */
const GO_TRIM_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** `--format json`: OPA's array of results (fields in its order; print output as base64 bytes). */
export function jsonReport(results: OpaTestResult[]): string {
  const shaped = results.map((r) => {
    const o: Record<string, unknown> = {};
    if (r.error) o.error = { code: r.error.code, message: r.error.message, ...(r.error.location ? { location: r.error.location } : {}) };
    o.location = r.location;
    if (r.benchmark_result) o.benchmark_result = { N: r.benchmark_result.N, T: r.benchmark_result.T, Bytes: 0 };
    if (r.sub_results && Object.keys(r.sub_results).length > 0) o.sub_results = jsonSubResults(r.sub_results);
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

/** Go's encoding of tester.SubResultMap: keys sorted, empty fields omitted, fields in struct order. */
function jsonSubResults(srs: Record<string, SubResult>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(srs).sort()) {
    const sr = srs[k]!;
    const o: Record<string, unknown> = {};
    if (sr.sub_results && Object.keys(sr.sub_results).length > 0) o.sub_results = jsonSubResults(sr.sub_results);
    if (sr.name !== "") o.name = sr.name;
    if (sr.fail) o.fail = true;
    out[k] = o;
  }
  return out;
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
