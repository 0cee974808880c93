// A bounded run of the Rego fuzzer (src/engine/fuzz): mutated conformance and Gatekeeper library
// programs through the whole engine; no program may crash it. `npm run fuzz` runs longer.
import { test } from "uvu";
import * as assert from "uvu/assert";
import path from "node:path";
import { requireShared } from "../../support/shared.js";
import { fuzz, loadSeeds, program } from "../../../src/engine/fuzz/fuzz.js";

const PROGRAMS = Number(process.env.POLICYC_FUZZ_PROGRAMS ?? 2_000);

test("mutated programs compile, are rejected with diagnostics, or evaluate: never crash", () => {
  const corpora = requireShared("corpora", "the engine fuzz test");
  if (!corpora) return;
  const seeds = loadSeeds(path.join(corpora, "opa-conformance", "v1"), path.join(corpora, "gatekeeper-library", "library"));
  assert.ok(seeds.length > 1000, "seed programs from both corpora");
  const s = fuzz(seeds, { seed: 20261206, count: PROGRAMS });
  const crashes = s.crashes.map((c) => `#${c.program.index} ${c.outcome} ${c.program.mutations.join("; ")}: ${c.detail}`);
  assert.equal(crashes, []);
  assert.ok((s.outcomes.evaluated ?? 0) > PROGRAMS / 10, "a fair share of mutants still evaluate");
  assert.ok((s.outcomes.diagnostic ?? 0) > PROGRAMS / 10, "a fair share are rejected with diagnostics");
});

test("program i of a seed is always the same program", () => {
  const seeds = [{ origin: "a", modules: ["package p\nq := [1, 2, 3]\nr := count(q)\n"], query: "x := data.p" }];
  assert.equal(program(seeds, 7, 42), program(seeds, 7, 42));
  assert.not.equal(program(seeds, 7, 42).modules, program(seeds, 7, 43).modules);
});

test.run();
