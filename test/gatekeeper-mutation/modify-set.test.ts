// ModifySet as Gatekeeper applies it (facts from its setter tests, restated): merge appends the
// values a list lacks, in order; prune removes them, keeping the order of the rest; members may be
// any JSON value, compared deeply; a field that is not a list fails the mutation.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MutationError, MutationSystem } from "../../src/testing/gatekeeper/mutation/system.js";

function modifySet(operation: "merge" | "prune", fromList: unknown[] | undefined, existing: unknown) {
  const s = new MutationSystem([
    {
      object: {
        apiVersion: "mutations.gatekeeper.sh/v1",
        kind: "ModifySet",
        metadata: { name: "set" },
        spec: {
          applyTo: [{ groups: [""], kinds: ["Foo"], versions: ["v1"] }],
          location: "spec.field",
          parameters: { operation, values: fromList === undefined ? {} : { fromList } },
        },
      },
    },
  ]);
  assert.equal(s.diagnostics.filter((d) => d.severity === "error"), []);
  const obj = { apiVersion: "v1", kind: "Foo", metadata: { name: "f" }, spec: existing === undefined ? {} : { field: existing } };
  return (s.mutate(obj).object.spec as { field?: unknown }).field;
}

const nested = [
  ["a", "b", "d"],
  ["r", "r", "r"],
];

const merges: [string, unknown[] | undefined, unknown, unknown][] = [
  ["no values", [], ["a", "b", "c"], ["a", "b", "c"]],
  ["values absent", undefined, ["a", "b", "c"], ["a", "b", "c"]],
  ["values all present", ["a", "b"], ["a", "b", "c"], ["a", "b", "c"]],
  ["some values new: appended in order", ["a", "b", "d"], ["a", "b", "c"], ["a", "b", "c", "d"]],
  ["no list yet: created", ["a", "b", "d"], undefined, ["a", "b", "d"]],
  ["an empty list", ["a", "b", "d"], [], ["a", "b", "d"]],
  ["lists as members, compared deeply", [["a", "b", "d"], ["z", "y", "q"]], nested, [...nested, ["z", "y", "q"]]],
  ["objects as members, compared deeply", [{ k: 1 }, { k: 2 }], [{ k: 1 }], [{ k: 1 }, { k: 2 }]],
];
for (const [name, values, existing, want] of merges) {
  test(`merge: ${name}`, () => assert.equal(modifySet("merge", values, structuredClone(existing)), want));
}

const prunes: [string, unknown[] | undefined, unknown, unknown][] = [
  ["no values", [], ["a", "b", "c"], ["a", "b", "c"]],
  ["values absent", undefined, ["a", "b", "c"], ["a", "b", "c"]],
  ["values present: removed", ["a", "b"], ["a", "b", "c"], ["c"]],
  ["values partly present", ["a", "b", "d"], ["a", "b", "c"], ["c"]],
  ["an empty list stays empty", ["a", "b", "d"], [], []],
  ["lists as members, compared deeply", [["a", "b", "d"], ["z", "y", "q"]], nested, [["r", "r", "r"]]],
  ["every occurrence, order kept", ["x"], ["x", "a", "x", "b"], ["a", "b"]],
];
for (const [name, values, existing, want] of prunes) {
  test(`prune: ${name}`, () => assert.equal(modifySet("prune", values, structuredClone(existing)), want));
}

test("a field that is not a list fails the mutation, for merge and prune", () => {
  for (const op of ["merge", "prune"] as const) {
    assert.throws(() => modifySet(op, ["a"], 7), (e: unknown) => e instanceof MutationError, op);
    assert.throws(() => modifySet(op, ["a"], { a: 1 }), (e: unknown) => e instanceof MutationError, op);
    assert.throws(() => modifySet(op, ["a"], "a"), (e: unknown) => e instanceof MutationError, op);
  }
});

test.run();
