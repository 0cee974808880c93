// policyc check on several threads: a mixed snapshot (workloads expanded to Pods, Pods, Services,
// ConfigMaps, Namespaces, …; examples/ with its mutators, CEL and Rego templates) gives the same
// results, diagnostics and reports on two and three threads (the main thread's share beside one or
// two workers) as on the main thread alone, run after run (the workers are kept between runs of a
// process, and started again when the count changes).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCheck, type CheckRun } from "../../src/testing/check/run.js";
import { renderCheckReport } from "../../src/testing/check/report/index.js";
import { snapshot } from "../../bench/check.js";
import { projectRoot } from "../support/shared.js";

const settings = { operation: "CREATE" as const, defaultNamespace: "default" };

test("two and three threads, twice each, give what the main thread gives on a mixed snapshot", async () => {
  // A broken document among them: a diagnostic, and the others still checked.
  const text = snapshot(400) + "---\nkind: [unclosed\n" + snapshot(60).replace(/name: app/g, "name: late");
  const run = (workers: number) => runCheck({ cwd: projectRoot, inputs: ["-"], stdinText: text, policies: { kind: "folder", dir: "generated/manifests" }, settings, workers });
  const view = (r: CheckRun) => ({
    results: r.results,
    diagnostics: r.diagnostics,
    summary: r.summary,
    json: renderCheckReport(r, "json", { color: false, verbose: false, failOn: "deny" }),
    pretty: renderCheckReport(r, "pretty", { color: false, verbose: true, failOn: "deny" }),
  });
  const one = view(await run(1));
  assert.ok(one.summary.failed > 50 && one.summary.passed > 20, JSON.stringify(one.summary));
  assert.ok(one.results.some((r) => r.violations.some((v) => v.expansion)), "some violation found through expansion");
  assert.ok(one.results.some((r) => r.mutatedBy), "some object mutated");
  assert.ok(one.diagnostics.some((d) => d.severity === "error"), "the broken document is reported");
  for (const threads of [2, 3]) for (let i = 0; i < 2; i++) assert.equal(view(await run(threads)), one, `${threads} threads, run ${i + 1}`);
});

test("a document larger than a worker's batch is checked on the main thread, in its place among the others", async () => {
  // A Pod whose annotation alone is over a megabyte, between two halves of a snapshot.
  const big = `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: big\n  namespace: team-1\n  annotations:\n    blob: ${"x".repeat(1_200_000)}\nspec:\n  containers:\n  - name: c\n    image: nginx:latest\n`;
  const text = snapshot(200) + big + snapshot(80).replace(/name: app/g, "name: late");
  const run = (workers: number) => runCheck({ cwd: projectRoot, inputs: ["-"], stdinText: text, policies: { kind: "folder", dir: "generated/manifests" }, settings, workers });
  const one = await run(1);
  const two = await run(2);
  const at = one.results.findIndex((r) => r.name === "big");
  assert.ok(at > 150, `the big Pod is among the others (at ${at})`);
  assert.ok(one.results[at]!.violations.length > 0, "the big Pod is judged");
  assert.equal(two.results, one.results);
  assert.equal(two.summary, one.summary);
});

test.run();
