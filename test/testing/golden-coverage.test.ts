// policyc test --coverage (no paths): lines of each emitted template no case executed, at the
// TypeScript line for checks written in TypeScript and at the template's line for raw Rego.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { main } from "../../src/cli/main.js";
import { makeProject, positionOf, removeProject } from "../build/fixture.js";

async function run(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { cwd, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

const POD = `{ apiVersion: "v1", kind: "Pod", metadata: { name: "a", namespace: "default" }, spec: { containers: [{ name: "app", image: "nginx:1.27" }] } }`;

const TS_CHECK = `import { defineCheck, type Pod } from "policyc";

export const limits = defineCheck<{ max: number }, Pod>({
  kind: "K8sContainerCount",
  description: "At most max containers, none named debug.",
  violation(review, params, report) {
    const containers = review.object.spec?.containers ?? [];
    if (containers.length > params.max) {
      report(\`too many containers: \${containers.length}\`);
    }
    for (const c of containers) {
      if (c.name === "debug") {
        report("no debug containers");
      }
    }
  },
  tests: [
    { name: "one-allowed", parameters: { max: 1 }, object: ${POD}, violations: "no" },
    { name: "zero-allowed", parameters: { max: 0 }, object: ${POD}, violations: 1 },
  ],
});
`;

const REGO_CHECK = `import { defineCheck, rego } from "policyc";

export const labels = defineCheck<{}>({
  kind: "K8sNeedsOwner",
  description: "Objects need an owner label.",
  rego: rego\`
    package k8sneedsowner

    violation[{"msg": msg}] {
      not input.review.object.metadata.labels.owner
      msg := "owner label missing"
    }

    violation[{"msg": msg}] {
      input.review.object.metadata.labels.owner == ""
      msg := "owner label empty"
    }
  \`,
  tests: [{ name: "missing", object: ${POD}, violations: 1 }],
});
`;

test("coverage names the TypeScript line of a never-reported branch and the template lines of unexecuted raw Rego", async () => {
  const dir = makeProject({ "policies/count.ts": TS_CHECK, "policies/owner.ts": REGO_CHECK });
  try {
    const built = await run(["build"], dir);
    assert.is(built.code, 0, built.stderr);
    assert.is((await run(["test", "--update"], dir)).code, 0);
    const r = await run(["test", "--coverage"], dir);
    assert.is(r.code, 0, r.stdout + r.stderr);
    const debugLine = positionOf(TS_CHECK, 'report("no debug').line;
    // The debug branch never reported: its rule is reported at the report() line of policies/count.ts.
    assert.match(r.stdout, new RegExp(`never executed: policies/count\\.ts:${debugLine} \\(generated/manifests/constrainttemplate-k8scontainercount\\.yaml:\\d+`));
    const countLine = positionOf(TS_CHECK, "report(`too many").line;
    assert.not.match(r.stdout, new RegExp(`policies/count\\.ts:${countLine}\\b`), "the covered branch is not listed");
    // Raw Rego: the second rule's head never succeeded, so its head row is listed at its template line.
    const template = readFileSync(path.join(dir, "generated/manifests/constrainttemplate-k8sneedsowner.yaml"), "utf8");
    const headLine = template.split("\n").findIndex((l, i, all) => l.includes('violation[{"msg": msg}] {') && all[i + 1]!.includes('== ""')) + 1;
    assert.ok(headLine > 0);
    assert.match(r.stdout, new RegExp(`never executed: generated/manifests/constrainttemplate-k8sneedsowner\\.yaml:${headLine}\\n`));
    assert.match(r.stdout, /Coverage of the emitted Rego by the test cases: \d+\.\d% \(\d+\/\d+ lines\)\n/);
    assert.match(r.stdout, /\n\d+ passed, 0 failed\n$/, "the summary stays the last line");
    const strict = await run(["test", "--coverage", "--threshold", "100"], dir);
    assert.is(strict.code, 1);
    assert.match(strict.stdout, /Code coverage threshold not met: got \d+\.\d\d instead of 100\.00\n/);
    assert.is((await run(["test", "--threshold", "10"], dir)).code, 0);

    // *_test.rego beside the checks run against the emitted Rego, as one more suite of the report.
    writeFileSync(
      path.join(dir, "policies/owner_test.rego"),
      'package k8sneedsowner_test\n\nimport data.k8sneedsowner\n\ntest_missing {\n\tcount(k8sneedsowner.violation) == 1 with input as {"review": {"object": {"metadata": {}}}}\n}\n\ntest_wrong {\n\tcount(k8sneedsowner.violation) == 2 with input as {"review": {"object": {"metadata": {}}}}\n}\n\ntodo_test_later {\n\tfalse\n}\n',
    );
    const withRego = await run(["test", "-v"], dir);
    assert.is(withRego.code, 1);
    assert.match(withRego.stdout, /FAIL {2}policies \(rego unit tests\) {2}1 passed, 1 failed, 1 skipped/);
    assert.match(withRego.stdout, /policies\/owner_test\.rego:9: FAIL/);
    assert.match(withRego.stdout, /\n\d+ passed, 1 failed, 1 skipped\n$/);
  } finally {
    removeProject(dir);
  }
});

test.run();
