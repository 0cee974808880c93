/**
 * A `podSecurity` binding follows `security.deckhouse.io/pod-policy-action` as Deckhouse's PSS
 * constraints do: one constraint per action, the module default's selecting every namespace not
 * labelled with another action; `explain` shows which one applies.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile } from "../../src/build/stages.js";
import { explain } from "../../src/explain/explain.js";
import { selectorMatches } from "../../src/explain/match.js";
import { makeProject, removeProject, REGO } from "../build/fixture.js";

const policy = (extra = "") => `import { defineCheck, defineConstraint, rego } from "policyc";
const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "a" } };
export const c = defineCheck({ kind: "K8sAct", description: "d", rego: ${REGO}, tests: [{ name: "t", object: pod, violations: "no" }] });
export const bound = defineConstraint(c, { name: "bound", podSecurity: "restricted"${extra}, tests: [{ name: "u", object: pod, violations: "no" }] });
`;
const config = (action?: string) => `import { defineConfig } from "policyc";
export default defineConfig({ include: ["policies/**/*.ts"], podSecurity: { defaultPolicy: "Baseline"${action ? `, enforcementAction: "${action}"` : ""} } });
`;

async function constraints(src: string, cfg: string) {
  const dir = makeProject({ "policies/a.ts": src }, cfg);
  try {
    const built = await compile({ cwd: dir });
    assert.equal(built.diagnostics.filter((d) => d.severity === "error"), []);
    const objects = built.files!.filter((f) => f.path.startsWith("manifests/")).map((f) => f.object as Record<string, any>);
    return { ir: built.project!.constraints, objects };
  } finally {
    removeProject(dir);
  }
}

const restrictedWarn = { "security.deckhouse.io/pod-policy": "restricted", "security.deckhouse.io/pod-policy-action": "warn" };

test("pod-policy=restricted, pod-policy-action=warn warns instead of denying (constraints and explain)", async () => {
  const { ir, objects } = await constraints(policy(), config());
  assert.equal(ir.map((c) => [c.name, c.enforcementAction, c.tests.length]), [["bound", "deny", 1], ["bound-warn", "warn", 0], ["bound-dryrun", "dryrun", 0]]);
  const selecting = (labels: Record<string, string>) => ir.filter((c) => selectorMatches(c.match.namespaceSelector!, labels)).map((c) => c.enforcementAction);
  assert.equal(selecting(restrictedWarn), ["warn"]);
  assert.equal(selecting({ "security.deckhouse.io/pod-policy": "restricted" }), ["deny"]);
  assert.equal(selecting({ "security.deckhouse.io/pod-policy": "restricted", "security.deckhouse.io/pod-policy-action": "dryrun" }), ["dryrun"]);
  assert.equal(selecting({ "security.deckhouse.io/pod-policy": "baseline", "security.deckhouse.io/pod-policy-action": "warn" }), []);

  const shown = explain(objects, { namespace: "team", namespaceLabels: restrictedWarn, podLabels: {}, podSecurityDefault: "Baseline" });
  assert.equal(shown.constraints.map((c) => [c.name, c.enforcementAction]), [["bound-warn", "warn"]]);
  assert.is(shown.podSecurityStandard.action, "warn");
});

test("the module default action from the config owns the unlabelled namespaces; an explicit enforcementAction keeps one constraint", async () => {
  const warnDefault = await constraints(policy(), config("Warn"));
  assert.equal(warnDefault.ir.map((c) => [c.name, c.enforcementAction]), [["bound", "warn"], ["bound-deny", "deny"], ["bound-dryrun", "dryrun"]]);
  const unlabelled = { "security.deckhouse.io/pod-policy": "restricted" };
  assert.equal(warnDefault.ir.filter((c) => selectorMatches(c.match.namespaceSelector!, unlabelled)).map((c) => c.name), ["bound"]);
  const explicit = await constraints(policy(', enforcementAction: "dryrun"'), config());
  assert.equal(explicit.ir.map((c) => [c.name, c.enforcementAction]), [["bound", "dryrun"]]);
  assert.not.ok(JSON.stringify(explicit.ir[0]!.match).includes("pod-policy-action"));
});

test.run();
