// Assign and AssignMetadata as Gatekeeper applies them, case by case (facts from Gatekeeper's
// mutator tests — path tests, keyed lists, globs, created paths, list elements written whole —
// restated as data and run through policyc's one mutation system).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MutationError, MutationSystem } from "../../src/testing/gatekeeper/mutation/system.js";

const FOO = [{ groups: [""], kinds: ["Foo"], versions: ["v1"] }];
type PathTest = { subPath: string; condition: "MustExist" | "MustNotExist" };

function assignOn(spec: Record<string, unknown> | undefined, location: string, value: unknown, pathTests?: PathTest[]) {
  const s = new MutationSystem([
    {
      object: {
        apiVersion: "mutations.gatekeeper.sh/v1",
        kind: "Assign",
        metadata: { name: "foo" },
        spec: { applyTo: FOO, location, parameters: { assign: { value }, ...(pathTests ? { pathTests } : {}) } },
      },
    },
  ]);
  assert.equal(s.diagnostics, [], "the mutator is usable");
  const obj = { apiVersion: "v1", kind: "Foo", metadata: { name: "my-foo" }, ...(spec ? { spec } : {}) };
  return s.mutate(obj).object.spec;
}

const c = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra });
const secure = { securityPolicy: "so-secure" };
const made = { securityPolicy: "made-by-mutation" };

