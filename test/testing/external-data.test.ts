// Gatekeeper's external_data: templates that call it compile; DSL test cases and gator suites mock
// providers in the shape of Gatekeeper's response; a call without a mock is PC4036, not a result.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { compile } from "../../src/build/stages.js";
import { writeOutput } from "../../src/build/write.js";
import { projectTest } from "../../src/testing/project-test.js";
import { verify } from "../../src/testing/verify.js";
import { countResults, type RunResult } from "../../src/testing/run/results.js";
import { mockedAnswer } from "../../src/testing/gatekeeper/external-data.js";
import { makeProject, removeProject } from "../build/fixture.js";

const REGO = `package k8ssignedimages

violation[{"msg": msg}] {
  images := [c.image | c := input.review.object.spec.containers[_]]
  response := external_data({"provider": "ratify", "keys": images})
  response.system_error != ""
  msg := sprintf("provider error: %v", [response.system_error])
}

violation[{"msg": msg}] {
  images := [c.image | c := input.review.object.spec.containers[_]]
  response := external_data({"provider": "ratify", "keys": images})
  [image, err] := response.errors[_]
  msg := sprintf("image <%v> could not be verified: %v", [image, err])
}

violation[{"msg": msg}] {
  images := [c.image | c := input.review.object.spec.containers[_]]
  response := external_data({"provider": "ratify", "keys": images})
  [image, result] := response.responses[_]
  not result.signed
  msg := sprintf("image <%v> is not signed", [image])
}
`;

const policy = (tests: string) => `import { defineCheck, rego } from "policyc";

const pod = (...images: string[]) => ({
  apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" },
  spec: { containers: images.map((image, i) => ({ name: "c" + i, image })) },
});
const ratify = {
  responses: [["good:1", { signed: true }], ["bad:1", { signed: false }]] as [string, unknown][],
  errors: [["broken:1", "no signature found"]] as [string, string][],
};

export const signed = defineCheck({
  kind: "K8sSignedImages",
  description: "Images must be signed.",
  rego: rego\`${REGO}\`,
  tests: ${tests},
});
`;

function reasonsOf(run: RunResult): string[] {
  return run.suites.flatMap((s) => s.tests.flatMap((t) => [...t.reasons, ...t.cases.flatMap((c) => c.reasons)]));
}

test("the mocked answer holds the mocked entries for the keys asked, in their order, with defaults", () => {
  const mock = { responses: [["a", 1], ["b", 2]] as [string, unknown][], errors: [["c", "boom"]] as [string, string][] };
  assert.equal(mockedAnswer(mock, ["b", "z", "c", "a", "b"]), { responses: [["b", 2], ["a", 1]], errors: [["c", "boom"]], status_code: 200, system_error: "" });
  assert.equal(mockedAnswer({ status_code: 500, system_error: "down" }, ["a"]), { responses: [], errors: [], status_code: 500, system_error: "down" });
});

