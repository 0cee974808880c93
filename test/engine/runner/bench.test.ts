import { test } from "uvu";
import * as assert from "uvu/assert";
import { benchAllowedReposEval } from "../../../src/engine/runner/bench.js";

// Smoke test of the bench hook only (no timing assertions: speed targets live in `npm run bench`).
test("the eval bench hook measures k8sallowedrepos and the constant floor", () => {
  const r = benchAllowedReposEval(undefined, 50);
  assert.is(r.violations, 1, "one of the four containers uses a disallowed repo");
  assert.ok(r.policyPerSec > 0 && r.floorPerSec > 0 && Number.isFinite(r.ratio));
});

test.run();