// [name, spec, location, value, pathTests, expected spec]
const cases: [string, Record<string, unknown>, string, unknown, PathTest[] | undefined, unknown][] = [
  ["no path test: the missing path is created", {}, "spec.please.greet.me", "hello", undefined, { please: { greet: { me: "hello" } } }],
  ["MustExist on a missing value: nothing changes", {}, "spec.please.greet.me", "hello", [{ subPath: "spec.please.greet.me", condition: "MustExist" }], {}],
  [
    "MustExist with part of the parent present: nothing changes",
    { please: { greet: {} } },
    "spec.please.greet.me",
    "hello",
    [{ subPath: "spec.please.greet.me", condition: "MustExist" }],
    { please: { greet: {} } },
  ],
  [
    "MustExist on an empty object: it exists, so it is replaced",
    { please: { greet: { me: {} } } },
    "spec.please.greet.me",
    "hello",
    [{ subPath: "spec.please.greet.me", condition: "MustExist" }],
    { please: { greet: { me: "hello" } } },
  ],
  [
    "MustExist on a string: replaced",
    { please: { greet: { me: "never" } } },
    "spec.please.greet.me",
    "hello",
    [{ subPath: "spec.please.greet.me", condition: "MustExist" }],
    { please: { greet: { me: "hello" } } },
  ],
  ["MustNotExist on a missing value: created", {}, "spec.please.greet.me", "hello", [{ subPath: "spec.please.greet.me", condition: "MustNotExist" }], { please: { greet: { me: "hello" } } }],
  [
    "MustNotExist with a partial parent: created",
    { please: { greet: {} } },
    "spec.please.greet.me",
    "hello",
    [{ subPath: "spec.please.greet.me", condition: "MustNotExist" }],
    { please: { greet: { me: "hello" } } },
  ],
  [
    "MustNotExist on an empty object: left alone",
    { please: { greet: { me: {} } } },
    "spec.please.greet.me",
    "hello",
    [{ subPath: "spec.please.greet.me", condition: "MustNotExist" }],
    { please: { greet: { me: {} } } },
  ],
  [
    "MustNotExist on a string: left alone",
    { please: { greet: { me: "never" } } },
    "spec.please.greet.me",
    "hello",
    [{ subPath: "spec.please.greet.me", condition: "MustNotExist" }],
    { please: { greet: { me: "never" } } },
  ],
  [
    "glob + MustNotExist: only the elements without the field get it",
    { containers: [c("c1", secure), c("c2")] },
    "spec.containers[name:*].securityPolicy",
    "made-by-mutation",
    [{ subPath: "spec.containers[name:*].securityPolicy", condition: "MustNotExist" }],
    { containers: [c("c1", secure), c("c2", made)] },
  ],
  [
    "glob + MustNotExist: every element without it",
    { containers: [c("c1"), c("c2")] },
    "spec.containers[name:*].securityPolicy",
    "made-by-mutation",
    [{ subPath: "spec.containers[name:*].securityPolicy", condition: "MustNotExist" }],
    { containers: [c("c1", made), c("c2", made)] },
  ],
  [
    "glob + MustExist: only the elements that have it",
    { containers: [c("c1", secure), c("c2")] },
    "spec.containers[name:*].securityPolicy",
    "made-by-mutation",
    [{ subPath: "spec.containers[name:*].securityPolicy", condition: "MustExist" }],
    { containers: [c("c1", made), c("c2")] },
  ],
  [
    "glob + MustExist: every element that has it",
    { containers: [c("c1", secure), c("c2", secure)] },
    "spec.containers[name:*].securityPolicy",
    "made-by-mutation",
    [{ subPath: "spec.containers[name:*].securityPolicy", condition: "MustExist" }],
    { containers: [c("c1", made), c("c2", made)] },
  ],
  [
    "a sidecar added whole when MustNotExist holds",
    { containers: [c("c1", secure), c("c2")] },
    "spec.containers[name:sidecar]",
    { name: "sidecar" },
    [{ subPath: "spec.containers[name:sidecar]", condition: "MustNotExist" }],
    { containers: [c("c1", secure), c("c2"), c("sidecar")] },
  ],
  [
    "an existing sidecar is not clobbered under MustNotExist",
    { containers: [c("c1", secure), c("c2"), c("sidecar", { not: "clobbered" })] },
    "spec.containers[name:sidecar]",
    { name: "sidecar" },
    [{ subPath: "spec.containers[name:sidecar]", condition: "MustNotExist" }],
    { containers: [c("c1", secure), c("c2"), c("sidecar", { not: "clobbered" })] },
  ],
  [
    "an existing element is replaced whole under MustExist",
    { containers: [c("c1", secure), c("c2"), c("sidecar", { clobbered: "no" })] },
    "spec.containers[name:sidecar]",
    { name: "sidecar", clobbered: "yes" },
    [{ subPath: "spec.containers[name:sidecar]", condition: "MustExist" }],
    { containers: [c("c1", secure), c("c2"), c("sidecar", { clobbered: "yes" })] },
  ],
  [
    "a missing element is not added under MustExist",
    { containers: [c("c1", secure), c("c2")] },
    "spec.containers[name:sidecar]",
    { name: "sidecar", clobbered: "yes" },
    [{ subPath: "spec.containers[name:sidecar]", condition: "MustExist" }],
    { containers: [c("c1", secure), c("c2")] },
  ],
  [
    "a field of an element that must exist",
    { containers: [c("c1", secure), c("c2", secure)] },
    "spec.containers[name:c2].securityPolicy",
    "made-by-mutation",
    [{ subPath: "spec.containers[name:c2]", condition: "MustExist" }],
    { containers: [c("c1", secure), c("c2", made)] },
  ],
  [
    "a field of an element that must not exist, which does: left alone",
    { containers: [c("c1", secure), c("c2", secure)] },
    "spec.containers[name:c2].securityPolicy",
    "made-by-mutation",
    [{ subPath: "spec.containers[name:c2]", condition: "MustNotExist" }],
    { containers: [c("c1", secure), c("c2", secure)] },
  ],
  [
    "a field of a missing element under MustExist on the field: nothing is created",
    { containers: [c("c1", secure), c("c2", secure)] },
    "spec.containers[name:sidecar].securityPolicy",
    "made-by-mutation",
    [{ subPath: "spec.containers[name:sidecar].securityPolicy", condition: "MustExist" }],
    { containers: [c("c1", secure), c("c2", secure)] },
  ],
  [
    "a field of a missing element under MustExist on the element: nothing is created",
    { containers: [c("c1", secure)] },
    "spec.containers[name:c2].securityPolicy",
    "made-by-mutation",
    [{ subPath: "spec.containers[name:c2]", condition: "MustExist" }],
    { containers: [c("c1", secure)] },
  ],
  [
    "a field of a missing element under MustNotExist: the element is created with its key",
    { containers: [c("c1", secure)] },
    "spec.containers[name:c2].securityPolicy",
    "made-by-mutation",
    [{ subPath: "spec.containers[name:c2]", condition: "MustNotExist" }],
    { containers: [c("c1", secure), c("c2", made)] },
  ],
  [
    "two tests, parent must exist and leaf must not: written",
    { please: { greet: {} } },
    "spec.please.greet.me",
    "hello",
    [
      { subPath: "spec.please.greet", condition: "MustExist" },
      { subPath: "spec.please.greet.me", condition: "MustNotExist" },
    ],
    { please: { greet: { me: "hello" } } },
  ],
  [
    "two tests, the leaf exists: left alone",
    { please: { greet: { me: "never" } } },
    "spec.please.greet.me",
    "hello",
    [
      { subPath: "spec.please.greet", condition: "MustExist" },
      { subPath: "spec.please.greet.me", condition: "MustNotExist" },
    ],
    { please: { greet: { me: "never" } } },
  ],
  [
    "two tests, the parent is missing: nothing, not even the parent, is created",
    { please: {} },
    "spec.please.greet.me",
    "hello",
    [
      { subPath: "spec.please.greet", condition: "MustExist" },
      { subPath: "spec.please.greet.me", condition: "MustNotExist" },
    ],
    { please: {} },
  ],
  ["no partial mutation when a test fails", { please: {} }, "spec.please.greet.me", "hello", [{ subPath: "spec.please.greet", condition: "MustExist" }], { please: {} }],
];

