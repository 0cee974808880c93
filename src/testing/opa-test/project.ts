/**
 * `policyc test` without paths also runs the Rego unit tests of the project: every `*_test.rego`
 * under the project folder (outside the output directory, node_modules and dot-folders), in one
 * run per folder, against the Rego policyc emitted — each template whose package the tests belong
 * (or one of its libs belongs) to (`p`, `p_test`) or reference (`data.p`), with its libs — since that is what Gatekeeper runs.
 * Each folder becomes a suite of the project report; each test file a test; each rule a case.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isDiagnostic, readYamlFile } from "../yaml-files.js";
import { DiagnosticError, diag } from "../../diagnostics/index.js";
import { parseModule } from "../../engine/rego/parser.js";
import { readTemplate, TemplateError } from "../gatekeeper/template.js";
import type { CaseResult, SuiteResult, TestResult } from "../run/results.js";
import { runOpaTests, type OpaTestResult } from "./run.js";
import { PC43 } from "./diagnostics.js";
import { formatMs } from "../../engine/builtins/budget.js";
import { OPA_TEST_TIMEOUT_MS } from "./run.js";

interface EmittedRego {
  /** The packages of its Rego and of each lib. */
  pkgs: string[];
  modules: { file: string; text: string; regoVersion: "v0" | "v1" }[];
  regoVersion: "v0" | "v1";
}

/** `timeoutMs`: per test, as `opa test --timeout` (default OPA's 5 s). */
export function projectRegoTests(opts: { cwd: string; root: string; outDir: string; timeoutMs?: number }): SuiteResult[] {
  const folders = new Map<string, string[]>();
  findTestFiles(opts.root, opts.outDir, folders);
  if (folders.size === 0) return [];
  const templates = emittedRego(opts.outDir, opts.cwd);
  const suites: SuiteResult[] = [];
  for (const [dir, files] of [...folders].sort(([a], [b]) => (a < b ? -1 : 1))) {
    suites.push(runFolder(dir, files, templates, opts.cwd, opts.timeoutMs ?? OPA_TEST_TIMEOUT_MS));
  }
  return suites;
}

const other = (v: "v0" | "v1"): "v0" | "v1" => (v === "v0" ? "v1" : "v0");

function parsesIn(text: string, regoVersion: "v0" | "v1"): boolean {
  try {
    parseModule(text, { file: "test", regoVersion });
    return true;
  } catch (e) {
    if (e instanceof DiagnosticError) return false;
    throw e;
  }
}

function findTestFiles(dir: string, outDir: string, into: Map<string, string[]>): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === "node_modules" || e.name.startsWith(".") || p === outDir) continue;
      findTestFiles(p, outDir, into);
    } else if (e.isFile() && e.name.endsWith("_test.rego")) {
      const list = into.get(dir) ?? [];
      list.push(p);
      into.set(dir, list);
    }
  }
}

function emittedRego(outDir: string, cwd: string): EmittedRego[] {
  const manifests = path.join(outDir, "manifests");
  const out: EmittedRego[] = [];
  let names: string[];
  try {
    names = readdirSync(manifests).filter((f) => f.startsWith("constrainttemplate-") && f.endsWith(".yaml")).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const file = path.relative(cwd, path.join(manifests, name));
    try {
      // policyc's own output: a file that is not readable YAML is not one of its templates.
      const read = readYamlFile(path.join(manifests, name), "template", "object", file);
      if (isDiagnostic(read)) continue;
      const info = readTemplate(read.docs[0]?.value as Parameters<typeof readTemplate>[0]);
      if (!info.rego) continue;
      const pkgs = [info.rego, ...info.libs].map(packageOf).filter((p): p is string => p !== undefined);
      out.push({
        pkgs,
        regoVersion: info.regoVersion,
        modules: [{ file: `${file}#rego`, text: info.rego }, ...info.libs.map((text, i) => ({ file: `${file}#libs[${i}]`, text }))].map((m) => ({ ...m, regoVersion: info.regoVersion })),
      });
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
    }
  }
  return out;
}

