import { test } from "uvu";
import * as assert from "uvu/assert";
import { verify } from "../../src/testing/verify.js";
import { countResults } from "../../src/testing/run/results.js";
import { renderPretty } from "../../src/testing/report/pretty.js";
import { podYaml, tempTree } from "../verify/fixtures.js";
import { twoEngineTemplateYaml } from "../check/policy-yaml.js";

/** A template with both engines; `cel` is the validation's expression (a mis-compile is a wrong one). */
const template = (cel: string) =>
  twoEngineTemplateYaml(
    "K8sNoLatest",
    { expression: cel, messageExpression: "'images use the latest tag: ' + object.spec.containers.filter(c, c.image.endsWith(':latest')).map(c, c.name).join(', ')" },
    `package k8snolatest
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  endswith(c.image, ":latest")
  msg := sprintf("container <%v> uses the latest tag", [c.name])
}`,
  );

const suite = `apiVersion: test.gatekeeper.sh/v1alpha1
kind: Suite
tests:
- name: latest
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: pinned
    object: pinned.yaml
    assertions:
    - violations: no
  - name: latest
    object: latest.yaml
    assertions:
    - violations: 1
      message: "images use the latest tag: c"
    regoAssertions:
    - violations: 1
      message: "container <c> uses the latest tag"
    - violations: 0
      message: "images use"
`;

const files = (cel: string) =>
  tempTree({
    "template.yaml": template(cel),
    "constraint.yaml": "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sNoLatest\nmetadata: {name: all}\nspec: {}\n",
    "pinned.yaml": podYaml("p", "nginx:1.25"),
    "latest.yaml": podYaml("l", "nginx:latest"),
    "suite.yaml": suite,
  });

test("a template with both engines: every case runs on Rego and CEL; assertions hold on CEL, regoAssertions on Rego; the report says so", async () => {
  const t = files("object.spec.containers.all(c, !c.image.endsWith(':latest'))");
  try {
    const run = await verify([t.dir], { cwd: t.dir, bothEngines: true });
    assert.equal(countResults(run), { passed: 2, failed: 0, skipped: 0 }, JSON.stringify(run.suites[0]?.tests[0]?.cases.map((c) => c.reasons)));
    const latest = run.suites[0]!.tests[0]!.cases[1]!;
    assert.equal(latest.violations!.map((v) => v.msg), ["container <c> uses the latest tag"]);
    assert.equal(latest.engines, { K8sNativeValidation: ["images use the latest tag: c"] });
    assert.match(renderPretty(run), /2 passed, 2 on Rego and CEL/);
    // Without the option (gator verify without the CEL driver), only the Rego runs, with regoAssertions.
    const gator = await verify([t.dir], { cwd: t.dir });
    assert.equal(countResults(gator), { passed: 2, failed: 0, skipped: 0 });
    assert.is(gator.suites[0]!.tests[0]!.cases[1]!.engines, undefined);
  } finally {
    t.cleanup();
  }
});

test("a mis-compiled CEL (that admits the latest tag) fails the case, naming the engine", async () => {
  const t = files("object.spec.containers.all(c, !c.image.endsWith(':v1'))");
  try {
    const run = await verify([t.dir], { cwd: t.dir, bothEngines: true });
    assert.equal(countResults(run), { passed: 1, failed: 1, skipped: 0 });
    const reasons = run.suites[0]!.tests[0]!.cases[1]!.reasons;
    assert.ok(reasons.length === 1 && reasons[0]!.startsWith("CEL (K8sNativeValidation): "), reasons.join("\n"));
    assert.match(reasons[0]!, /got 0 violations containing "images use the latest tag: c" but want exactly 1/);
  } finally {
    t.cleanup();
  }
});

test("CEL's params is the Constraint object (name, enforcement action, parameters), as Gatekeeper's driver binds it", async () => {
  const t = files("object.spec.containers.all(c, !c.image.endsWith(':latest'))");
  try {
    const { readFileSync, writeFileSync } = await import("node:fs");
    const at = (f: string) => `${t.dir}/${f}`;
    writeFileSync(at("template.yaml"), readFileSync(at("template.yaml"), "utf8").replace("\"'images use the latest tag: ' + ", "\"params.metadata.name + '/' + params.spec.enforcementAction + ': images use the latest tag: ' + "));
    writeFileSync(at("suite.yaml"), readFileSync(at("suite.yaml"), "utf8").replace('message: "images use the latest tag: c"', 'message: "all/deny: images use the latest tag: c"'));
    writeFileSync(at("constraint.yaml"), "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sNoLatest\nmetadata: {name: all}\nspec: {enforcementAction: deny}\n");
    const run = await verify([t.dir], { cwd: t.dir, bothEngines: true });
    assert.equal(countResults(run), { passed: 2, failed: 0, skipped: 0 }, JSON.stringify(run.suites[0]?.tests[0]?.cases.map((c) => c.reasons)));
    assert.equal(run.suites[0]!.tests[0]!.cases[1]!.engines, { K8sNativeValidation: ["all/deny: images use the latest tag: c"] });
  } finally {
    t.cleanup();
  }
});

test.run();
