// The repo's own examples ship a ValidatingAdmissionPolicy + Binding per constraint whose check has
// CEL (generated/, `validatingAdmissionPolicy: true` in policyc.config.ts). Each emitted policy is
// run here as the API server runs it — its matchConditions, variables and validations, `params`
// bound to the Constraint (schema defaults applied) — on every golden case of its check, and must
// give what the case's gator assertions (the CEL expectations) say.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import YAML from "yaml";
import { runPolicy } from "./vap-run.js";
import { parametersWithDefaults } from "../../src/testing/gatekeeper/parameters.js";
import { readTemplate } from "../../src/testing/gatekeeper/template.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const generated = path.join(root, "generated");
const readYaml = (file: string) => YAML.parse(readFileSync(file, "utf8")) as Record<string, any>;

interface Assertion {
  violations: number | "yes" | "no";
  message?: string;
}

/** gator's reading of an assertion: `violations` results whose message matches the regular expression `message`. */
function holds(a: Assertion, messages: string[]): boolean {
  const n = messages.filter((m) => a.message === undefined || new RegExp(a.message).test(m)).length;
  return a.violations === "yes" ? n > 0 : a.violations === "no" ? n === 0 : n === a.violations;
}

const policies = readdirSync(path.join(generated, "manifests")).filter((f) => f.startsWith("validatingadmissionpolicy-"));

test("the examples ship a policy and a binding per constraint of a check with CEL", () => {
  assert.ok(policies.length >= 8, `${policies.length} policies`);
  const kustomization = readYaml(path.join(generated, "manifests/kustomization.yaml"));
  for (const f of policies) {
    assert.ok(kustomization.resources.includes(f), `${f} in kustomization.yaml`);
    assert.ok(kustomization.resources.includes(f.replace("validatingadmissionpolicy-", "validatingadmissionpolicybinding-")), `binding of ${f}`);
  }
});

test("every emitted policy decides every golden case of its check as the case's CEL assertions say", () => {
  let cases = 0;
  const kinds = new Set<string>();
  for (const f of policies) {
    const policy = readYaml(path.join(generated, "manifests", f));
    const kind = policy.spec.paramKind.kind as string;
    if (kinds.has(kind)) continue; // one run per check: the constraints of a check share its policy's expressions
    kinds.add(kind);
    const dir = path.join(generated, "tests", kind.toLowerCase());
    const suite = readYaml(path.join(dir, "suite.yaml"));
    for (const t of suite.tests as Record<string, any>[]) {
      const template = readTemplate(readYaml(path.resolve(dir, t.template)) as never);
      const constraint = readYaml(path.resolve(dir, t.constraint));
      const stored = { ...constraint, spec: { ...constraint.spec, parameters: parametersWithDefaults(constraint.spec?.parameters, template.schema) } };
      for (const c of t.cases as Record<string, any>[]) {
        const object = readYaml(path.resolve(dir, c.object));
        const [group, version] = String(object.apiVersion).includes("/") ? String(object.apiVersion).split("/") : ["", object.apiVersion];
        const request = { kind: { group, version, kind: object.kind }, operation: "CREATE", name: object.metadata?.name, namespace: object.metadata?.namespace ?? "default", object };
        const run = runPolicy(policy, request, stored);
        const messages = run === "not matched" ? [] : run;
        for (const a of c.assertions as Assertion[]) assert.ok(holds(a, messages), `${f} on ${t.name}/${c.name}: ${JSON.stringify(a)} against ${JSON.stringify(messages)}`);
        cases++;
      }
    }
  }
  assert.ok(cases >= 20, `${cases} cases`);
  console.log(`  emitted ValidatingAdmissionPolicies: ${kinds.size} checks, ${cases} golden cases agree`);
});

test.run();
