// Every rule of every check in the Deckhouse pack is exercised by its own test cases: the pack's
// golden suites run with the engine's coverage instrumentation, and every line of each template's
// main module (each `violation` rule, each branch of its helpers) must have run in some case — a
// `violation` head counts only when the rule produced a violation. The shared library
// (lib/deckhouse.rego) is exercised through the checks that use each part of it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import path from "node:path";
import { PACK_DIR } from "../../src/deckhouse/index.js";
import { coverageBackend } from "../../src/testing/golden/coverage.js";
import { projectTest } from "../../src/testing/project-test.js";

test("the pack's cases pass and cover every line of every template's main module", async () => {
  const coverage = coverageBackend();
  const result = await projectTest({ cwd: PACK_DIR, configPath: path.join(PACK_DIR, "policyc.config.ts"), backend: coverage.backend, update: false });
  const failed = result.suites.flatMap((s) => s.tests.flatMap((t) => t.cases.filter((c) => c.status !== "pass").map((c) => `${t.name} › ${c.name}`)));
  assert.equal(failed, []);
  assert.equal(result.diagnostics.filter((d) => d.severity === "error"), []);
  const report = coverage.report();
  const main = report.modules.filter((m) => m.module.endsWith("#rego"));
  assert.is(main.length, 40, main.map((m) => m.module).join("\n"));
  const missed = main.flatMap((m) => m.uncovered.map((u) => `${u.source ?? m.module}: rows ${u.rows.join("-")}${u.templateLines ? ` (${m.module.split("#")[0]}:${u.templateLines.join("-")})` : ""}`));
  assert.equal(missed, [], `lines no case executed:\n${missed.join("\n")}`);
  // The library: every part of it is used by some check's cases.
  const libRows = new Map<number, boolean>();
  for (const m of report.modules.filter((x) => x.module.endsWith("#libs[0]"))) {
    const uncovered = new Set(m.uncovered.flatMap((u) => Array.from({ length: u.rows[1] - u.rows[0] + 1 }, (_, i) => u.rows[0] + i)));
    for (let r = 1; r <= 400; r++) if (!uncovered.has(r)) libRows.set(r, true);
    for (const r of uncovered) if (!libRows.has(r)) libRows.set(r, false);
  }
  const never = [...libRows].filter(([, hit]) => !hit).map(([r]) => r);
  assert.equal(never, [], `lib/deckhouse.rego rows no check's case executed: ${never.join(", ")}`);
});

test.run();
