// The emitted ValidatingAdmissionPolicies and Bindings against Kubernetes' own types: every field
// of every object in generated/ must be declared by admissionregistration.k8s.io/v1 as the
// kubernetes-types typings describe it (the shapes the CEL checker also reads), with the declared
// kind of value. schemas/kubernetes/ adds the API server's validation rules on top; this catches a
// field name or nesting the upstream API does not have, whatever our own schema says.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import YAML from "yaml";
import { kubernetesShapes, type Shape } from "../../src/engine/cel/kubernetes-shapes.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const manifests = path.join(root, "generated", "manifests");

/** Where `value` departs from `shape`: `path: why`, empty when it conforms. */
function departures(value: unknown, shape: Shape, at: string): string[] {
  const shapes = kubernetesShapes().shapes;
  if (shape === "dyn") return [];
  if (shape === "string") return typeof value === "string" ? [] : [`${at}: expected a string`];
  if (shape === "bool") return typeof value === "boolean" ? [] : [`${at}: expected a boolean`];
  if (shape === "int") return Number.isInteger(value) ? [] : [`${at}: expected an integer`];
  if (shape === "double") return typeof value === "number" ? [] : [`${at}: expected a number`];
  if ("list" in shape) return Array.isArray(value) ? value.flatMap((v, i) => departures(v, shape.list, `${at}[${i}]`)) : [`${at}: expected a list`];
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isMap(value)) return [`${at}: expected an object`];
  if ("map" in shape) return Object.entries(value).flatMap(([k, v]) => departures(v, shape.map, `${at}.${k}`));
  const obj = "ref" in shape ? shapes[shape.ref] : shape;
  if (!obj) return [`${at}: no shape ${JSON.stringify(shape)}`];
  return Object.entries(value).flatMap(([k, v]) => {
    const field = obj.obj[k];
    if (field) return departures(v, field, `${at}.${k}`);
    return obj.open ? [] : [`${at}.${k}: not a field of ${obj.name}`];
  });
}

const emitted = readdirSync(manifests)
  .filter((f) => f.startsWith("validatingadmissionpolicy"))
  .sort();

test("examples emit policies and bindings to check", () => {
  assert.ok(emitted.some((f) => f.startsWith("validatingadmissionpolicy-")));
  assert.ok(emitted.some((f) => f.startsWith("validatingadmissionpolicybinding-")));
});

test("every emitted policy and binding has only fields of admissionregistration.k8s.io/v1", () => {
  const kinds = kubernetesShapes().kinds;
  for (const f of emitted) {
    const object = YAML.parse(readFileSync(path.join(manifests, f), "utf8")) as { apiVersion: string; kind: string };
    const entry = kinds.find((k) => `${k.group}/${k.version}` === object.apiVersion && k.kind === object.kind);
    assert.ok(entry, `${f}: ${object.apiVersion} ${object.kind} is not a Kubernetes kind`);
    assert.equal(departures(object, { ref: entry!.shape }, f), []);
  }
});

test("the comparison itself rejects a field the upstream type lacks and a value of the wrong kind", () => {
  const binding = { ref: "admissionregistration/v1.ValidatingAdmissionPolicyBinding" } as const;
  const good = { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicyBinding", metadata: { name: "b" }, spec: { policyName: "p", validationActions: ["Deny"] } };
  assert.equal(departures(good, binding, "b"), []);
  assert.equal(departures({ ...good, spec: { ...good.spec, validationAction: "Deny" } }, binding, "b"), ["b.spec.validationAction: not a field of admissionregistration/v1.ValidatingAdmissionPolicyBindingSpec"]);
  assert.equal(departures({ ...good, spec: { ...good.spec, validationActions: "Deny" } }, binding, "b"), ["b.spec.validationActions: expected a list"]);
});

test.run();
