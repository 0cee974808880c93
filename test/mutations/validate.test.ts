// Mutators: the DSL examples validate against the upstream CRDs; bad mutators get PC602x
// diagnostics at the line of the offending property in the user's file.
import { test } from "uvu";
import * as assert from "uvu/assert";
import path from "node:path";
import { projectRoot, requireShared } from "../support/shared.js";
import { loadResources } from "../deckhouse/support/load-examples.js";
import { crdValidator } from "../deckhouse/support/crd.js";
import { callLocator } from "../../src/api/deckhouse/support/locate.js";
import { imagePartsProblem, validateMutationObject } from "../../src/api/mutations/validate.js";

const fixture = path.join(projectRoot, "test/mutations/fixtures/bad-mutations.ts");

test("bad mutators are reported at the location property", async () => {
  const res = await loadResources([fixture]);
  assert.is(res.length, 5);
  const diags = res.flatMap((r) => validateMutationObject(r.object, callLocator(r.site)));
  const at = (code: string) => diags.filter((d) => d.code === code).map((d) => `${path.basename(d.span!.file)}:${d.span!.line}`);
  assert.equal(at("PC6020"), ["bad-mutations.ts:8"], JSON.stringify(diags, null, 1));
  assert.equal(at("PC6022"), ["bad-mutations.ts:14"]);
  assert.equal(at("PC6023"), ["bad-mutations.ts:20"]);
  assert.equal(at("PC6026"), ["bad-mutations.ts:27"]);
  assert.equal(at("PC6021"), ["bad-mutations.ts:31"]);
  const loc = diags.find((d) => d.code === "PC6020")!;
  assert.ok(loc.message.includes("`/`"));
  assert.equal(loc.notes, ['did you mean `metadata.labels."example.com/team"`?']);
});

test("Assign to a keyed list element needs an object with the same key; metadata values are strings", () => {
  const base = { apiVersion: "mutations.gatekeeper.sh/v1", kind: "Assign", metadata: { name: "a" } };
  const spec = { applyTo: [{ groups: [""], kinds: ["Pod"], versions: ["v1"] }], location: "spec.containers[name: sidecar]" };
  const wrongKey = validateMutationObject({ ...base, spec: { ...spec, parameters: { assign: { value: { name: "other" } } } } }, () => undefined);
  assert.ok(wrongKey.some((d) => d.code === "PC6029" && d.message.includes("`sidecar`")));
  const ok = validateMutationObject({ ...base, spec: { ...spec, parameters: { assign: { value: { name: "sidecar", image: "x" } } } } }, () => undefined);
  assert.equal(ok, []);
  const noApply = validateMutationObject({ ...base, spec: { location: "spec.x", parameters: { assign: { value: 1 } } } } as any, () => undefined);
  assert.ok(noApply.some((d) => d.code === "PC6027"));
  const two = validateMutationObject({ ...base, spec: { ...spec, location: "spec.x", parameters: { assign: { value: 1, fromMetadata: { field: "name" } } } } }, () => undefined);
  assert.ok(two.some((d) => d.code === "PC6028"));
  const meta = validateMutationObject(
    { apiVersion: "mutations.gatekeeper.sh/v1", kind: "AssignMetadata", metadata: { name: "m" }, spec: { location: "metadata.labels.a", parameters: { assign: { value: 3 } } } },
    () => undefined,
  );
  assert.ok(meta.some((d) => d.code === "PC6025"));
});

test("path tests must parse, be prefixes of the location and not conflict", () => {
  const obj = (pathTests: object[]) => ({
    apiVersion: "mutations.gatekeeper.sh/v1",
    kind: "Assign",
    metadata: { name: "a" },
    spec: { applyTo: [{ groups: [""], kinds: ["Pod"], versions: ["v1"] }], location: "spec.containers[name: app].image", parameters: { assign: { value: "x" }, pathTests } },
  });
  assert.equal(validateMutationObject(obj([{ subPath: "spec.containers[name: app]", condition: "MustExist" }, { subPath: "spec.containers[name: app].image", condition: "MustNotExist" }]), () => undefined), []);
  const bad = validateMutationObject(
    obj([{ subPath: "spec.initContainers", condition: "MustExist" }, { subPath: "spec.[", condition: "MustExist" }, { subPath: "spec", condition: "MustExist" }, { subPath: "spec", condition: "MustNotExist" }]),
    () => undefined,
  );
  assert.equal(bad.map((d) => d.code), ["PC6016", "PC6016", "PC6016"]);
  assert.ok(bad[0]!.message.includes("prefix") && bad[1]!.message.includes("not a valid path") && bad[2]!.message.includes("conflicts"));
});

test("AssignImage parts follow Gatekeeper's patterns", () => {
  assert.is(imagePartsProblem("my.registry.io", "", ""), undefined);
  assert.is(imagePartsProblem("localhost:5000", "library/nginx", ":v1"), undefined);
  assert.ok(imagePartsProblem("", "", "")?.includes("at least one"));
  assert.ok(imagePartsProblem("noDots", "", "")?.includes("assignDomain"));
  assert.ok(imagePartsProblem("", "Upper/Case", "")?.includes("assignPath"));
  assert.ok(imagePartsProblem("", "", "latest")?.includes("assignTag"));
  assert.ok(imagePartsProblem("", "gcr.io/repo", "")?.includes("looks like a domain"));
});

const crdDir = requireShared("schemas-upstream/gatekeeper/crds", "the mutation CRD validation");
if (crdDir) {
  test("the mutation examples validate against the upstream CRDs and pass policyc's checks", async () => {
    const res = (await loadResources([path.join(projectRoot, "examples/deckhouse/mutations.ts")])).filter((r) => r.object.apiVersion.startsWith("mutations."));
    assert.is(res.length, 4);
    for (const r of res) {
      const [, version] = r.object.apiVersion.split("/");
      const v = crdValidator(path.join(crdDir, `${r.object.kind.toLowerCase()}-customresourcedefinition.yaml`), version);
      assert.is(v.version, version);
      assert.equal(v.errors(r.object), [], r.object.metadata.name);
      assert.equal(validateMutationObject(r.object, () => undefined), [], r.object.metadata.name);
    }
  });
}

test.run();