function runFolder(dir: string, files: string[], templates: EmittedRego[], cwd: string, timeoutMs: number): SuiteResult {
  const t0 = performance.now();
  const display = path.relative(cwd, dir) || ".";
  const texts = files.map((f) => ({ file: path.relative(cwd, f), text: readFileSync(f, "utf8") }));
  const suite: SuiteResult = { path: dir, display, name: "rego unit tests", status: "pass", diagnostics: [], warnings: [], tests: [], durationMs: 0 };
  const chosen = templates.filter((t) => texts.some((x) => t.pkgs.some((p) => belongsTo(x.text, p))));
  // Each template keeps its own Rego version; a test file is read in its template's version, or in
  // the other one when it only parses there (a v1 project may test a check kept at v0).
  const tested = chosen[0]?.regoVersion ?? "v0";
  const tests = texts.map((t) => ({ ...t, regoVersion: parsesIn(t.text, tested) ? tested : parsesIn(t.text, other(tested)) ? other(tested) : tested }));
  // Libs shared by several templates are loaded once.
  const seen = new Set<string>();
  const modules = chosen.flatMap((t) => t.modules).filter((m) => !seen.has(m.text) && (seen.add(m.text), true));
  try {
    const run = runOpaTests({ modules: [...modules, ...tests], data: {}, regoVersion: chosen[0]?.regoVersion ?? "v0", timeoutMs });
    for (const f of tests) {
      const results = run.results.filter((r) => r.location.file === f.file);
      const cases = results.map((r) => toCase(r, timeoutMs));
      const status = cases.some((c) => c.status === "fail") ? "fail" : cases.length > 0 && cases.every((c) => c.status === "skip") ? "skip" : "pass";
      const test: TestResult = { name: f.file, status, invalid: false, reasons: [], diagnostics: [], cases, durationMs: cases.reduce((n, c) => n + c.durationMs, 0) };
      suite.tests.push(test);
    }
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    suite.diagnostics.push(...e.diagnostics);
  }
  if (chosen.length === 0) suite.warnings.push(diag(PC43.noTemplateForTests, [display]));
  if (suite.diagnostics.length > 0 || suite.tests.some((t) => t.status === "fail")) suite.status = "fail";
  suite.durationMs = performance.now() - t0;
  return suite;
}

/** The test file is in the template's package (or `<pkg>_test`) or refers to `data.<pkg>`. */
function belongsTo(text: string, pkg: string): boolean {
  const own = packageOf(text);
  if (own === pkg || own === `${pkg}_test`) return true;
  return new RegExp(`\\bdata\\.${pkg.replace(/\./g, "\\.")}\\b`).test(text);
}

function toCase(r: OpaTestResult, timeoutMs: number): CaseResult {
  const name = `${r.package}.${r.name}`;
  const durationMs = r.duration / 1e6;
  if (r.skip) return { name, status: "skip", reasons: [], diagnostics: [], durationMs };
  const reasons: string[] = [];
  if (r.error) reasons.push(`${r.location.file}:${r.location.row}: ERROR ${r.error.code}: ${r.error.message}`);
  else if (r.fail) reasons.push(`${r.location.file}:${r.location.row}: FAIL (the test rule is not true)`);
  for (const [k, sr] of Object.entries(r.sub_results ?? {})) if (sr.fail) reasons.push(`  ${k}: FAIL`);
  const diagnostics =
    r.error?.code === "eval_cancel_error" ? [diag(PC43.testTimedOut, [name, formatMs(timeoutMs)], { file: r.location.file, line: r.location.row, col: r.location.col })] : [];
  return { name, status: reasons.length > 0 ? "fail" : "pass", reasons, diagnostics, durationMs };
}

function packageOf(rego: string): string | undefined {
  return /^\s*package\s+([\w.]+)/m.exec(rego)?.[1];
}
