// The build's typed check of CEL (src/frontend/lower/cel.ts checkProjectCel): once the constraints
// are known, the CEL a check emits or carries is checked with `object` typed by the kinds its
// constraints match and the parameters by its schema; a field no matched kind has, or a
// parameter the schema does not declare, is PC7023 at the user's TypeScript line or property.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile } from "../../src/build/stages.js";
import { makeProject, positionOf, removeProject } from "../build/fixture.js";

async function errorsOf(files: Record<string, string>, hasCel = false) {
  const dir = makeProject(files);
  try {
    const r = await compile({ cwd: dir });
    if (hasCel) {
      const t = r.files?.find((f) => f.path.startsWith("manifests/constrainttemplate-"))?.object as { spec: { targets: { code?: { engine: string }[] }[] } } | undefined;
      assert.is(t?.spec.targets[0]!.code?.[0]?.engine, "K8sNativeValidation", "the check emits CEL");
    }
    return r.diagnostics.filter((d) => d.severity === "error");
  } finally {
    removeProject(dir);
  }
}

const constraint = (kinds: string) => `
export const k = defineConstraint(check, { name: "k", match: { kinds: ${kinds} }, parameters: { max: 2 } });
`;

test("a TypeScript body whose object type has a field the matched kind lacks: PC7023 at the report line, naming the kinds", async () => {
  const text = `import { defineCheck, defineConstraint } from "policyc";
interface MyPod { apiVersion: string; kind: string; spec?: { contaners?: { name: string }[] } }
export const check = defineCheck<{ max: number }, MyPod>({
  kind: "K8sFewContainers",
  description: "d",
  violation(review, params, report) {
    const n = review.object.spec?.contaners?.length ?? 0;
    if (n > params.max) report("too many containers");
  },
});
${constraint(`[{ apiGroups: [""], kinds: ["Pod"] }]`)}`;
  const errors = await errorsOf({ "policies/c.ts": text });
  assert.ok(errors.length > 0, "expected PC7023");
  for (const e of errors) {
    assert.is(e.code, "PC7023");
    assert.match(e.message, /undefined field 'contaners' in core\/v1\.PodSpec \(did you mean 'containers'\?\)/);
    assert.ok(e.span!.file.endsWith("policies/c.ts"));
    assert.ok(e.span!.line >= positionOf(text, "violation(").line && e.span!.line <= positionOf(text, 'report("too many').line, `line ${e.span!.line}`);
    assert.match(e.notes?.join("\n") ?? "", /kinds check K8sFewContainers's constraints match: core\/Pod/);
  }
  // The same body is fine where the field exists, and where the kind is one policyc has no schema of
  // (only `apiVersion`, `kind` and `metadata` are known there).
  const fixed = text.replace(/contaners/g, "containers");
  assert.equal(await errorsOf({ "policies/c.ts": fixed }, true), []);
  assert.equal(await errorsOf({ "policies/c.ts": text.replace(`apiGroups: [""], kinds: ["Pod"]`, `apiGroups: ["example.com"], kinds: ["Widget"]`) }), []);
});

test("a Pod-typed body constrained to Deployments reads fields a Deployment does not have", async () => {
  const text = `import { defineCheck, defineConstraint, type Pod } from "policyc";
export const check = defineCheck<{ max: number }, Pod>({
  kind: "K8sPriority",
  description: "d",
  violation(review, params, report) {
    if (review.object.spec?.priorityClassName === "system-cluster-critical") report("no");
  },
});
${constraint(`[{ apiGroups: ["apps"], kinds: ["Deployment"] }]`)}`;
  const errors = await errorsOf({ "policies/c.ts": text });
  assert.ok(errors.length > 0);
  assert.match(errors[0]!.message, /undefined field 'priorityClassName' in apps\/v1\.DeploymentSpec/);
  assert.is(errors[0]!.span!.line, positionOf(text, 'report("no")').line);
  // With Pods among the kinds the field exists in one of them: valid.
  assert.equal(await errorsOf({ "policies/c.ts": text.replace(`[{ apiGroups: ["apps"], kinds: ["Deployment"] }]`, `[{ apiGroups: ["apps"], kinds: ["Deployment"] }, { apiGroups: [""], kinds: ["Pod"] }]`) }), []);
});

test("podSpecOf over pods and workloads type-checks for any mix of matched kinds", async () => {
  const text = (kinds: string) => `import { defineCheck, defineConstraint, podSpecOf, type Workload } from "policyc";
export const check = defineCheck<{ max: number }, Workload>({
  kind: "K8sHostNet",
  description: "d",
  violation(review, params, report) {
    const spec = podSpecOf(review.object);
    if (spec?.hostNetwork === true) report("host network");
    for (const c of spec?.containers ?? []) if ((c.ports?.length ?? 0) > params.max) report("ports of " + c.name);
  },
});
${constraint(kinds)}`;
  for (const kinds of [
    `[{ apiGroups: [""], kinds: ["Pod"] }]`,
    `[{ apiGroups: ["apps"], kinds: ["Deployment", "StatefulSet"] }]`,
    `[{ apiGroups: ["batch"], kinds: ["CronJob", "Job"] }, { apiGroups: [""], kinds: ["Pod"] }]`,
  ]) {
    assert.equal(await errorsOf({ "policies/c.ts": text(kinds) }, true), [], kinds);
  }
});

test("written k8sNativeValidation: a parameter the schema lacks and a request field typo are PC7023 at the offending part", async () => {
  const text = (expression: string) => `import { defineCheck, defineConstraint, rego } from "policyc";
export const check = defineCheck<{ max: number }>({
  kind: "K8sWritten",
  description: "d",
  rego: rego\`package k8swritten
violation[{"msg": "no"}] { false }\`,
  k8sNativeValidation: {
    validations: [
      { expression: ${JSON.stringify(expression)}, message: "no" },
    ],
  },
});
${constraint(`[{ apiGroups: [""], kinds: ["Pod"] }]`)}`;
  assert.equal(await errorsOf({ "policies/c.ts": text(`size(variables.anyObject.spec.containers) <= variables.params.max || request.operation == "DELETE"`) }), []);
  for (const [bad, message, at] of [
    ["size(variables.anyObject.spec.containers) <= variables.params.maxx", /undefined field 'maxx' in parameters \(did you mean 'max'\?\)/, ".maxx"],
    ['request.operaton == "DELETE"', /undefined field 'operaton' in AdmissionRequest/, ".operaton"],
    ['variables.anyObject.spec.hostNetwork == "true"', /no matching overload for '_==_' applied to '\(bool, string\)'/, "=="],
    ["params.spec.parameters.max == 1 && params.spec.paramters.max == 1", /undefined field 'paramters' in constraint\.spec/, ".paramters"],
  ] as const) {
    const t = text(bad);
    const errors = await errorsOf({ "policies/c.ts": t });
    assert.is(errors.length, 1, `${bad}: ${JSON.stringify(errors)}`);
    assert.is(errors[0]!.code, "PC7023");
    assert.match(errors[0]!.message, message);
    assert.is(errors[0]!.span!.line, positionOf(t, `{ expression: ${JSON.stringify(bad)}`).line);
    // At the column of the offending part inside the string.
    assert.is(errors[0]!.span!.col, positionOf(t, JSON.stringify(bad)).col + 1 + bad.indexOf(at), bad);
  }
});

test.run();