for (const [name, spec, location, value, pathTests, want] of cases) {
  test(`Assign: ${name}`, () => {
    assert.equal(assignOn(structuredClone(spec), location, value, pathTests), want);
  });
}

// A Pod of three containers with ports, as Gatekeeper's mutation-function tests use it.
const podSpec = () => ({
  containers: [
    { name: "testname1", image: "image", ports: [{ name: "portName1" }] },
    { name: "testname2", image: "image", ports: [{ name: "portName2A" }, { name: "portName2B" }] },
    { name: "testname3", image: "image", ports: [{ name: "portName3" }] },
  ],
});

test("Assign: nested keyed lists select one port of one container", () => {
  const out = assignOn(podSpec(), 'spec.containers["name": "testname2"].ports["name": "portName2B"].hostIP', "testValue") as ReturnType<typeof podSpec>;
  assert.equal(out.containers[1]!.ports, [{ name: "portName2A" }, { name: "portName2B", hostIP: "testValue" }]);
  assert.equal(out.containers[0]!.ports, [{ name: "portName1" }]);
  assert.equal(out.containers[2]!.ports, [{ name: "portName3" }]);
});

test("Assign: nested globs set the field in every port of every container", () => {
  const out = assignOn(podSpec(), 'spec.containers["name": *].ports["name": *].protocol', "TCP") as ReturnType<typeof podSpec>;
  assert.ok(out.containers.every((c) => c.ports.every((p) => (p as Record<string, unknown>).protocol === "TCP")));
});

