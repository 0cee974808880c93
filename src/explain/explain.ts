/**
 * `policyc explain`'s model: given the objects a build produces and a Pod's namespace and labels,
 * which checks (ConstraintTemplates), Constraints, SecurityPolicies and OperationPolicies apply,
 * which do not and why, the Deckhouse Pod Security Standard in force, and the merged requirements.
 */
import { constraintMatches, deckhouseMatches, selectorMatches, type PodContext } from "./match.js";
import { DEFAULT_CLUSTER, operationPolicyConstraints, pssLevelsFor, pssParameters, securityPolicyConstraints, type Constraint, type DeckhouseCluster } from "../deckhouse/index.js";
import { mergeRequirements, type ConstraintSource, type Requirement } from "./requirements.js";

export interface ExplainInput extends PodContext {
  /** The cluster's `podSecurityStandards.defaultPolicy` (from the config). */
  podSecurityDefault?: "Privileged" | "Baseline" | "Restricted";
  /** The other cluster facts (module default action, known host ports, edition), from the config. */
  cluster?: Partial<DeckhouseCluster>;
}

export interface AppliedPolicy {
  kind: string;
  name: string;
  enforcementAction: string;
  /** For Deckhouse policies: the D8* checks Deckhouse renders from it that apply to Pods. */
  checks?: string[];
}

export interface NotApplied {
  kind: string;
  name: string;
  reason: string;
}

export interface ExplainResult {
  namespace: { name?: string; labels: Record<string, string> };
  pod: { labels: Record<string, string> };
  podSecurityStandard: {
    level: "privileged" | "baseline" | "restricted" | "none";
    from: string;
    /** `deny`, `warn` or `dryrun` (namespace label security.deckhouse.io/pod-policy-action, else Deny). */
    action?: string;
    /** The Deckhouse constraint kinds (checks) the level renders for this Pod. */
    checks?: string[];
  };
  checks: { kind: string; template: string; constraints: string[] }[];
  constraints: (AppliedPolicy & { template?: string })[];
  securityPolicies: AppliedPolicy[];
  operationPolicies: AppliedPolicy[];
  /** Gatekeeper mutators that change such a Pod on admission. */
  mutations: { kind: string; name: string; location: string }[];
  notApplied: NotApplied[];
  requirements: Requirement[];
  effective: { container: Record<string, unknown>; pod: Record<string, unknown> };
}

type Obj = Record<string, any>;

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function clusterOf(input: ExplainInput): DeckhouseCluster {
  return { ...DEFAULT_CLUSTER, ...(input.podSecurityDefault ? { podSecurityDefault: input.podSecurityDefault } : {}), ...input.cluster };
}

function podSecurityStandard(input: ExplainInput): ExplainResult["podSecurityStandard"] {
  const base = podSecurityLevel(input);
  const levels = pssLevelsFor(base.level);
  if (levels.length === 0) return base;
  const action = input.namespaceLabels["security.deckhouse.io/pod-policy-action"] ?? clusterOf(input).podSecurityAction;
  return { ...base, action, checks: [...new Set(levels.flatMap((l) => pssParameters(l, clusterOf(input)).map(([kind]) => kind)))].sort() };
}

/** Constraints that can select a Pod: their match kinds include core Pods. */
const forPods = (cs: Constraint[]) => cs.filter((c) => (c.spec.match.kinds ?? []).some((k: { apiGroups: string[]; kinds: string[] }) => k.apiGroups.includes("") && k.kinds.includes("Pod")));

/** Why a check applies although the policy does not set its knob. */
function unsetNotes(policies: Obj): Record<string, string> {
  const notes: Record<string, string> = {};
  if (policies.allowPrivileged === undefined) notes.D8PrivilegedContainer = "allowPrivileged is not set, which Deckhouse treats as false";
  if (policies.allowPrivilegeEscalation === undefined) notes.D8AllowPrivilegeEscalation = "allowPrivilegeEscalation is not set, which Deckhouse treats as false";
  return notes;
}

