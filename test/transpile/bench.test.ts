// Smoke test of the transpile bench hook (npm run bench): it builds both projects and reports a
// ratio. Speed targets are reported by the bench, never asserted here.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { benchTranspile } from "../../bench/transpile.js";

test("the transpile bench hook builds a TypeScript and a raw-Rego project and reports their ratio", async () => {
  const lines: string[] = [];
  const [r] = await benchTranspile((s) => lines.push(s), true);
  assert.ok(r && r.typescriptMs > 0 && r.regoMs > 0);
  assert.is(r!.checks, 1);
  assert.match(lines[0]!, /^TypeScript check bodies: build of 1 check\(s\) \d+ ms vs the same in raw Rego \d+ ms: [+-]\d+\.\d%; target ≤ \+20%: (met|NOT met)$/);
});

test.run();
