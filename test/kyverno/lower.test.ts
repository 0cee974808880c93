// kyvernoPolicy() declarations through the lowering and the post-lowering step, without a build.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { finishKyverno, lowerKyvernoPolicy } from "../../src/emit/kyverno/lower.js";
import type { Diagnostic } from "../../src/diagnostics/index.js";
import type { ConfigIR, ProjectIR } from "../../src/ir/ir.js";

const config = { file: "policyc.config.ts", exemptNamespaces: ["kube-system", "d8-*"], kyverno: { exceptionNamespace: "kyverno", policyDirs: [], resourceFilters: false } } as unknown as ConfigIR;

function run(decls: object[]) {
  const project: ProjectIR = { config, checks: [], constraints: [], resources: [], files: [] };
  const diagnostics: Diagnostic[] = [];
  const ctx = { root: "/nonexistent", config, project, report: (d: Diagnostic) => diagnostics.push(d) };
  decls.forEach((policy, i) => lowerKyvernoPolicy({ policy } as never, ctx, { origin: { file: "policies/k.ts", line: i + 1, col: 1 }, fields: {} }));
  finishKyverno(ctx);
  return { project, diagnostics };
}

test("declared policies become one exception each, merged by name, sorted", () => {
  const { project, diagnostics } = run([
    { name: "b", rules: ["r1"] },
    { name: "a", rules: [{ name: "svc", kinds: ["Service"] }], autogenControllers: "none" },
    { name: "b", rules: ["r2", "r1"] },
    { name: "limits", kind: "Policy", namespace: "team", rules: ["cpu"] },
  ]);
  assert.equal(diagnostics, []);
  assert.equal(project.resources.map((r) => r.name), ["a-system-namespaces", "b-system-namespaces", "team-limits-system-namespaces"]);
  const b = project.resources[1]!.object as any;
  assert.equal(b.spec.exceptions[0].ruleNames, ["r1", "autogen-r1", "autogen-cronjob-r1", "r2", "autogen-r2", "autogen-cronjob-r2"]);
  assert.equal((project.resources[0]!.object as any).spec.exceptions[0].ruleNames, ["svc"]);
  assert.is(project.resources[2]!.origin.line, 4);
  assert.ok(project.resources.every((r) => r.schema === "kyverno/policyexception.json" && r.namespace === "kyverno"));
});

test("no rules, or a Policy without namespace, is reported at the declaration", () => {
  const { project, diagnostics } = run([{ name: "x", rules: [] }, { name: "y", kind: "Policy", rules: ["r"] }]);
  assert.equal(diagnostics.map((d) => [d.code, d.span?.line]), [["PC6031", 1], ["PC6003", 2]]);
  assert.equal(project.resources, []);
});

test.run();
