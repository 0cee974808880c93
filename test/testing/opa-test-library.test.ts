// `policyc test --v0-compatible <folder>/*.rego` over every policy folder of the Gatekeeper
// library's src/, as its test.sh runs `opa test`: every test passes, and each folder runs as many
// tests as its sources define (counted here by a plain scan for rule names at the start of a line,
// duplicates included, independently of the runner's discovery).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { requireShared } from "../support/shared.js";
import { main } from "../../src/cli/main.js";

test("the Gatekeeper library's opa tests pass, folder by folder, with OPA's counts", async () => {
  const src = requireShared("corpora/gatekeeper-library/src", "the Gatekeeper library's opa test run");
  if (!src) return;
  const problems: string[] = [];
  let total = 0;
  let folders = 0;
  for (const area of readdirSync(src).sort()) {
    for (const policy of readdirSync(path.join(src, area)).sort()) {
      const dir = path.join(src, area, policy);
      const files = readdirSync(dir).filter((f) => f.endsWith(".rego")).map((f) => path.join(dir, f));
      if (!files.some((f) => f.endsWith("_test.rego"))) continue;
      folders++;
      const expected = files.reduce((n, f) => n + (readFileSync(f, "utf8").match(/^(test_|todo_test_)[A-Za-z0-9_]*/gm) ?? []).length, 0);
      let stdout = "";
      let stderr = "";
      const code = await main(["test", "--v0-compatible", "--format", "json", ...files], {
        cwd: process.cwd(),
        stdout: (s) => void (stdout += s),
        stderr: (s) => void (stderr += s),
      });
      if (code !== 0) {
        problems.push(`${area}/${policy}: exit ${code}: ${stderr.split("\n").slice(0, 3).join(" | ")}`);
        continue;
      }
      const results = JSON.parse(stdout) as { name: string; fail?: boolean; error?: unknown; skip?: boolean }[];
      if (results.length !== expected) problems.push(`${area}/${policy}: ${results.length} tests run, the sources define ${expected}`);
      const bad = results.filter((r) => r.fail || r.error || r.skip).map((r) => r.name);
      if (bad.length > 0) problems.push(`${area}/${policy}: did not pass: ${bad.join(", ")}`);
      if (stderr !== `${expected} passed, 0 failed\n`) problems.push(`${area}/${policy}: summary ${JSON.stringify(stderr)}`);
      total += results.length;
    }
  }
  assert.equal(problems, []);
  assert.ok(folders >= 50, `only ${folders} folders with tests`);
  console.log(`  gatekeeper-library opa tests: ${total} passed in ${folders} folders`);
});

test.run();
