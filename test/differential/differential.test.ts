// Differential tests: every TypeScript-bodied check (the transpiler's golden cases and the repo's
// examples) decides the same natively and as compiled Rego under the Wasm engine, on its own test
// cases and on generated objects; a deliberately mis-compiled construct is caught.
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { differentialProject, loadTypeScriptChecks } from "../../src/differential/project.js";
import { differentialCheck, formatDifference } from "../../src/differential/runner.js";
import { lowerings } from "../../src/transpile/lowerings.js";
import { build } from "../../src/engine/rego/index.js";
import { projectRoot, requireShared } from "../support/shared.js";

const casesDir = path.join(projectRoot, "test", "transpile", "cases");

function failures(r: Awaited<ReturnType<typeof differentialProject>>): string[] {
  return r.suites.flatMap((s) => s.tests.flatMap((t) => t.cases.filter((c) => c.status === "fail").map((c) => `${s.display} › ${c.name}\n${c.reasons.join("\n")}`)));
}

test("golden cases: TypeScript and Rego agree on every test case and 200 generated objects per check", async () => {
  const r = await differentialProject({ cwd: casesDir, runs: 200 });
  assert.equal(r.diagnostics, []);
  assert.ok(r.outcomes.length >= 17, `only ${r.outcomes.length} checks ran`);
  assert.equal(failures(r), []);
  // The generators must reach the reporting branches, or agreement would mean little.
  const silent = r.outcomes.filter((o) => o.generated.violating === 0).map((o) => o.kind);
  assert.equal(silent, [], "checks that no generated object violates");
  const always = r.outcomes.filter((o) => o.generated.violating === o.generated.runs).map((o) => o.kind);
  assert.ok(always.length <= 2, `checks that every generated object violates: ${always.join(", ")}`);
});

test("a deliberately mis-compiled `!==` (Rego's != instead of `not ==`) is caught with a shrunk counterexample", async () => {
  const original = lowerings.notEqual;
  lowerings.notEqual = (left, right) => [build.expr(build.call("neq", [left, right]))];
  try {
    const r = await differentialProject({ cwd: casesDir, runs: 200, filter: /^TComparisons$/ });
    const failed = failures(r);
    assert.ok(failed.length > 0, "the differential run must fail");
    const generated = r.outcomes[0]!.generated.difference;
    assert.ok(generated, "the generated objects must expose the difference");
    // The smallest counterexample: a container without imagePullPolicy, reported only natively.
    const object = (generated.input.review as { object: { spec: { containers: Record<string, unknown>[] } } }).object;
    assert.ok(object.spec.containers.some((c) => c.imagePullPolicy === undefined));
    assert.ok(generated.native.some((m) => m.includes("imagePullPolicy must be Always")));
    assert.not.ok(generated.rego.some((m) => m.includes("imagePullPolicy must be Always")));
    assert.match(failed.join("\n"), /smallest counterexample/);
  } finally {
    lowerings.notEqual = original;
  }
});

test("the repo's examples: every TypeScript-bodied check agrees with its Rego on its cases and 500 generated objects", async () => {
  const r = await differentialProject({ cwd: projectRoot, runs: 500 });
  assert.equal(r.diagnostics, []);
  assert.ok(r.outcomes.length >= 1, "the examples have TypeScript-bodied checks");
  assert.equal(failures(r), []);
  for (const o of r.outcomes) assert.ok(o.generated.violating > 0, `${o.kind}: no generated object violates`);
});

/** The `rego: |` block of the product docs' K8sAllowedRepos ConstraintTemplate. */
function docsRego(text: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((l, i) => /^\s*rego: \|\s*$/.test(l) && lines.slice(Math.max(0, i - 15), i).some((x) => x.includes("K8sAllowedRepos")));
  assert.ok(start >= 0, "the product docs carry the K8sAllowedRepos Rego");
  const indent = /^\s*/.exec(lines[start + 1]!)![0].length;
  const block: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l.trim() !== "" && /^\s*/.exec(l)![0].length < indent) break;
    block.push(l.slice(indent));
  }
  return block.join("\n").trim() + "\n";
}

