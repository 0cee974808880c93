import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { compile } from "../../src/build/stages.js";
import { writeOutput } from "../../src/build/write.js";
import { projectTest } from "../../src/testing/project-test.js";
import { countResults } from "../../src/testing/run/results.js";
import { makeProject, removeProject } from "../build/fixture.js";

const policy = `import { defineCheck, defineConstraint, rego } from "policyc";

export const noRetag = defineCheck<{ teams: string[] }>({
  kind: "K8sNoRetag",
  description: "Images may not change on update unless the user is in an allowed team; one Service per selector.",
  rego: rego\`
    package k8snoretag

    violation[{"msg": msg}] {
      input.review.operation == "UPDATE"
      old := input.review.oldObject.spec.containers[_]
      new := input.review.object.spec.containers[_]
      old.name == new.name
      old.image != new.image
      not allowed_user
      msg := sprintf("user <%v> may not change the image of <%v>", [input.review.userInfo.username, new.name])
    }

    allowed_user {
      input.review.userInfo.groups[_] == input.parameters.teams[_]
    }

    violation[{"msg": msg}] {
      input.review.kind.kind == "Service"
      other := data.inventory.namespace[input.review.namespace]["v1"]["Service"][name]
      name != input.review.name
      other.spec.selector == input.review.object.spec.selector
      msg := sprintf("Service <%v> has the same selector as <%v>", [input.review.name, name])
    }
  \`,
  tests: [
    {
      name: "retag by outsider",
      parameters: { teams: ["platform"] },
      operation: "UPDATE",
      userInfo: { username: "eve", groups: ["dev"] },
      oldObject: "./samples/pod-v1.yaml",
      object: pod("app:2"),
      violations: 1,
      messages: [/^user <eve> may not change the image of <app>$/, "image of <app>"],
    },
    {
      name: "retag by platform team",
      parameters: { teams: ["platform"] },
      operation: "UPDATE",
      userInfo: { username: "pat", groups: ["platform"] },
      oldObject: pod("app:1"),
      object: pod("app:2"),
      violations: "no",
    },
    {
      name: "create is not a retag",
      parameters: { teams: ["platform"] },
      object: pod("app:2"),
      violations: "no",
    },
    {
      name: "duplicate selector",
      parameters: { teams: [] },
      object: service("b"),
      inventory: ["./samples/services.yaml", service("c", { app: "other" })],
      violations: 1,
      messages: [/same selector as <a>/i],
    },
  ],
});

export const noRetagProd = defineConstraint(noRetag, {
  name: "no-retag-prod",
  parameters: { teams: ["platform"] },
  match: { namespaces: ["prod"], namespaceSelector: { matchLabels: { tier: "prod" } } },
  tests: [
    { name: "prod service duplicate", object: service("b"), inventory: ["./samples/services.yaml"], violations: 1 },
    { name: "other namespace", object: { ...service("b"), metadata: { name: "b", namespace: "dev" } }, violations: "no" },
  ],
});

function pod(image: string) {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "prod" }, spec: { containers: [{ name: "app", image }] } };
}
function service(name: string, selector: Record<string, string> = { app: "web" }) {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace: "prod" }, spec: { selector } };
}
`;

const podV1 = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: prod}
spec:
  containers:
    - {name: app, image: "app:1"}
`;
const services = `apiVersion: v1
kind: Service
metadata: {name: a, namespace: prod}
spec: {selector: {app: web}}
---
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {tier: prod}}
`;

test("DSL test cases with inventory, AdmissionReviews and RegExp messages build and pass policyc test", async () => {
  const dir = makeProject({ "policies/noretag.ts": policy, "policies/samples/pod-v1.yaml": podV1, "policies/samples/services.yaml": services });
  try {
    const built = await compile({ cwd: dir });
    assert.equal(built.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.span?.file}:${d.span?.line} ${d.message}`), []);
    assert.equal(await writeOutput(built.outDir!, built.files!), []);
    const suite = parse(readFileSync(path.join(built.outDir!, "tests/k8snoretag/suite.yaml"), "utf8"));
    const retag = suite.tests[0].cases[0];
    assert.equal(retag.assertions, [
      { violations: 1 },
      { violations: "yes", message: "^user <eve> may not change the image of <app>$" },
      { violations: "yes", message: "image of <app>" },
    ]);
    assert.equal(suite.tests[1].cases[0].assertions[1], { violations: "yes", message: "(?i)same selector as <a>" });
    const review = parse(readFileSync(path.join(built.outDir!, "tests/k8snoretag", retag.object), "utf8"));
    assert.equal([review.kind, review.request.operation, review.request.oldObject.spec.containers[0].image], ["AdmissionReview", "UPDATE", "app:1"]);
    const run = await projectTest({ cwd: dir, update: true });
    const reasons = run.suites.flatMap((s) => s.tests.flatMap((t) => [...t.reasons, ...t.cases.flatMap((c) => c.reasons)]));
    assert.equal(countResults(run), { passed: 6, failed: 0, skipped: 0 }, reasons.join("\n"));
    const again = await projectTest({ cwd: dir });
    assert.equal(countResults(again), { passed: 6, failed: 0, skipped: 0 });
  } finally {
    removeProject(dir);
  }
});

test("bad DSL test cases get PC1008 at the field: operation, inventory file, non-RE2 RegExp", async () => {
  const bad = `import { defineCheck, rego } from "policyc";
const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "a" } };
export const c = defineCheck({
  kind: "K8sBad",
  description: "d",
  rego: rego\`package k8sbad
violation[{"msg": "x"}] { false }\`,
  tests: [
    { name: "op", object: pod, operation: "PATCH" as never, violations: "no" },
    { name: "inv", object: pod, inventory: ["./missing.yaml"], violations: "no" },
    { name: "re", object: pod, messages: [/(?<=a)b/], violations: "yes" },
  ],
});
`;
  const dir = makeProject({ "policies/bad.ts": bad });
  try {
    const built = await compile({ cwd: dir });
    const ds = built.diagnostics.filter((d) => d.code === "PC1008").map((d) => `${d.span?.line}: ${d.message}`);
    assert.equal(ds.length, 3, ds.join("\n"));
    assert.match(ds[0]!, /^9: .*`operation` must be CREATE, UPDATE, DELETE or CONNECT/);
    assert.match(ds[1]!, /^10: .*cannot read \.\/missing\.yaml/);
    assert.match(ds[2]!, /^11: .*not an RE2 regular expression/);
  } finally {
    removeProject(dir);
  }
});

test.run();
