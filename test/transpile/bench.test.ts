// Smoke test of the transpile bench hook (npm run bench): it builds both projects and reports a
// ratio. Speed targets are reported by the bench, never asserted here.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { benchTranspile } from "../../bench/transpile.js";

test("the transpile bench hook builds a TypeScript and a raw-Rego project and reports their ratio", async () => {
  const lines: string[] = [];
  const [r] = await benchTranspile((s) => lines.push(s), true);
  assert.ok(r && r.typescriptMs > 0 && r.regoMs > 0 && r.typescriptCpuMs > 0 && r.regoCpuMs > 0);
  assert.is(r!.checks, 1);
  // The transpiler ran on the TypeScript project's body in every measured round.
  assert.ok(r!.transpilerMs > 0 && r!.transpilerMs < r!.typescriptMs);
  assert.ok(r!.processTypescriptMs > 0 && r!.processRegoMs > 0);
  assert.is(r!.ok, r!.processOverhead <= 0.2);
  assert.ok(Number.isFinite(r!.typeCheckMs));
  assert.match(lines[2]!, /^  of the added time: TypeScript type-checking the bodies -?\d+\.\d ms CPU \([+-]\d+\.\d%\), the transpiler \d+\.\d ms \([+-]\d+\.\d%\)$/);
  assert.match(lines[0]!, /^TypeScript check bodies: `policyc build` of 1 check\(s\) \d+ ms vs the same in raw Rego \d+ ms: [+-]\d+\.\d%; target ≤ \+20%: (met|NOT met)$/);
  assert.match(
    lines[1]!,
    /^  compile pipeline alone \(in process, no start-up or write\): CPU \d+ ms vs the same in raw Rego \d+ ms: [+-]\d+\.\d% \(wall \d+ vs \d+ ms: [+-]\d+\.\d%; transpiler \d+\.\d ms: [+-]\d+\.\d%\)$/,
  );
});

test.run();
