// The build's PC6xxx project check maps manifest paths onto the field origins the front end
// records, for builder literals (`policies.x`) and for hand-written manifests (`spec.policies.x`).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkPolicyResources } from "../../src/emit/deckhouse/checks.js";
import type { ProjectIR, ResourceIR } from "../../src/ir/ir.js";

const span = (line: number) => ({ file: "policies/p.ts", line, col: 3 });
const object = {
  apiVersion: "deckhouse.io/v1alpha1",
  kind: "SecurityPolicy",
  metadata: { name: "p" },
  spec: { match: { labelSelector: { matchLabels: { a: "b" } } }, policies: { allowPrivilige: false } },
};

function project(resources: ResourceIR[]): ProjectIR {
  return { config: {} as ProjectIR["config"], checks: [], constraints: [], resources, files: [] };
}

const resource = (fields: Record<string, ReturnType<typeof span>>, o: object = object): ResourceIR => ({
  apiVersion: "deckhouse.io/v1alpha1",
  kind: "SecurityPolicy",
  name: "p",
  object: structuredClone(o) as Record<string, unknown>,
  schema: "deckhouse/securitypolicy.json",
  origin: span(1),
  fields,
});

test("builder literal: spec.policies.x is found at policies.x", () => {
  const d = checkPolicyResources(project([resource({ name: span(2), policies: span(3), "policies.allowPrivilige": span(4) })]));
  assert.equal(d.map((x) => [x.code, x.span?.line]), [["PC6001", 4]]);
});

test("manifest literal: spec.policies.x is found at spec.policies.x", () => {
  const d = checkPolicyResources(project([resource({ apiVersion: span(2), spec: span(5), "spec.policies": span(6), "spec.policies.allowPrivilige": span(7) })]));
  assert.equal(d.map((x) => [x.code, x.span?.line]), [["PC6001", 7]]);
});

test("a value not written literally falls back to its nearest written ancestor, then the call", () => {
  const d = checkPolicyResources(project([resource({ policies: span(9) })]));
  assert.equal(d.map((x) => x.span?.line), [9]);
  const none = checkPolicyResources(project([resource({})]));
  assert.equal(none.map((x) => x.span?.line), [1]);
});

test("valid objects and foreign kinds pass", () => {
  const good = { ...object, spec: { ...object.spec, policies: { allowPrivileged: false } } };
  assert.equal(checkPolicyResources(project([resource({}, good)])), []);
  const other: ResourceIR = { ...resource({}), apiVersion: "v1", kind: "ConfigMap", object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { a: 1 } } };
  assert.equal(checkPolicyResources(project([other])), []);
});

test.run();
