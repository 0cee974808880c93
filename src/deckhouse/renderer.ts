/**
 * Deckhouse as a policy source of `policyc check`: a renderer (the PolicySet seam of
 * src/testing/gatekeeper/policy-set.ts) that consumes SecurityPolicies, OperationPolicies and the
 * `admission-policy-engine` ModuleConfig and stands for what the module would run: the pack's
 * templates (or a cluster's, `--templates`), the Constraints rendered from each policy, the PSS
 * Constraints of every action (a namespace's `pod-policy-action` label selects its set), and a
 * Gatekeeper Config exempting kube-system and `d8-*` from the webhook, as Deckhouse's webhook
 * namespaceSelector (`heritage NotIn [deckhouse]`) does for the namespaces Deckhouse labels.
 */
import type { PolicyObject, PolicyRenderer } from "../testing/gatekeeper/policy-set.js";
import type { KubeObject } from "../testing/gatekeeper/objects.js";
import { ACTIONS, DEFAULT_CLUSTER, lowerAction, type DeckhouseCluster, type PssPolicy } from "./cluster.js";
import { moduleConstraints, operationPolicyConstraints, securityPolicyConstraints, type Constraint } from "./constraints.js";
import { templatesFor } from "./pack.js";
import { pssConstraints } from "./pss.js";

type Obj = Record<string, any>;

export interface DeckhouseSourceOptions {
  /** Cluster facts from policyc.config.ts; a ModuleConfig among the inputs overrides its settings. */
  cluster?: Partial<DeckhouseCluster>;
  /** Templates exported from a cluster (`policyc check --templates DIR`), by kind. */
  templates?: Map<string, Obj>;
}

let options: DeckhouseSourceOptions = {};

/** Set once per run by the command (config and `--templates`); the renderer reads it when rendering. */
export function configureDeckhouseSource(o: DeckhouseSourceOptions): void {
  options = o;
}

const isModuleConfig = (o: KubeObject) => o.apiVersion === "deckhouse.io/v1alpha1" && o.kind === "ModuleConfig" && (o.metadata as Obj | undefined)?.name === "admission-policy-engine";
const isPolicy = (o: KubeObject) => o.apiVersion === "deckhouse.io/v1alpha1" && (o.kind === "SecurityPolicy" || o.kind === "OperationPolicy");

/** `spec.settings.podSecurityStandards` of the module's ModuleConfig → cluster facts. */
export function clusterFromModuleConfig(mc: Obj, base: DeckhouseCluster): DeckhouseCluster {
  const pss = mc.spec?.settings?.podSecurityStandards ?? {};
  const out = { ...base };
  if (["Privileged", "Baseline", "Restricted"].includes(pss.defaultPolicy)) out.podSecurityDefault = pss.defaultPolicy as PssPolicy;
  if (typeof pss.enforcementAction === "string") out.podSecurityAction = lowerAction(pss.enforcementAction);
  const ranges = pss.policies?.hostPorts?.knownRanges;
  if (Array.isArray(ranges)) out.knownHostPortRanges = ranges.map((r: Obj) => ({ min: Number(r?.min), max: Number(r?.max) }));
  if (typeof pss.controllerValidation === "boolean") out.controllerValidation = pss.controllerValidation;
  return out;
}

export const deckhouseRenderer: PolicyRenderer = {
  name: "deckhouse",
  apiGroups: ["deckhouse.io"],
  accepts: (obj) => isPolicy(obj) || isModuleConfig(obj),
  render(objs: readonly PolicyObject[]) {
    let cluster: DeckhouseCluster = { ...DEFAULT_CLUSTER, ...options.cluster };
    for (const o of objs) if (isModuleConfig(o.object)) cluster = clusterFromModuleConfig(o.object, cluster);
    const out: PolicyObject[] = [];
    const constraints: Constraint[] = [];
    for (const o of objs) {
      if (!isPolicy(o.object)) continue;
      const rendered = o.object.kind === "SecurityPolicy" ? securityPolicyConstraints(o.object, cluster) : operationPolicyConstraints(o.object, cluster);
      for (const c of rendered) out.push({ object: c as unknown as KubeObject, ...(o.origin ? { origin: o.origin } : {}) });
      constraints.push(...rendered);
    }
    // Every action's set: a namespace's label picks its set, so unused sets never match.
    const pss = pssConstraints(cluster, ACTIONS);
    // And what the module runs by itself (exec/attach into its Pods: never a manifest, kept for fidelity).
    for (const c of [...pss, ...moduleConstraints()]) {
      out.push({ object: c as unknown as KubeObject });
      constraints.push(c);
    }
    const templates = templatesFor(options.templates);
    for (const kind of [...new Set(constraints.map((c) => c.kind))].sort()) {
      const t = templates.get(kind);
      if (t) out.push({ object: t as KubeObject });
    }
    out.push({
      object: {
        apiVersion: "config.gatekeeper.sh/v1alpha1",
        kind: "Config",
        metadata: { name: "config", namespace: "d8-admission-policy-engine" },
        spec: { match: [{ excludedNamespaces: ["kube-system", "d8-*"], processes: ["webhook"] }] },
      },
    });
    return { objects: out, diagnostics: [] };
  },
};
