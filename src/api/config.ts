/**
 * `defineConfig()`: the typed shape of `policyc.config.ts`. Paths are relative to the config file.
 */
import type { KyvernoConfig } from "./kyverno/types.js";

export interface PolicycConfig {
  /** Globs of policy files to load (default `["policies/**\/*.ts"]`). */
  include?: readonly string[];
  exclude?: readonly string[];
  /** Output directory (default `generated`). */
  outDir?: string;
  /**
   * Rego syntax of the emitted templates: `v0` (legacy `rego:` field, every Gatekeeper; default) or
   * `v1` (`code: [{engine: Rego, source: {version: "v1"}}]`, Gatekeeper ≥ 3.19).
   */
  regoVersion?: "v0" | "v1";
  /**
   * Compile TypeScript check bodies to CEL too, listed as a `K8sNativeValidation` entry beside the
   * Rego in each template's `targets[].code` (default `true`; see docs/cel.md). `false` emits Rego
   * only, e.g. for a pack that reproduces another vendor's Rego templates.
   */
  cel?: boolean;
  /** Namespaces every constraint excludes (default `["kube-system", "d8-*"]`). */
  exemptNamespaces?: readonly string[];
  /** Argo CD annotations; `false` turns them off. */
  argocd?: boolean | { templatesWave?: number; constraintsWave?: number };
  /**
   * The cluster's Pod Security Standards settings (ModuleConfig `admission-policy-engine`,
   * `spec.settings.podSecurityStandards`), which decide what `policyc check` and `explain` apply to
   * namespaces without `security.deckhouse.io/pod-policy` / `pod-policy-action` labels.
   */
  podSecurity?: {
    /** `defaultPolicy`: the level of unlabelled namespaces (default `Privileged`; clusters installed since v1.55 use `Baseline`). */
    defaultPolicy?: "Privileged" | "Baseline" | "Restricted";
    /** `enforcementAction`: the action of namespaces without a `pod-policy-action` label (default `Deny`). */
    enforcementAction?: "Deny" | "Warn" | "Dryrun";
    /** `policies.hostPorts.knownRanges`: host ports the baseline level still allows (default none). */
    knownHostPortRanges?: readonly { min: number; max: number }[];
    /**
     * `controllerValidation`: the Constraints of every check that reads a pod spec (PSS,
     * SecurityPolicy and OperationPolicy alike) also match the controllers that create Pods
     * (Deployment, StatefulSet, DaemonSet, ReplicationController, Job, CronJob), so a workload is
     * denied when it is applied, judged by its pod template. Deckhouse's main branch validates
     * controllers by default; policyc's default is `false` (Pods only), the behaviour of every
     * release whose changelog policyc could check. Set `true` for a cluster that validates them.
     */
    controllerValidation?: boolean;
  };
  /** Facts about the Deckhouse cluster that policyc cannot read from the project. */
  deckhouse?: {
    /**
     * The Deckhouse edition (`global.deckhouseEdition`). Image signature verification
     * (`verifyImageSignatures`) is rendered only in `SE-plus`, `EE`, `FE` and `CSE`; unset, it is
     * assumed available.
     */
    edition?: "CE" | "BE" | "SE" | "SE-plus" | "EE" | "FE" | "CSE";
    /**
     * This project is a policy pack of Deckhouse's own templates (`D8…` kinds), such as policyc's
     * `packs/deckhouse`: checks of kinds Deckhouse ships are then intended, not a collision (PC2042).
     * Default false.
     */
    policyPack?: boolean;
  };
  /** Emit kubeconform JSON Schemas for Constraint kinds under `<outDir>/schemas` (default true). */
  kubeconformSchemas?: boolean;
  /**
   * Write `<outDir>/docs/policies.md`, a Markdown catalogue of every check (parameters, constraints
   * and where they apply, tests) and every other resource, for reviewers (default false).
   */
  docs?: boolean;
  /**
   * How long the policy files may run at build time, in seconds (default 60). Policy files are code
   * that runs like a build script; past the limit the build stops and names the line still running.
   * `policyc build --timeout` overrides it.
   */
  timeout?: number;
  /** Kyverno PolicyExceptions for the exempt namespaces (docs/kyverno.md). */
  kyverno?: KyvernoConfig;
  /**
   * Treat what is only a warning by default as an error: a check without any test case (its own
   * `tests` or its constraints') fails the build (PC2041). Default false.
   */
  strict?: boolean;
  /**
   * Emit Gatekeeper ExpansionTemplates so that Pod-level checks also judge the workloads that
   * create Pods: Gatekeeper reviews the Pod a Deployment, StatefulSet, DaemonSet, ReplicaSet,
   * ReplicationController, Job or CronJob would create, and denies the workload itself (at sync
   * time) instead of only its Pods later. Violations come back on the workload prefixed with
   * `[Implied by <template>]`. Needs Gatekeeper's expansion feature (on by default in current releases; the
   * `enable-generator-resource-expansion` flag before). `true` emits the default set
   * (`policyc-expand-workloads`, `policyc-expand-cronjobs`); default false.
   */
  expansion?: boolean | ExpansionConfig;
  /**
   * Also emit each constraint as a Kubernetes ValidatingAdmissionPolicy and
   * ValidatingAdmissionPolicyBinding (`admissionregistration.k8s.io/v1`, Kubernetes ≥ 1.30), for
   * clusters or namespaces without Gatekeeper: the API server itself then runs the check's CEL
   * (its template's `K8sNativeValidation` code). Checks without CEL are left out (info PC2060).
   * `true` = `{ parameters: "constraint" }`; default false. See docs/validating-admission-policy.md.
   */
  validatingAdmissionPolicy?: boolean | ValidatingAdmissionPolicyConfig;
}

/** The `validatingAdmissionPolicy` option in detail. */
export interface ValidatingAdmissionPolicyConfig {
  /**
   * Where the policy reads its parameters (`variables.params`):
   * - `"constraint"` (default): from the Constraint itself, as Gatekeeper's generated policies do
   *   (`paramKind` = the constraint's kind, the binding's `paramRef` = its name). Needs the
   *   template's CRD (Gatekeeper installed, or at least its CRDs) and the Constraint in the cluster.
   * - `"inline"`: the constraint's parameters written into the policy as a CEL literal; no
   *   Gatekeeper object is needed at all.
   */
  parameters?: "constraint" | "inline";
  /** What the API server does when an expression fails to evaluate (default `Fail`, as Gatekeeper's policies). */
  failurePolicy?: "Fail" | "Ignore";
}

/** Workload kinds the default ExpansionTemplates can expand into Pods. */
export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" | "Job" | "CronJob";

/** The `expansion` option in detail. */
export interface ExpansionConfig {
  /** Workload kinds to expand (default: all seven). */
  workloads?: readonly WorkloadKind[];
  /**
   * Enforcement action for violations found on the generated Pods, overriding the constraint's
   * (e.g. `warn` to roll workload-level enforcement out gently). Default: the constraint's own.
   */
  enforcementAction?: "deny" | "warn" | "dryrun";
}

export function defineConfig(config: PolicycConfig): PolicycConfig {
  return config;
}
