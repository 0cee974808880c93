/**
 * Deckhouse as one more source of Gatekeeper policy: from a project's objects (SecurityPolicies,
 * OperationPolicies, Namespaces with their `pod-policy-action` labels, SecurityPolicyExceptions)
 * and the cluster facts, the ConstraintTemplates and Constraints admission-policy-engine would run,
 * and the objects Gatekeeper would have synced for them.
 */
import { DEFAULT_CLUSTER, type DeckhouseCluster } from "./cluster.js";
import { moduleConstraints, operationPolicyConstraints, securityPolicyConstraints, type Constraint } from "./constraints.js";
import { templatesFor } from "./pack.js";
import { POD_POLICY_ACTION, pssConstraints } from "./pss.js";

type Obj = Record<string, any>;

export interface DeckhousePolicySet {
  /** One template per Constraint kind in use: the pack's, or the cluster's when given. */
  templates: Obj[];
  constraints: Constraint[];
  /** What Gatekeeper syncs for Deckhouse's templates: SecurityPolicyExceptions. */
  inventory: Obj[];
}

export interface PolicySetOptions {
  cluster?: Partial<DeckhouseCluster>;
  /** Templates exported from a cluster, by kind; they replace the pack's. */
  templates?: Map<string, Obj>;
  /** Leave out the Pod Security Standards Constraints. */
  withoutPss?: boolean;
}

const isDeckhouse = (o: Obj, kind: string) => o?.apiVersion === "deckhouse.io/v1alpha1" && o.kind === kind;

export function deckhousePolicySet(objects: readonly Obj[], options: PolicySetOptions = {}): DeckhousePolicySet {
  const cluster = { ...DEFAULT_CLUSTER, ...options.cluster };
  const constraints: Constraint[] = [];
  for (const o of objects) {
    if (isDeckhouse(o, "SecurityPolicy")) constraints.push(...securityPolicyConstraints(o, cluster));
    else if (isDeckhouse(o, "OperationPolicy")) constraints.push(...operationPolicyConstraints(o, cluster));
  }
  if (!options.withoutPss) {
    const actions = objects.filter((o) => o?.apiVersion === "v1" && o.kind === "Namespace").map((o) => o.metadata?.labels?.[POD_POLICY_ACTION]).filter((v): v is string => typeof v === "string");
    constraints.push(...pssConstraints(cluster, actions));
  }
  constraints.push(...moduleConstraints());
  const all = templatesFor(options.templates);
  const kinds = [...new Set(constraints.map((c) => c.kind))].sort();
  const templates = kinds.map((k) => all.get(k)).filter((t): t is Obj => t !== undefined);
  const inventory = objects.filter((o) => isDeckhouse(o, "SecurityPolicyException"));
  return { templates, constraints, inventory };
}