test("Assign: an object written at a keyed element is appended when missing, replaces the element when present", () => {
  const added = assignOn(podSpec(), 'spec.containers["name": "notExists"]', { name: "notExists", foo: "foovalue" }) as ReturnType<typeof podSpec>;
  assert.equal(added.containers.map((c) => c.name), ["testname1", "testname2", "testname3", "notExists"]);
  assert.equal(added.containers[3], { name: "notExists", foo: "foovalue" });
  const replaced = assignOn(podSpec(), 'spec.containers["name": "testname1"]', { name: "testname1", foo: "bar" }) as ReturnType<typeof podSpec>;
  assert.equal(replaced.containers[0], { name: "testname1", foo: "bar" });
  assert.is(replaced.containers.length, 3);
});

test("Assign: a missing keyed list on the way is created with an element holding its key", () => {
  assert.equal(assignOn({}, 'spec.element["name": "value"].element2.added', "testValue"), { element: [{ name: "value", element2: { added: "testValue" } }] });
  assert.equal(assignOn(podSpec(), "spec.element.should.be.added", "x") as Record<string, unknown>, { ...podSpec(), element: { should: { be: { added: "x" } } } });
});

test("Assign: a location that treats a list as an object fails the mutation; a list element written with a non-object or another key is refused", () => {
  assert.throws(() => assignOn(podSpec(), "spec.containers.ports.protocol", "TCP"), (e: unknown) => e instanceof MutationError);
  const refused = (location: string, value: unknown) =>
    new MutationSystem([
      { object: { apiVersion: "mutations.gatekeeper.sh/v1", kind: "Assign", metadata: { name: "foo" }, spec: { applyTo: FOO, location, parameters: { assign: { value } } } } },
    ]).diagnostics.map((d) => d.code);
  assert.equal(refused('spec.containers["name": "notExists"]', "testValue"), ["PC4201"]);
  assert.equal(refused('spec.containers["name": "testname1"]', { name: "conflictingName", foo: "bar" }), ["PC4201"]);
  assert.equal(refused('spec.containers["name": "testname1"]', { name: "testname1", foo: "bar" }), []);
});

test("AssignMetadata adds a missing label and never changes an existing one", () => {
  const s = (location: string, value: string) =>
    new MutationSystem([{ object: { apiVersion: "mutations.gatekeeper.sh/v1", kind: "AssignMetadata", metadata: { name: "m" }, spec: { location, parameters: { assign: { value } } } } }]);
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "foo", labels: { a: "b" } } };
  assert.equal((s("metadata.labels.labelA", "testValue").mutate(pod).object.metadata as Record<string, unknown>).labels, { a: "b", labelA: "testValue" });
  assert.equal((s("metadata.labels.a", "testValue").mutate(pod).object.metadata as Record<string, unknown>).labels, { a: "b" });
  assert.equal((s("metadata.annotations.owner", "me").mutate(pod).object.metadata as Record<string, unknown>).annotations, { owner: "me" });
});

test("fromMetadata: AssignMetadata and Assign write the object's own name or namespace", () => {
  const meta = (location: string, field: string) =>
    new MutationSystem([
      { object: { apiVersion: "mutations.gatekeeper.sh/v1", kind: "AssignMetadata", metadata: { name: "m" }, spec: { location, parameters: { assign: { fromMetadata: { field } } } } } },
    ]);
  const foo = { apiVersion: "v1", kind: "Foo", metadata: { name: "my-foo", namespace: "team-a" }, spec: {} };
  assert.equal((meta("metadata.labels.foo", "name").mutate(foo).object.metadata as Record<string, unknown>).labels, { foo: "my-foo" });
  assert.equal((meta("metadata.annotations.ns", "namespace").mutate(foo).object.metadata as Record<string, unknown>).annotations, { ns: "team-a" });
  const a = new MutationSystem([
    {
      object: {
        apiVersion: "mutations.gatekeeper.sh/v1",
        kind: "Assign",
        metadata: { name: "a" },
        spec: { applyTo: FOO, location: "spec.owner", parameters: { assign: { fromMetadata: { field: "name" } } } },
      },
    },
  ]);
  assert.equal(a.mutate(foo).object.spec, { owner: "my-foo" });
});

test.run();
