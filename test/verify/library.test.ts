import { test } from "uvu";
import * as assert from "uvu/assert";
import { requireShared } from "../support/shared.js";
import { verify } from "../../src/testing/verify.js";
import { countResults } from "../../src/testing/run/results.js";

// Every case passes; a regression in the engine or the Gatekeeper emulation shows up here.
const EXPECTED_PASSED = 270;
const TOTAL_CASES = 270;
const SUITES = 49;

test("policyc verify passes the Gatekeeper library (49 suites, 270 cases)", async () => {
  const lib = requireShared("corpora/gatekeeper-library/library", "the Gatekeeper library verify run");
  if (!lib) return;
  const run = await verify([lib], { cwd: process.cwd() });
  const c = countResults(run);
  assert.is(run.suites.length, SUITES);
  assert.is(c.passed + c.failed + c.skipped, TOTAL_CASES);
  assert.is(c.skipped, 0);
  const failed = run.suites.flatMap((s) =>
    s.tests.flatMap((t) => t.cases.filter((k) => k.status === "fail").map((k) => `${s.name}/${t.name}/${k.name}: ${k.reasons.join("; ")}`)),
  );
  assert.ok(c.passed >= EXPECTED_PASSED, `passed ${c.passed} < ${EXPECTED_PASSED}:\n${failed.join("\n")}`);
});

test.run();
