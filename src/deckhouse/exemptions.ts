/**
 * What admission-policy-engine never checks: namespaces labelled `heritage: deckhouse`
 * (kube-system and the `d8-*` namespaces modules create; the webhook's namespaceSelector leaves them
 * out) unless they opted in with `security.deckhouse.io/enable-security-policy-check` (a second
 * webhook sends those), Gatekeeper's own namespace, Gatekeeper's webhook pods, and, for PSS only, pods labelled
 * `security.deckhouse.io/skip-pss-check=true` (the PSS Constraints' labelSelector).
 */

export const SYSTEM_NAMESPACE_LABEL = { key: "heritage", value: "deckhouse" };
export const GATEKEEPER_NAMESPACE = "d8-admission-policy-engine";
/** A system namespace carrying this label is sent to Gatekeeper by Deckhouse's second webhook. */
export const OPT_IN_LABEL = "security.deckhouse.io/enable-security-policy-check";

/**
 * The labels a namespace has in a Deckhouse cluster. Without its Namespace object, kube-system and
 * `d8-*` namespaces are assumed to carry `heritage: deckhouse`, as Deckhouse labels them.
 */
export function namespaceLabels(name: string | undefined, known: Record<string, string> | undefined): Record<string, string> {
  const labels: Record<string, string> = { ...(known ?? {}) };
  if (name) labels["kubernetes.io/metadata.name"] ??= name;
  if (!known && name && (name === "kube-system" || name.startsWith("d8-"))) labels[SYSTEM_NAMESPACE_LABEL.key] = SYSTEM_NAMESPACE_LABEL.value;
  return labels;
}

/** Why Deckhouse's webhook does not send an object to Gatekeeper at all, or undefined. */
export function webhookSkips(namespace: string | undefined, nsLabels: Record<string, string>, objectLabels: Record<string, string>): string | undefined {
  if (nsLabels[SYSTEM_NAMESPACE_LABEL.key] === SYSTEM_NAMESPACE_LABEL.value && nsLabels[OPT_IN_LABEL] === undefined) {
    return "system namespace (heritage=deckhouse): Deckhouse's webhook does not send its requests to Gatekeeper";
  }
  if (namespace === GATEKEEPER_NAMESPACE) return "Gatekeeper's own namespace is exempt";
  if (objectLabels["gatekeeper.sh/operation"] === "webhook") return "Gatekeeper's webhook pods are exempt";
  return undefined;
}