test("DSL test cases mock external data providers; the suite carries the mocks and policyc test passes", async () => {
  const tests = `[
    { name: "signed", object: pod("good:1"), externalData: { ratify }, violations: "no" },
    { name: "unsigned and broken", object: pod("bad:1", "broken:1", "good:1"), externalData: { ratify }, violations: 2,
      messages: ["image <bad:1> is not signed", "image <broken:1> could not be verified: no signature found"] },
    { name: "provider down", object: pod("good:1"), externalData: { ratify: { status_code: 503, system_error: "ratify is down" } }, violations: 1,
      messages: ["provider error: ratify is down"] },
  ]`;
  const dir = makeProject({ "policies/signed.ts": policy(tests) });
  try {
    const built = await compile({ cwd: dir });
    assert.equal(built.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`), []);
    assert.equal(await writeOutput(built.outDir!, built.files!), []);
    const suite = parse(readFileSync(path.join(built.outDir!, "tests/k8ssignedimages/suite.yaml"), "utf8"));
    assert.equal(suite.tests[0].cases[2].externalData, { ratify: { status_code: 503, system_error: "ratify is down" } });
    const run = await projectTest({ cwd: dir, update: true });
    assert.equal(countResults(run), { passed: 3, failed: 0, skipped: 0 }, reasonsOf(run).join("\n"));
  } finally {
    removeProject(dir);
  }
});

test("a case without a mock for a provider the template calls fails with PC4036 naming the provider and the fix", async () => {
  const tests = `[
    { name: "no mock", object: pod("good:1"), violations: "no" },
    { name: "other provider", object: pod("good:1"), externalData: { cosign: {} }, violations: "no" },
  ]`;
  const dir = makeProject({ "policies/signed.ts": policy(tests) });
  try {
    const built = await compile({ cwd: dir });
    assert.equal(built.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), [], "templates calling external_data compile");
    assert.equal(await writeOutput(built.outDir!, built.files!), []);
    const run = await projectTest({ cwd: dir, update: true });
    const cases = run.suites[0]!.tests[0]!.cases;
    assert.equal(cases.map((c) => c.status), ["fail", "fail"]);
    for (const c of cases) {
      const unmocked = c.diagnostics.find((d) => d.code === "PC4036");
      assert.ok(unmocked, JSON.stringify(c.diagnostics));
      assert.match(unmocked!.message, /calls external_data for provider "ratify", which case '.*' does not mock; .*externalData: \{"ratify": \{responses/);
      // The failing case is also reported at its line in the policy file.
      assert.ok(c.diagnostics.some((d) => d.code === "PC4041" && /signed\.ts$/.test(d.span?.file ?? "")), JSON.stringify(c.diagnostics));
    }
  } finally {
    removeProject(dir);
  }
});

test("bad DSL mocks are PC1008 at the provider", async () => {
  const tests = `[
    { name: "bad pairs", object: pod("good:1"), externalData: { ratify: { responses: ["good:1"] as never } }, violations: "no" },
    { name: "bad field", object: pod("good:1"), externalData: { ratify: { statusCode: 200 } as never }, violations: "no" },
  ]`;
  const dir = makeProject({ "policies/signed.ts": policy(tests) });
  try {
    const built = await compile({ cwd: dir });
    const ds = built.diagnostics.filter((d) => d.code === "PC1008").map((d) => d.message);
    assert.equal(ds.length, 2, ds.join("\n"));
    assert.match(ds[0]!, /externalData\.ratify\.responses must be a list of \[key, value\] pairs/);
    assert.match(ds[1]!, /externalData\.ratify\.statusCode is not a field of an external data response/);
  } finally {
    removeProject(dir);
  }
});

test("gator suites give mocks under a case's externalData; a bad one is PC4035 at the provider", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-ed-"));
  try {
    const template = {
      apiVersion: "templates.gatekeeper.sh/v1",
      kind: "ConstraintTemplate",
      metadata: { name: "k8ssignedimages" },
      spec: { crd: { spec: { names: { kind: "K8sSignedImages" } } }, targets: [{ target: "admission.k8s.gatekeeper.sh", rego: REGO }] },
    };
    writeFileSync(path.join(dir, "template.yaml"), JSON.stringify(template));
    writeFileSync(path.join(dir, "constraint.yaml"), JSON.stringify({ apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "K8sSignedImages", metadata: { name: "signed" } }));
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "a", image: "bad:1" }] } };
    writeFileSync(path.join(dir, "pod.yaml"), JSON.stringify(pod));
    writeFileSync(
      path.join(dir, "suite.yaml"),
      `apiVersion: test.gatekeeper.sh/v1alpha1
kind: Suite
tests:
- name: signed
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: unsigned
    object: pod.yaml
    externalData:
      ratify:
        responses: [["bad:1", {signed: false}]]
    assertions: [{violations: 1, message: "bad:1> is not signed"}]
  - name: unmocked
    object: pod.yaml
    assertions: [{violations: no}]
  - name: malformed
    object: pod.yaml
    externalData:
      ratify: {errors: [["bad:1", 42]]}
    assertions: [{violations: no}]
`,
    );
    const run = await verify([dir], { cwd: dir });
    const cases = run.suites[0]!.tests[0]!.cases;
    assert.equal(cases.map((c) => [c.name, c.status, c.diagnostics.map((d) => d.code)]), [
      ["unsigned", "pass", []],
      ["unmocked", "fail", ["PC4036"]],
      ["malformed", "fail", ["PC4035"]],
    ]);
    assert.equal(cases[2]!.diagnostics[0]!.span?.line, 20, "at the provider");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