test("K8sAllowedRepos in TypeScript decides exactly like the product docs' hand-written Rego (cases and 1,000 generated objects)", async () => {
  const docs = requireShared("product-docs/000_20285860c48c75d8.txt", "the K8sAllowedRepos equivalence test");
  if (!docs) return;
  const rego = docsRego(readFileSync(docs, "utf8"));
  assert.match(rego, /^package d8\.pod_security_standards\.extended/);
  const { checks } = await loadTypeScriptChecks({ cwd: projectRoot, filter: /^K8sAllowedRepos$/ });
  assert.is(checks.length, 1, "the example K8sAllowedRepos has a TypeScript body");
  const check = checks[0]!;
  // The same native function against the docs' module instead of the compiled one.
  const outcome = await differentialCheck({ ...check, rego, regoVersion: "v0", pkg: "d8/pod_security_standards/extended" }, { runs: 1000, seed: 7 });
  assert.is(outcome.error, undefined);
  assert.equal(outcome.cases.filter((c) => c.difference).map((c) => c.name), []);
  assert.is(outcome.generated.difference, undefined, outcome.generated.difference && formatDifference(outcome.generated.difference));
  const { violating, runs } = outcome.generated;
  assert.ok(violating > runs * 0.05 && violating < runs * 0.95, `both decisions must be exercised (violating: ${violating} of ${runs})`);
});

/** K8sAllowedRepos written in CEL by hand, as the library writes its CEL: one validation whose message joins the offenders. */
const allowedReposCel = (startsWith = "startsWith") => ({
  variables: [
    {
      name: "containers",
      expression:
        "(has(variables.anyObject.spec) && has(variables.anyObject.spec.containers) ? variables.anyObject.spec.containers : []) + (has(variables.anyObject.spec) && has(variables.anyObject.spec.initContainers) ? variables.anyObject.spec.initContainers : [])",
    },
    { name: "bad", expression: `variables.containers.filter(c, has(c.image) && !variables.params.repos.exists(r, c.image.${startsWith}(r)))` },
  ],
  validations: [{ expression: "size(variables.bad) == 0", messageExpression: "'images from unapproved repositories: ' + variables.bad.map(c, c.image).join(', ')" }],
});

test("three engines: TypeScript, Rego and CEL decide the same on the example K8sAllowedRepos's cases and 500 generated objects", async () => {
  const { checks } = await loadTypeScriptChecks({ cwd: projectRoot, filter: /^K8sAllowedRepos$/ });
  const outcome = await differentialCheck({ ...checks[0]!, cel: allowedReposCel() }, { runs: 500 });
  assert.is(outcome.error, undefined);
  assert.is(outcome.cel, true);
  assert.equal(outcome.cases.filter((c) => c.difference).map((c) => c.name), []);
  assert.is(outcome.generated.difference, undefined, outcome.generated.difference && formatDifference(outcome.generated.difference));
  const { violating, runs } = outcome.generated;
  assert.ok(violating > runs * 0.05 && violating < runs * 0.95, `both decisions must be exercised (violating: ${violating} of ${runs})`);
});

test("a mis-compiled CEL (`contains` for `startsWith`) is caught with a shrunk counterexample that prints all three engines", async () => {
  const { checks } = await loadTypeScriptChecks({ cwd: projectRoot, filter: /^K8sAllowedRepos$/ });
  const outcome = await differentialCheck({ ...checks[0]!, cel: allowedReposCel("contains") }, { runs: 500 });
  const d = outcome.generated.difference;
  assert.ok(d, "the generated objects must expose the difference");
  assert.ok(d.cel && d.native.length > 0 !== d.cel.length > 0);
  assert.equal(d.native, d.rego);
  const text = formatDifference(d);
  assert.match(text, /^CEL: {8}/m);
  // Shrunk: a single container whose image contains an allowed repo without starting with it.
  const object = (d.input.review as { object: { spec: { containers?: { image?: string }[]; initContainers?: unknown[] } } }).object;
  const all = [...(object.spec.containers ?? []), ...((object.spec.initContainers ?? []) as { image?: string }[])];
  assert.is(all.length, 1, text);
});

test.run();