function podSecurityLevel(input: ExplainInput): ExplainResult["podSecurityStandard"] {
  if (input.namespaceLabels["heritage"] === "deckhouse") return { level: "none", from: "system namespace (heritage=deckhouse)" };
  if (input.podLabels["security.deckhouse.io/skip-pss-check"] === "true") return { level: "none", from: "pod label security.deckhouse.io/skip-pss-check=true" };
  const label = input.namespaceLabels["security.deckhouse.io/pod-policy"];
  if (label === "privileged" || label === "baseline" || label === "restricted") return { level: label, from: "namespace label security.deckhouse.io/pod-policy" };
  if (!input.podSecurityDefault) return { level: "privileged", from: "the cluster default, unknown without a config; assumed Privileged" };
  const def = input.podSecurityDefault.toLowerCase() as "privileged" | "baseline" | "restricted";
  return { level: def, from: "the cluster default, config podSecurity.defaultPolicy" };
}

/** The labels of the project's own Namespace object of that name, if it defines one. */
function projectNamespaceLabels(objects: readonly Obj[], name: string | undefined): Record<string, string> {
  if (!name) return {};
  const ns = objects.find((o) => o.apiVersion === "v1" && o.kind === "Namespace" && o.metadata?.name === name);
  return { ...(ns?.metadata?.labels ?? {}) };
}

