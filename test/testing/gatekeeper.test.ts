import { test } from "uvu";
import * as assert from "uvu/assert";
import { isAdmissionReview, reviewForAdmissionReview, reviewForObject, ReviewError } from "../../src/testing/gatekeeper/review.js";
import { InventoryBuilder, InventoryError } from "../../src/testing/gatekeeper/inventory.js";
import { parametersWithDefaults } from "../../src/testing/gatekeeper/parameters.js";
import { readTemplate, regoPackage, TemplateError } from "../../src/testing/gatekeeper/template.js";
import { constraintSchema, readConstraint, unknownFields, validateConstraint } from "../../src/testing/gatekeeper/constraint.js";
import { readViolations } from "../../src/testing/gatekeeper/violations.js";
import { unwrapResult } from "../../src/testing/gatekeeper/backend.js";

const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "prod" }, spec: {} };

test("review of a plain object: kind/name/namespace/object, empty operation, null oldObject", () => {
  const r = reviewForObject(deployment);
  assert.equal(r, {
    uid: "",
    kind: { group: "apps", version: "v1", kind: "Deployment" },
    resource: { group: "", version: "", resource: "" },
    name: "web",
    namespace: "prod",
    operation: "",
    userInfo: {},
    object: deployment,
    oldObject: null,
    options: null,
  });
  const core = reviewForObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } });
  assert.equal(core.kind, { group: "", version: "v1", kind: "Namespace" });
  assert.not.ok("namespace" in core, "empty namespace is omitted");
});

test("review of an AdmissionReview: the request as written, Go zero values, DELETE uses oldObject", () => {
  const ar = {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: { operation: "UPDATE", userInfo: { username: "alice", groups: ["dev"] }, object: deployment, oldObject: deployment },
  };
  assert.ok(isAdmissionReview(ar));
  assert.not.ok(isAdmissionReview({ apiVersion: "v1", kind: "AdmissionReview" }), "group must be admission.k8s.io");
  const r = reviewForAdmissionReview(ar);
  assert.is(r.operation, "UPDATE");
  assert.equal(r.kind, { group: "", version: "", kind: "" }, "kind is not derived from the object");
  assert.equal(r.userInfo, { username: "alice", groups: ["dev"] });
  assert.equal(r.oldObject, deployment);
  const del = reviewForAdmissionReview({ ...ar, request: { operation: "DELETE", oldObject: deployment } });
  assert.equal(del.object, deployment);
  assert.equal(del.oldObject, deployment);
});

test("review of an AdmissionReview: strict like gator", () => {
  const base = { apiVersion: "admission.k8s.io/v1beta1", kind: "AdmissionReview" };
  assert.throws(() => reviewForAdmissionReview(base), (e: unknown) => e instanceof ReviewError && /did not actually pass/.test((e as Error).message));
  assert.throws(() => reviewForAdmissionReview({ ...base, request: { operation: "CREATE" } }), /"object" or "oldObject"/);
  assert.throws(() => reviewForAdmissionReview({ ...base, request: { object: {}, bogus: 1 } }), /unknown field "request.bogus"/);
  assert.throws(() => reviewForAdmissionReview({ ...base, request: { object: {}, operation: 3 } }), /operation must be a string/);
  assert.throws(() => reviewForAdmissionReview({ ...base, request: { object: {}, userInfo: { name: "x" } } }), /unknown field "request.userInfo.name"/);
});

test("inventory: Gatekeeper's cluster/namespace layout and the Namespace cache", () => {
  const inv = new InventoryBuilder();
  inv.add({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "fast" } });
  inv.add({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "i1", namespace: "a" } });
  inv.add({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a", labels: { team: "x" } } });
  assert.ok(inv.data.cluster["storage.k8s.io/v1"]!["StorageClass"]!["fast"]);
  assert.ok(inv.data.namespace["a"]!["networking.k8s.io/v1"]!["Ingress"]!["i1"]);
  assert.equal(inv.namespace("a")?.metadata, { name: "a", labels: { team: "x" } });
  assert.is(inv.namespace("b"), undefined);
  assert.throws(() => inv.add({ kind: "Pod", metadata: { name: "p" } }), (e: unknown) => e instanceof InventoryError && /no version/.test((e as Error).message));
  assert.throws(() => inv.add({ apiVersion: "v1", metadata: { name: "p" } }), /no kind/);
});

test("parameters: {} when absent, schema defaults filled recursively, given values kept", () => {
  const schema = {
    type: "object",
    properties: {
      mode: { type: "string", default: "strict" },
      limits: { type: "object", properties: { cpu: { type: "string", default: "1" } } },
      rules: { type: "array", items: { type: "object", properties: { on: { type: "boolean", default: true } } } },
    },
  };
  assert.equal(parametersWithDefaults(undefined, undefined), {});
  assert.equal(parametersWithDefaults(undefined, schema), { mode: "strict" });
  const given = { mode: "loose", limits: {}, rules: [{}, { on: false }] };
  assert.equal(parametersWithDefaults(given, schema), { mode: "loose", limits: { cpu: "1" }, rules: [{ on: true }, { on: false }] });
  assert.equal(given.limits, {}, "the constraint itself is not modified");
});

