/**
 * `defineConstraint(check, {...})`: a Gatekeeper Constraint of the check's kind. `parameters` is
 * typed by the check's `Params`, so a wrong key or value type is a TypeScript error at the user's line.
 */
import type { Check } from "./check.js";
import { registerDefinition, type Definition } from "./definition.js";
import type { TestCase } from "./tests.js";

/** A Kubernetes label selector (`metav1.LabelSelector`). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: readonly {
    key: string;
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    values?: readonly string[];
  }[];
}

/** Gatekeeper's `spec.match`. All given matchers must hold; globs are `prefix*`, `*suffix` or `*both*`. */
export interface Match {
  /** Object kinds in scope; `apiGroups: [""]` is the core group. */
  kinds?: readonly { apiGroups: readonly string[]; kinds: readonly string[] }[];
  scope?: "*" | "Cluster" | "Namespaced";
  namespaces?: readonly string[];
  /** Added to the config's `exemptNamespaces` (default `kube-system`, `d8-*`). */
  excludedNamespaces?: readonly string[];
  labelSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  name?: string;
  source?: "All" | "Generated" | "Original";
}

export type EnforcementAction = "deny" | "dryrun" | "warn" | "scoped";

export interface ScopedEnforcementAction {
  action: "deny" | "dryrun" | "warn";
  enforcementPoints: readonly {
    name: "validation.gatekeeper.sh" | "audit.gatekeeper.sh" | "gator.gatekeeper.sh" | "vap.k8s.io" | "*";
  }[];
}

interface ConstraintOptions<P extends object> {
  /** The Constraint's name: a DNS-1123 subdomain of at most 63 characters. */
  name: string;
  match?: Match;
  /** Default `deny`. `scoped` needs `scopedEnforcementActions`. */
  enforcementAction?: EnforcementAction;
  scopedEnforcementActions?: readonly ScopedEnforcementAction[];
  /**
   * Binds the constraint to Deckhouse Pod Security Standards namespaces (label
   * `security.deckhouse.io/pod-policy`), selecting them as Deckhouse's own PSS constraints do for the
   * configured cluster default policy. Adds a `namespaceSelector` and pod label exclusions to `match`.
   * Without an explicit `enforcementAction` the action follows the namespace label
   * `security.deckhouse.io/pod-policy-action` as for Deckhouse's PSS constraints: one constraint per
   * action, `<name>` for the module default action (config `podSecurity.enforcementAction`) and
   * `<name>-warn` / `<name>-dryrun` / `<name>-deny` for the others.
   */
  podSecurity?: "restricted" | "baseline";
  /** Set to false to not add the config's `exemptNamespaces` to `excludedNamespaces`. */
  exemptSystemNamespaces?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Objects this constraint must allow or deny (parameters default to the constraint's). */
  tests?: readonly TestCase<P>[];
}

/** `parameters` is required exactly when `P` has a required property. */
export type ConstraintSpec<P extends object> = ConstraintOptions<P> &
  ({} extends P ? { parameters?: NoInfer<P> } : { parameters: NoInfer<P> });

export interface Constraint<P extends object = {}> extends Definition {
  readonly check: Check<P>;
  readonly spec: ConstraintSpec<P>;
}

/**
 * Defines a Constraint of `check`'s kind.
 *
 * @example
 * defineConstraint(allowedRepos, {
 *   name: "prod-repo",
 *   podSecurity: "restricted",
 *   parameters: { repos: ["mycompany.registry.com"] },
 * });
 */
export function defineConstraint<P extends object>(check: Check<P>, spec: ConstraintSpec<P>): Constraint<P> {
  return registerDefinition("constraint", { check, spec: { ...spec } }) as Constraint<P>;
}
