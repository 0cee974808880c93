// PSS binding: the namespace selector for each level and cluster default, as Deckhouse selects them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { pssNamespaceSelector, pssPodSelector, andSelectors, POD_POLICY } from "../../src/frontend/pss.js";

const heritage = { key: "heritage", operator: "NotIn", values: ["deckhouse"] };
const policy = (operator: string, values: string[]) => ({ key: POD_POLICY, operator, values });

test("baseline covers baseline and restricted namespaces; unlabelled ones when the default is not Privileged", () => {
  assert.equal(pssNamespaceSelector("baseline", "Privileged").matchExpressions, [policy("In", ["baseline", "restricted"])]);
  assert.equal(pssNamespaceSelector("baseline", "Baseline").matchExpressions, [policy("NotIn", ["privileged"]), heritage]);
  assert.equal(pssNamespaceSelector("baseline", "Restricted").matchExpressions, [policy("NotIn", ["privileged"]), heritage]);
});

test("restricted covers restricted namespaces; unlabelled ones only when the default is Restricted", () => {
  assert.equal(pssNamespaceSelector("restricted", "Privileged").matchExpressions, [policy("In", ["restricted"]), heritage]);
  assert.equal(pssNamespaceSelector("restricted", "Baseline").matchExpressions, [policy("In", ["restricted"]), heritage]);
  assert.equal(pssNamespaceSelector("restricted", "Restricted").matchExpressions, [policy("NotIn", ["privileged", "baseline"]), heritage]);
});

test("pods opted out of PSS and Gatekeeper's own pods are excluded", () => {
  assert.equal(pssPodSelector().matchExpressions, [
    { key: "security.deckhouse.io/skip-pss-check", operator: "NotIn", values: ["true"] },
    { key: "gatekeeper.sh/operation", operator: "NotIn", values: ["webhook"] },
  ]);
});

test("a user's selector is ANDed with the binding", () => {
  const merged = andSelectors({ matchLabels: { team: "a" }, matchExpressions: [{ key: "x", operator: "Exists" }] }, pssNamespaceSelector("restricted", "Privileged"));
  assert.equal(merged, { matchLabels: { team: "a" }, matchExpressions: [{ key: "x", operator: "Exists" }, policy("In", ["restricted"]), heritage] });
});

test.run();
