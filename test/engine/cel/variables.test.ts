/**
 * The K8sNativeValidation engine's `variables`: evaluated lazily and, for those that read only the
 * parameters, once per constraint, yet with the outcomes of evaluating every variable in order: each
 * sees only those before it, one that fails is absent, the later of two with one name counts, and
 * whole-map use sees what is defined so far.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { evaluateK8sNativeValidation, compileK8sNativeValidation } from "../../../src/testing/gatekeeper/k8s-native-validation.js";

const pod = (name: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name, labels: { app: name } }, spec: { containers: [{ name: "c", image: "nginx" }] } });
const input = (name: string, parameters: unknown) => ({ review: { operation: "CREATE", kind: { group: "", version: "v1", kind: "Pod" }, object: pod(name) }, parameters });

/** One violation whose message is `report`'s value (a string expression). */
function report(variables: { name: string; expression: string }[], report: string) {
  return compileK8sNativeValidation({ variables, validations: [{ expression: "false", messageExpression: report, message: "no message" }] });
}

test("a variable sees only the variables before it; one that fails is absent", () => {
  const policy = report(
    [
      { name: "early", expression: "variables.late + 1" },
      { name: "late", expression: "1" },
      { name: "after", expression: "variables.late + 1" },
      { name: "broken", expression: "variables.anyObject.spec.nothing" },
      { name: "usesBroken", expression: "has(variables.broken)" },
    ],
    `string(has(variables.early)) + " " + string(variables.after) + " " + string(has(variables.broken)) + " " + string(variables.usesBroken)`,
  );
  assert.equal(evaluateK8sNativeValidation(policy, input("p", {})).map((r) => r.msg), ["false 2 false false"]);
});

test("of two variables with one name, the later one that succeeded counts", () => {
  const policy = report(
    [
      { name: "x", expression: "1" },
      { name: "x", expression: "1 / 0" },
      { name: "y", expression: "1" },
      { name: "y", expression: "2" },
      { name: "seenX", expression: "variables.x" },
    ],
    `string(variables.x) + " " + string(variables.y) + " " + string(variables.seenX)`,
  );
  assert.equal(evaluateK8sNativeValidation(policy, input("p", {})).map((r) => r.msg), ["1 2 1"]);
});

test("whole-map use of variables sees the variables defined so far", () => {
  const policy = report(
    [
      { name: "a", expression: "1" },
      { name: "count", expression: "size(variables)" },
      { name: "b", expression: "2" },
      { name: "keys", expression: `variables.map(k, k).join(",")` },
    ],
    `string(variables.count) + " " + variables.keys + " " + string(size(variables))`,
  );
  // anyObject and params are Gatekeeper's own variables, defined first.
  assert.equal(evaluateK8sNativeValidation(policy, input("p", {})).map((r) => r.msg), ["3 anyObject,params,a,count,b 6"]);
});

test("variables that read only the parameters follow each constraint's parameters", () => {
  const policy = report(
    [
      { name: "prefix", expression: `has(variables.params.prefix) ? variables.params.prefix : "none"` },
      { name: "strict", expression: "variables.params.strict" },
      { name: "constant", expression: "[1, 2].exists(object, object == 2)" },
      { name: "name", expression: "variables.anyObject.metadata.name" },
      { name: "shadow", expression: "[object.metadata.name].map(params, params + '!')[0]" },
    ],
    `variables.prefix + ":" + variables.name + " " + string(has(variables.strict) ? variables.strict : "unset") + " " + string(variables.constant) + " " + variables.shadow`,
  );
  const a = { prefix: "team-a", strict: true };
  const b = { prefix: "team-b" };
  const msgs = (name: string, p: unknown) => evaluateK8sNativeValidation(policy, input(name, p)).map((r) => r.msg);
  for (let i = 0; i < 2; i++) {
    assert.equal(msgs("one", a), ["team-a:one true true one!"]);
    assert.equal(msgs("two", b), ["team-b:two unset true two!"]);
    assert.equal(msgs("three", {}), ["none:three unset true three!"]);
  }
});

test("with the Constraint as params, parameter-only variables follow each Constraint", () => {
  const policy = report([{ name: "owner", expression: "params.metadata.name + '/' + string(variables.params.level)" }], "variables.owner");
  const parameters = { level: 1 };
  const constraint = (name: string) => ({ apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "K8sX", metadata: { name }, spec: { parameters } });
  const a = constraint("a");
  const b = constraint("b");
  for (let i = 0; i < 2; i++) {
    assert.equal(evaluateK8sNativeValidation(policy, input("p", parameters), { constraint: a }).map((r) => r.msg), ["a/1"]);
    assert.equal(evaluateK8sNativeValidation(policy, input("p", parameters), { constraint: b }).map((r) => r.msg), ["b/1"]);
  }
});

test.run();
