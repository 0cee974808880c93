// OPA's conformance corpus through policyc (compiler + Wasm + SDK), with thresholds that ratchet:
// they are pass counts measured at the end of a session, so skipping cases can never satisfy them.
// A fixed-seed sample of cases also runs one by one through `policyc eval` and must bind the same
// values as the runner.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { requireShared } from "../../support/shared.js";
import { runConformance, type ConformanceReport } from "../../../src/engine/conformance/runner.js";
import { groupTotals } from "../../../src/engine/conformance/report.js";
import { loadCases, type ConformanceCase } from "../../../src/engine/conformance/cases.js";
import { policycCaseEngine } from "../../../src/engine/conformance/policyc-engine.js";
import { canonical, normalizeActual } from "../../../src/engine/conformance/compare.js";
import { runEval } from "../../../src/engine/eval/command.js";
import { ExactNum } from "../../../src/engine/builtins/value.js";

/** Achieved at the end of the last session; raise them as the engine improves, never lower. */
const MIN_TOTAL_PASS = 2067;
const MIN_CORE_PASS = 811;
const GATEKEEPER_CASES = 298;

const corpus = requireShared("corpora/opa-conformance/v1", "the conformance corpus");
let report: ConformanceReport | undefined;

test("runs every case with a verdict and a reason for every non-pass", async () => {
  if (!corpus) return;
  report = await runConformance({ corpusDir: corpus });
  assert.ok(report);
  assert.is(report!.results.length, 2067);
  assert.is(report!.total.pass + report!.total.fail + report!.total.skip, 2067);
  for (const r of report!.results) if (r.status !== "pass") assert.ok(r.reason, `${r.note} has a reason`);
  const skipped = report!.results.filter((r) => r.status === "skip");
  assert.equal(skipped.map((r) => r.note), [], "no case is skipped");
});

test("pass counts do not regress (ratchet)", () => {
  if (!report) return;
  const g = groupTotals(report);
  assert.is(g["gatekeeper-builtin"].total, GATEKEEPER_CASES);
  assert.is(g["gatekeeper-builtin"].pass, GATEKEEPER_CASES, "every Gatekeeper built-in family case passes");
  assert.ok(g.core.pass >= MIN_CORE_PASS, `core language passes ${g.core.pass} >= ${MIN_CORE_PASS}`);
  assert.ok(report.total.pass >= MIN_TOTAL_PASS, `total passes ${report.total.pass} >= ${MIN_TOTAL_PASS}`);
});

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("a random sample of cases gives the same bindings through `policyc eval`", async () => {
  if (!corpus || !report) return;
  const passed = new Set(report.results.filter((r) => r.status === "pass").map((r) => r.note));
  const eligible = loadCases(corpus).filter(
    (c) => passed.has(c.note) && c.wantResult && c.wantResult.length > 0 && c.inputTerm === undefined && c.modules.length > 0 && !c.ignoreGeneratedVars,
  );
  const rnd = mulberry32(20261122);
  const sample: ConformanceCase[] = [];
  const pool = [...eligible];
  while (sample.length < 20 && pool.length > 0) sample.push(pool.splice(Math.floor(rnd() * pool.length), 1)[0]!);
  assert.is(sample.length, 20);
  const engine = await policycCaseEngine();
  for (const c of sample) {
    const rows = engine.prepare(c.modules, c.query).evaluate(c.data ?? {}, c.input);
    const dir = mkdtempSync(path.join(tmpdir(), "policyc-conf-eval-"));
    try {
      const args: string[] = [];
      c.modules.forEach((m, i) => {
        writeFileSync(path.join(dir, `test-${i}.rego`), m);
        args.push("-d", `test-${i}.rego`);
      });
      writeFileSync(path.join(dir, "data.json"), JSON.stringify(c.data ?? {}));
      args.push("-d", "data.json");
      if (c.input !== undefined) {
        writeFileSync(path.join(dir, "input.json"), JSON.stringify(c.input));
        args.push("-i", "input.json");
      }
      let out = "";
      let err = "";
      const code = await runEval([...args, c.query], { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: dir });
      assert.is(code, 0, `${c.note}: ${err}`);
      const parsed = JSON.parse(out) as { result?: { bindings?: Record<string, unknown> }[] };
      const evalRows = (parsed.result ?? []).map((r) => r.bindings ?? {});
      // `policyc eval` prints through JSON, so compare at the precision JSON numbers have in JS.
      const lossy = (rs: Record<string, unknown>[]) => JSON.parse(JSON.stringify(rs, (_k, v: unknown) => (v instanceof ExactNum ? Number(v.text) : v))) as Record<string, unknown>[];
      const norm = (rs: Record<string, unknown>[]) => normalizeActual(lossy(rs), { sortBindings: c.sortBindings }).map(canonical).sort();
      assert.equal(norm(evalRows), norm(rows), c.note);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test.run();