const template = (extra: Record<string, unknown> = {}) => ({
  apiVersion: "templates.gatekeeper.sh/v1",
  kind: "ConstraintTemplate",
  metadata: { name: "k8sdemo" },
  spec: {
    crd: { spec: { names: { kind: "K8sDemo" }, validation: { openAPIV3Schema: { type: "object", properties: { repos: { type: "array", items: { type: "string" } } } } } } },
    targets: [{ target: "admission.k8s.gatekeeper.sh", rego: "package k8sdemo\nviolation[{\"msg\": \"x\"}] { true }", libs: ["package lib.a\nx := 1"] }],
    ...extra,
  },
});

test("template: legacy rego wins over code[], v1 only through code[], package and kind read", () => {
  const t = readTemplate(template());
  assert.is(t.kind, "K8sDemo");
  assert.is(t.regoVersion, "v0");
  assert.equal(t.libs, ["package lib.a\nx := 1"]);
  const code = template();
  (code.spec.targets[0] as Record<string, unknown>) = {
    target: "admission.k8s.gatekeeper.sh",
    code: [
      { engine: "K8sNativeValidation", source: {} },
      { engine: "Rego", source: { version: "v1", rego: "package k8sdemo\nviolation contains {\"msg\": \"y\"} if true" } },
    ],
  };
  const v1 = readTemplate(code);
  assert.is(v1.regoVersion, "v1");
  assert.equal(v1.engines, ["K8sNativeValidation"]);
  assert.match(v1.rego!, /contains/);
  assert.is(regoPackage("# c\npackage lib.exempt_container\n"), "lib.exempt_container");
  assert.is(regoPackage('package a["b-c"]'), "a.b-c");
  assert.throws(() => readTemplate({ ...template(), metadata: { name: "other" } }), (e: unknown) => e instanceof TemplateError);
  assert.throws(() => readTemplate({ ...template(), spec: { crd: { spec: { names: { kind: "K8sDemo" } } }, targets: [] } }), /must specify one target/);
});

test("constraint: schema errors versus other rejections", () => {
  const t = readTemplate(template());
  const c = (spec: unknown, meta: Record<string, unknown> = { name: "demo" }, kind = "K8sDemo", apiVersion = "constraints.gatekeeper.sh/v1beta1") => ({ apiVersion, kind, metadata: meta, spec });
  assert.is(validateConstraint(c({ parameters: { repos: ["a"] } }), t), undefined);
  assert.is(validateConstraint(c({ parameters: { repos: "a" } }), t)?.kind, "schema");
  assert.is(validateConstraint(c({ match: { namespaces: ["Bad_NS"] } }), t)?.kind, "schema", "namespace globs have a pattern");
  assert.is(validateConstraint(c({ match: { source: "Nope" } }), t)?.kind, "schema");
  assert.is(validateConstraint(c({ enforcementAction: 3 }), t)?.kind, "schema");
  assert.is(validateConstraint(c({}, { name: "x".repeat(64) }), t)?.kind, "schema", "metadata.name maxLength 63 is in the schema");
  assert.equal(validateConstraint(c({ parameters: { repos: ["a"], extra: 1 } }), t), {
    kind: "invalid",
    message: "unknown fields: spec.parameters.extra",
    notes: ["spec.parameters.extra: the fields allowed beside it are repos"],
  });
  assert.is(validateConstraint(c({ bogus: 1 }), t)?.kind, "invalid");
  assert.is(validateConstraint(c({}, { name: "Bad_Name" }), t)?.kind, "invalid");
  assert.is(validateConstraint(c({}, { name: "demo" }, "Other"), t)?.kind, "invalid");
  assert.is(validateConstraint(c({}, { name: "demo" }, "K8sDemo", "constraints.gatekeeper.sh/v1"), t)?.kind, "invalid");
  assert.is(validateConstraint(c({ match: { labelSelector: { matchExpressions: [{ key: "a", operator: "Bad" }] } } }), t)?.kind, "invalid");
  const noSchema = readTemplate({ ...template(), spec: { ...template().spec, crd: { spec: { names: { kind: "K8sDemo" } } } } });
  assert.is(validateConstraint(c({ parameters: { a: 1 } }), noSchema)?.kind, "invalid", "v1 templates without a schema accept no parameters");
  assert.equal(readConstraint(c({ match: { kinds: [] } })), { name: "demo", kind: "K8sDemo", parameters: undefined, enforcementAction: "deny", match: { kinds: [] } });
});

test("constraint schema: legacySchema keeps unknown parameters", () => {
  const legacy = readTemplate({ ...template(), apiVersion: "templates.gatekeeper.sh/v1beta1" });
  assert.ok(legacy.legacySchema);
  const schema = constraintSchema(legacy);
  assert.equal(unknownFields({ spec: { parameters: { repos: [], other: 1 } } }, schema, "", []), []);
});

test("violations: msg required, details default {}, action carried", () => {
  const base = { enforcementAction: "warn", constraint: { kind: "K", name: "n" } };
  const vs = readViolations([{ msg: "a" }, { msg: "b", details: { x: 1 } }, { nomsg: 1 }, "junk"], base);
  assert.equal(vs, [
    { ...base, msg: "a", details: {} },
    { ...base, msg: "b", details: { x: 1 } },
  ]);
  assert.equal(readViolations(undefined, base), []);
  assert.equal(unwrapResult([{ result: [1] }]), [1]);
  assert.equal(unwrapResult([]), undefined);
  assert.equal(unwrapResult([{ msg: "x" }]), [{ msg: "x" }], "a set of violations is not a result wrapper");
});

test.run();
