// Mutated real programs (lines dropped, duplicated or swapped in Gatekeeper library Rego) either
// compile and plan, or fail with diagnostics; never with another exception.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { requireShared } from "../../support/shared.js";
import { parseModule } from "../../../src/engine/rego/index.js";
import { compileModules } from "../../../src/engine/compiler/index.js";
import { planPolicy } from "../../../src/engine/plan/planner.js";
import { DiagnosticError } from "../../../src/diagnostics/index.js";

function regoSources(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) regoSources(p, out);
    else if (f === "template.yaml") {
      const doc = parseDocument(readFileSync(p, "utf8")).toJS() as { spec: { targets: { rego?: string; code?: { engine: string; source: { rego?: string } }[] }[] } };
      const t = doc.spec.targets[0]!;
      const rego = t.rego ?? t.code?.find((c) => c.engine === "Rego")?.source.rego;
      if (rego) out.push(rego);
    }
  }
  return out;
}

test("mutated library Rego compiles or fails with diagnostics only", () => {
  const root = requireShared("corpora/gatekeeper-library/library", "the compiler robustness test");
  if (!root) return;
  const sources = regoSources(root);
  assert.ok(sources.length >= 40, "library templates found");
  let compiled = 0;
  let rejected = 0;
  fc.assert(
    fc.property(fc.nat(sources.length - 1), fc.array(fc.tuple(fc.constantFrom("drop", "dup", "swap"), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }), (i, ops) => {
      const lines = sources[i]!.split("\n");
      for (const [op, a, b] of ops) {
        const x = 1 + (a % Math.max(1, lines.length - 1));
        const y = 1 + (b % Math.max(1, lines.length - 1));
        if (op === "drop") lines.splice(x, 1);
        else if (op === "dup") lines.splice(x, 0, lines[y] ?? "");
        else [lines[x], lines[y]] = [lines[y] ?? "", lines[x] ?? ""];
      }
      let mod;
      try {
        mod = parseModule(lines.join("\n"), { file: "m.rego", regoVersion: "v0" });
      } catch (e) {
        if (e instanceof DiagnosticError) return true;
        throw e;
      }
      try {
        const c = compileModules([mod]);
        planPolicy(c, { entrypoints: [`${mod.package.path.terms.slice(1).map((t) => (t.type === "string" ? t.value : "")).join("/")}/violation`] });
        compiled++;
      } catch (e) {
        if (!(e instanceof DiagnosticError)) throw e;
        rejected++;
      }
      return true;
    }),
    { numRuns: 300, seed: 424242 },
  );
  assert.ok(compiled + rejected > 0, "some mutants reached the compiler");
});

test.run();