export function explain(objects: readonly Obj[], input: ExplainInput): ExplainResult {
  const namespace = input.namespace ?? input.namespaceLabels["kubernetes.io/metadata.name"];
  // A Namespace the project defines brings its labels; labels given on the command line win.
  input = { ...input, namespaceLabels: { ...projectNamespaceLabels(objects, namespace), ...input.namespaceLabels } };
  // Kubernetes labels every namespace with its own name; selectors may rely on it.
  const namespaceLabels = namespace && !("kubernetes.io/metadata.name" in input.namespaceLabels) ? { ...input.namespaceLabels, "kubernetes.io/metadata.name": namespace } : input.namespaceLabels;
  input = { ...input, namespaceLabels };
  const pod: PodContext = { namespaceLabels, podLabels: input.podLabels, ...(namespace ? { namespace } : {}) };
  const templates = new Map<string, Obj>();
  for (const o of objects) {
    if (o.kind === "ConstraintTemplate") templates.set(String(o.spec?.crd?.spec?.names?.kind ?? ""), o);
  }
  const result: ExplainResult = {
    namespace: { ...(namespace ? { name: namespace } : {}), labels: input.namespaceLabels },
    pod: { labels: input.podLabels },
    podSecurityStandard: podSecurityStandard(input),
    checks: [],
    constraints: [],
    securityPolicies: [],
    operationPolicies: [],
    mutations: [],
    notApplied: [],
    requirements: [],
    effective: { container: {}, pod: {} },
  };
  const cluster = clusterOf(input);
  const security: ConstraintSource[] = [];
  const operation: ConstraintSource[] = [];
  const systemNs = input.namespaceLabels["heritage"] === "deckhouse";
  for (const o of objects) {
    const api = String(o.apiVersion ?? "");
    const name = String(o.metadata?.name ?? "");
    if (api.startsWith("constraints.gatekeeper.sh/")) {
      let m = constraintMatches(o.spec?.match, pod);
      if (m.matches && systemNs) m = { matches: false, reason: "Deckhouse's webhook does not send requests from system namespaces (heritage=deckhouse) to Gatekeeper" };
      if (!m.matches) {
        result.notApplied.push({ kind: o.kind, name, reason: m.reason });
        continue;
      }
      const template = templates.get(o.kind);
      result.constraints.push({ kind: o.kind, name, enforcementAction: String(o.spec?.enforcementAction ?? "deny"), ...(template ? { template: String(template.metadata?.name) } : {}) });
    } else if (api.startsWith("mutations.gatekeeper.sh/")) {
      const applyTo = o.spec?.applyTo;
      const podGvk = !Array.isArray(applyTo) || applyTo.some((a: any) => (a?.groups ?? []).includes("") && (a?.kinds ?? []).includes("Pod"));
      let m = podGvk ? constraintMatches(o.spec?.match, pod) : { matches: false as const, reason: "its applyTo does not include core Pods" };
      if (m.matches && systemNs) m = { matches: false, reason: "Deckhouse's webhook does not send requests from system namespaces (heritage=deckhouse) to Gatekeeper" };
      if (m.matches) result.mutations.push({ kind: o.kind, name, location: String(o.spec?.location ?? "") });
      else result.notApplied.push({ kind: o.kind, name, reason: m.reason });
    } else if (api === "deckhouse.io/v1alpha1" && (o.kind === "SecurityPolicy" || o.kind === "OperationPolicy")) {
      const m = deckhouseMatches(o.spec?.match, pod);
      if (!m.matches) {
        result.notApplied.push({ kind: o.kind, name, reason: m.reason });
        continue;
      }
      const rendered = forPods(o.kind === "SecurityPolicy" ? securityPolicyConstraints(o, cluster) : operationPolicyConstraints(o, cluster));
      const checks = [...new Set(rendered.map((c) => c.kind))].sort();
      const applied = { kind: o.kind, name, enforcementAction: String(o.spec?.enforcementAction ?? "Deny"), checks };
      const source: ConstraintSource = { name, constraints: rendered.map((c) => ({ kind: c.kind, ...(c.spec.parameters ? { parameters: c.spec.parameters } : {}) })) };
      if (o.kind === "SecurityPolicy") {
        result.securityPolicies.push(applied);
        security.push({ ...source, notes: unsetNotes(o.spec?.policies ?? {}) });
      } else {
        result.operationPolicies.push(applied);
        operation.push(source);
      }
    }
  }
  const checks = new Map<string, { kind: string; template: string; constraints: string[] }>();
  const addCheck = (kind: string, template: string, constraint: string) => {
    const entry = checks.get(kind) ?? { kind, template, constraints: [] };
    entry.constraints.push(constraint);
    checks.set(kind, entry);
  };
  for (const c of result.constraints) addCheck(c.kind, c.template ?? c.kind.toLowerCase(), c.name);
  // Deckhouse renders each policy's checks as Constraints named after the policy.
  for (const p of [...result.securityPolicies, ...result.operationPolicies]) for (const k of p.checks ?? []) addCheck(k, k.toLowerCase(), p.name);
  for (const c of checks.values()) c.constraints.sort();
  result.checks = [...checks.values()].sort((a, b) => (a.kind < b.kind ? -1 : 1));
  result.constraints.sort((a, b) => (a.kind + "/" + a.name < b.kind + "/" + b.name ? -1 : a.kind + "/" + a.name > b.kind + "/" + b.name ? 1 : 0));
  result.securityPolicies.sort(byName);
  result.operationPolicies.sort(byName);
  result.mutations.sort((a, b) => (a.kind + "/" + a.name < b.kind + "/" + b.name ? -1 : 1));
  result.notApplied.sort((a, b) => (a.kind + a.name < b.kind + b.name ? -1 : 1));
  security.sort(byName);
  operation.sort(byName);
  // Deckhouse's own PSS Constraints count like SecurityPolicies for the merged requirements.
  const pss: ConstraintSource[] = pssLevelsFor(result.podSecurityStandard.level).map((l) => ({
    name: `pss-${l}`,
    constraints: pssParameters(l, cluster).map(([kind, parameters]) => ({ kind, ...(parameters ? { parameters } : {}) })),
  }));
  const merged = mergeRequirements([...pss, ...security, ...operation]);
  result.requirements = merged.requirements;
  result.effective = { container: merged.container, pod: merged.pod };
  return result;
}

export { selectorMatches };
