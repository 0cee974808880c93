// Issue 6 item 5 (implemented in src/frontend/pss.ts by the core pipeline): a constraint bound to
// baseline/restricted selects namespaces exactly as Deckhouse's own PSS constraints do for each
// cluster default policy (research note deckhouse-ape.md §8), including heritage NotIn [deckhouse]
// and the pod label exclusions. Checked both structurally and by evaluating the selectors.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { projectRoot } from "../support/shared.js";
import { pssNamespaceSelector, pssPodSelector } from "../../src/frontend/pss.js";
import { selectorMatches } from "../../src/explain/match.js";

const PP = "security.deckhouse.io/pod-policy";
const heritage = { key: "heritage", operator: "NotIn", values: ["deckhouse"] };

// Deckhouse's PSS namespace selection per default policy (the facts table, as data).
const expected = {
  baseline: {
    Privileged: [{ key: PP, operator: "In", values: ["baseline", "restricted"] }],
    Baseline: [{ key: PP, operator: "NotIn", values: ["privileged"] }, heritage],
    Restricted: [{ key: PP, operator: "NotIn", values: ["privileged"] }, heritage],
  },
  restricted: {
    Privileged: [{ key: PP, operator: "In", values: ["restricted"] }, heritage],
    Baseline: [{ key: PP, operator: "In", values: ["restricted"] }, heritage],
    Restricted: [{ key: PP, operator: "NotIn", values: ["privileged", "baseline"] }, heritage],
  },
} as const;

const sorted = (exprs: readonly { key: string; operator: string; values?: readonly string[] }[]) =>
  [...exprs].map((e) => ({ key: e.key, operator: e.operator, values: [...(e.values ?? [])].sort() })).sort((a, b) => (a.key + a.operator < b.key + b.operator ? -1 : 1));

for (const level of ["baseline", "restricted"] as const) {
  for (const def of ["Privileged", "Baseline", "Restricted"] as const) {
    test(`${level} with default ${def} selects namespaces as Deckhouse does`, () => {
      const sel = pssNamespaceSelector(level, def);
      assert.equal(sorted(sel.matchExpressions ?? []), sorted(expected[level][def]));
      assert.is(sel.matchLabels, undefined);
    });
  }
}

test("'baseline by default' namespaces are not missed; system namespaces are", () => {
  const applies = (level: "baseline" | "restricted", def: "Privileged" | "Baseline" | "Restricted", labels: Record<string, string>) =>
    selectorMatches(pssNamespaceSelector(level, def), labels);
  assert.ok(applies("baseline", "Baseline", {}), "an unlabelled namespace is baseline when the default is Baseline");
  assert.not.ok(applies("baseline", "Privileged", {}));
  assert.ok(applies("baseline", "Privileged", { [PP]: "restricted" }), "restricted namespaces get the baseline checks too");
  assert.not.ok(applies("baseline", "Baseline", { [PP]: "privileged" }));
  assert.not.ok(applies("baseline", "Baseline", { heritage: "deckhouse" }));
  assert.ok(applies("restricted", "Restricted", {}));
  assert.not.ok(applies("restricted", "Baseline", {}));
  assert.not.ok(applies("restricted", "Restricted", { [PP]: "baseline" }));
});

test("pods labelled skip-pss-check=true and Gatekeeper's webhook pods are excluded", () => {
  const pods = pssPodSelector();
  assert.ok(selectorMatches(pods, {}));
  assert.not.ok(selectorMatches(pods, { "security.deckhouse.io/skip-pss-check": "true" }));
  assert.not.ok(selectorMatches(pods, { "gatekeeper.sh/operation": "webhook" }));
});

test("the repo's restricted-bound constraint in generated/ carries the Deckhouse selection", () => {
  const c = YAML.parse(readFileSync(path.join(projectRoot, "generated/manifests/k8sallowedrepos-prod-repo.yaml"), "utf8"));
  // The module default action's set (deny): every namespace not labelled with another action.
  const action = { key: "security.deckhouse.io/pod-policy-action", operator: "NotIn", values: ["dryrun", "warn"] };
  assert.equal(sorted(c.spec.match.namespaceSelector.matchExpressions), sorted([...expected.restricted.Privileged, action]));
  assert.equal(sorted(c.spec.match.labelSelector.matchExpressions), sorted(pssPodSelector().matchExpressions!));
  assert.is(c.spec.enforcementAction, "deny");
  const warn = YAML.parse(readFileSync(path.join(projectRoot, "generated/manifests/k8sallowedrepos-prod-repo-warn.yaml"), "utf8"));
  assert.equal(warn.spec.enforcementAction, "warn");
  assert.equal(sorted(warn.spec.match.namespaceSelector.matchExpressions), sorted([...expected.restricted.Privileged, { key: action.key, operator: "In", values: ["warn"] }]));
});

test.run();
