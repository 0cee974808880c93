/**
 * The facts about a Deckhouse cluster that decide which Constraints its admission-policy-engine
 * renders, and that policyc cannot read from a project: the module settings and the edition. They
 * come from `policyc.config.ts` (`deckhouse: {...}`, `podSecurity: {...}`), with Deckhouse's defaults.
 */

export type PssPolicy = "Privileged" | "Baseline" | "Restricted";
/** Gatekeeper's spelling of an enforcement action, as Deckhouse renders it (lowercased). */
export type Action = "deny" | "warn" | "dryrun";
export type Edition = "CE" | "BE" | "SE" | "SE-plus" | "EE" | "FE" | "CSE";

export interface PortRange {
  min: number;
  max: number;
}

export interface DeckhouseCluster {
  /** `podSecurityStandards.defaultPolicy`: the level of namespaces without a `pod-policy` label. */
  podSecurityDefault: PssPolicy;
  /** `podSecurityStandards.enforcementAction`, lowercased: the action of namespaces without a `pod-policy-action` label. */
  podSecurityAction: Action;
  /** `podSecurityStandards.policies.hostPorts.knownRanges`: host ports baseline still allows. */
  knownHostPortRanges: PortRange[];
  /**
   * `global.deckhouseEdition`: image signature verification exists only in some editions. Unknown
   * (unset), policies' `verifyImageSignatures` are taken at their word and rendered.
   */
  edition?: Edition;
  /**
   * `podSecurityStandards.controllerValidation`: the Constraints of every kind that reads a pod spec
   * (PSS, SecurityPolicy, OperationPolicy) also match the controllers that create Pods (Deployment,
   * StatefulSet, DaemonSet, ReplicationController, Job, CronJob), so a workload is denied on apply.
   * Deckhouse's main branch does this by default; policyc's default (false: Pods only) is the
   * behaviour of the releases whose changelogs it could check (docs/deckhouse.md).
   */
  controllerValidation: boolean;
}

export const DEFAULT_CLUSTER: DeckhouseCluster = {
  // Clusters installed since v1.55 default to Baseline; policyc's config default stays Privileged
  // for projects written before the setting existed, so callers pass the config's value.
  podSecurityDefault: "Privileged",
  podSecurityAction: "deny",
  knownHostPortRanges: [],
  controllerValidation: false,
};

/** The editions whose template renders `verifyImageSignatures` (the module checks `global.deckhouseEdition`). */
export const SIGNATURE_EDITIONS: readonly Edition[] = ["EE", "FE", "CSE", "SE-plus"];

export const ACTIONS: readonly Action[] = ["deny", "dryrun", "warn"];

/** `Deny` → `deny`, absent → `deny`: Deckhouse's `default "deny" | lower`. */
export function lowerAction(value: unknown): Action {
  const v = typeof value === "string" ? value.toLowerCase() : "deny";
  return (ACTIONS as readonly string[]).includes(v) ? (v as Action) : "deny";
}

/** The cluster facts a project's config states (`podSecurity`, `deckhouse`). */
export function clusterOfConfig(config: {
  podSecurityDefault: PssPolicy;
  deckhouse?: { podSecurityAction: Action; knownHostPortRanges: PortRange[]; edition?: Edition; controllerValidation?: boolean };
}): DeckhouseCluster {
  return {
    podSecurityDefault: config.podSecurityDefault,
    podSecurityAction: config.deckhouse?.podSecurityAction ?? "deny",
    knownHostPortRanges: (config.deckhouse?.knownHostPortRanges ?? []).map((r) => ({ ...r })),
    controllerValidation: config.deckhouse?.controllerValidation === true,
    ...(config.deckhouse?.edition ? { edition: config.deckhouse.edition } : {}),
  };
}
