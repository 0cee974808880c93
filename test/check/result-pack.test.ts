// Results as worker threads send them (packed): what the main thread unpacks is what was packed,
// every optional field included, and constraint names are shared across a run's batches.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { packResults, unpackResults, type SharedNames } from "../../src/testing/check/result-pack.js";
import type { ObjectResult } from "../../src/testing/check/evaluate.js";

const violation = (kind: string, name: string, msg: string, extra: object = {}) => ({ constraint: { kind, name }, action: "deny" as const, enforcementAction: "deny", msg, details: undefined, ...extra });

function results(): ObjectResult[] {
  return [
    {
      origin: { file: "app.yaml", line: 3, col: 1, document: 2 },
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "web",
      namespace: "team",
      status: "fail",
      matched: 2,
      matchedConstraints: ["K8sA/a", "K8sB/b"],
      violations: [
        violation("K8sA", "a", "[Implied by expand] container <c> is privileged", { expansion: { template: "expand", kind: "Pod" } }),
        { ...violation("K8sB", "b", "scoped"), action: "warn", enforcementAction: "scoped", details: { missing: ["x"], n: 1.5 }, scopedActions: ["warn", "dryrun"] },
      ],
      diagnostics: [],
      reviewed: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "team", labels: { a: "b" } } },
      mutatedBy: ["Assign/pull-always"],
    },
    {
      origin: { file: "-", line: 40, col: 3, endLine: 41, endCol: 7, source: "chart/templates/svc.yaml" },
      apiVersion: "v1",
      kind: "Service",
      name: "",
      namespace: "",
      status: "error",
      matched: 0,
      matchedConstraints: [],
      violations: [],
      diagnostics: [{ code: "PC4101", severity: "error", message: "unknown namespace", span: { file: "-", line: 40, col: 3 } }] as never,
    },
    {
      origin: { file: "app.yaml", line: 9, col: 1 },
      apiVersion: "v1",
      kind: "ConfigMap",
      name: "cfg",
      namespace: "team",
      status: "fail",
      matched: 1,
      matchedConstraints: ["K8sA/a"],
      violations: [violation("K8sA", "a", "again: a")],
      diagnostics: [],
    },
  ];
}

test("what is unpacked is what was packed, optional fields absent where they were", () => {
  const batch = { results: results(), diagnostics: [{ code: "PC4100", severity: "error", message: "bad YAML", span: { file: "app.yaml", line: 20, col: 1 } }] as never[] };
  const shared: SharedNames = { ids: new Map(), constraints: new Map() };
  const out = unpackResults(structuredClone(packResults(batch)), shared);
  assert.equal(out, batch);
  assert.not.ok("reviewed" in out.results[2]!);
  assert.not.ok("document" in out.results[1]!.origin);
  assert.not.ok("expansion" in out.results[2]!.violations[0]!);
  assert.not.ok("scopedActions" in out.results[0]!.violations[0]!);
});

test("a run's batches share one constraint object and one name string per constraint", () => {
  const shared: SharedNames = { ids: new Map(), constraints: new Map() };
  const a = unpackResults(structuredClone(packResults({ results: results(), diagnostics: [] })), shared);
  const b = unpackResults(structuredClone(packResults({ results: results(), diagnostics: [] })), shared);
  assert.ok(a.results[0]!.violations[0]!.constraint === b.results[2]!.violations[0]!.constraint);
  assert.ok(a.results[0]!.violations[0]!.constraint !== a.results[0]!.violations[1]!.constraint);
  assert.is(shared.constraints.size, 2);
  assert.equal([...shared.ids.keys()], ["K8sA/a", "K8sB/b"]);
});

test.run();
