/**
 * Binding a constraint to Deckhouse Pod Security Standards namespaces, selected exactly as Deckhouse's
 * own PSS constraints select them for the cluster's `podSecurityStandards.defaultPolicy`
 * (admission-policy-engine; see docs/dsl.md): restricted namespaces also get baseline checks, and
 * unlabelled namespaces count as the default policy.
 */
import type { LabelSelectorIR } from "../ir/ir.js";

export const POD_POLICY = "security.deckhouse.io/pod-policy";
export const POD_POLICY_ACTION = "security.deckhouse.io/pod-policy-action";
export type PssAction = "deny" | "warn" | "dryrun";
export const PSS_ACTIONS: readonly PssAction[] = ["deny", "warn", "dryrun"];
const HERITAGE = { key: "heritage", operator: "NotIn", values: ["deckhouse"] };

export type PssLevel = "restricted" | "baseline";
export type PssDefault = "Privileged" | "Baseline" | "Restricted";

export function pssNamespaceSelector(level: PssLevel, defaultPolicy: PssDefault): LabelSelectorIR {
  if (level === "baseline") {
    if (defaultPolicy === "Privileged") {
      return { matchExpressions: [{ key: POD_POLICY, operator: "In", values: ["baseline", "restricted"] }] };
    }
    return { matchExpressions: [{ key: POD_POLICY, operator: "NotIn", values: ["privileged"] }, HERITAGE] };
  }
  if (defaultPolicy === "Restricted") {
    return { matchExpressions: [{ key: POD_POLICY, operator: "NotIn", values: ["privileged", "baseline"] }, HERITAGE] };
  }
  return { matchExpressions: [{ key: POD_POLICY, operator: "In", values: ["restricted"] }, HERITAGE] };
}

/**
 * One constraint set per enforcement action, as Deckhouse renders its PSS constraints: the set of
 * the module's default action selects namespaces whose `pod-policy-action` is none of the other
 * actions (unlabelled ones included); each other set selects the namespaces labelled with its action.
 * policyc cannot see which labels a cluster uses, so it renders every action; a set for an action
 * nobody uses selects nothing.
 */
export function pssActionSets(defaultAction: PssAction): { action: PssAction; isDefault: boolean; selector: LabelSelectorIR }[] {
  const others = PSS_ACTIONS.filter((a) => a !== defaultAction);
  return [
    { action: defaultAction, isDefault: true, selector: { matchExpressions: [{ key: POD_POLICY_ACTION, operator: "NotIn", values: [...others] }] } },
    ...others.map((a) => ({ action: a, isDefault: false, selector: { matchExpressions: [{ key: POD_POLICY_ACTION, operator: "In", values: [a] }] } })),
  ];
}

/** Pods Deckhouse exempts from PSS: opted out by label, and Gatekeeper's own webhook pods. */
export function pssPodSelector(): LabelSelectorIR {
  return {
    matchExpressions: [
      { key: "security.deckhouse.io/skip-pss-check", operator: "NotIn", values: ["true"] },
      { key: "gatekeeper.sh/operation", operator: "NotIn", values: ["webhook"] },
    ],
  };
}

/** Both selectors ANDed: the expressions of `b` appended to `a`'s, matchLabels merged. */
export function andSelectors(a: LabelSelectorIR | undefined, b: LabelSelectorIR): LabelSelectorIR {
  const out: LabelSelectorIR = {};
  const labels = { ...(a?.matchLabels ?? {}), ...(b.matchLabels ?? {}) };
  if (Object.keys(labels).length > 0) out.matchLabels = labels;
  const exprs = [...(a?.matchExpressions ?? []), ...(b.matchExpressions ?? [])].map((e) => ({
    ...e,
    ...(e.values ? { values: [...e.values] } : {}),
  }));
  if (exprs.length > 0) out.matchExpressions = exprs;
  return out;
}
