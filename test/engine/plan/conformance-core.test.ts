// Ratchet: the planner, run through the test-only IR interpreter, must keep passing at least this
// many of the OPA conformance cases in core-language categories. Raise the floor as it improves.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { requireShared } from "../../support/shared.js";
import { CORE_CATEGORIES, loadCases, runCase } from "./conformance-harness.js";

const FLOOR = 723;

test("core-language conformance cases pass through planner + IR interpreter", () => {
  const root = requireShared("corpora/opa-conformance/v1", "the conformance ratchet");
  if (!root) return;
  const cases = loadCases(root, (c) => CORE_CATEGORIES.includes(c));
  assert.ok(cases.length > 600, `expected the core categories to hold > 600 cases, found ${cases.length}`);
  let pass = 0;
  const failures: string[] = [];
  for (const { c } of cases) {
    const r = runCase(c);
    if (r.status === "pass") pass++;
    else if (r.status === "fail") failures.push(`${c.note}: ${r.reason.slice(0, 160)}`);
  }
  assert.ok(pass >= FLOOR, `only ${pass} core cases passed (floor ${FLOOR}); failures:\n${failures.slice(0, 20).join("\n")}`);
});

test("a known-undefined case stays undefined and a conflict stays an error", () => {
  const root = requireShared("corpora/opa-conformance/v1", "conformance spot checks");
  if (!root) return;
  const cases = loadCases(root, (c) => c === "completedoc" || c === "elsekeyword");
  const conflict = cases.find(({ c }) => c.want_error_code === "eval_conflict_error");
  assert.ok(conflict, "corpus has a conflict case");
  assert.equal(runCase(conflict!.c).status, "pass");
});

test.run();
