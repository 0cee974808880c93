/**
 * Gatekeeper's namespace-label webhook (`check-ignore-label.gatekeeper.sh`): a Namespace that
 * carries `admission.gatekeeper.sh/ignore` escapes every constraint, so Gatekeeper lets only the
 * namespaces its controller was started with `--exempt-namespace` (or `--exempt-namespace-prefix`,
 * `--exempt-namespace-suffix`) carry it, and refuses to create or update any other Namespace with
 * the label. The Helm chart exempts Gatekeeper's own namespace.
 */
import type { AdmissionOptions } from "./review.js";
import { isNamespaceObject, labelsOf, nameOf, type KubeObject } from "./objects.js";
import { wildcardMatches } from "./wildcard.js";

export const IGNORE_LABEL = "admission.gatekeeper.sh/ignore";

/** The namespaces Gatekeeper's Helm chart lets carry the label when nothing else is said. */
export const DEFAULT_LABEL_EXEMPT = ["gatekeeper-system"] as const;

/**
 * Why the label webhook refuses the object, or undefined when it admits it. `exempt` are names;
 * `prefix*` and `*suffix` stand for the prefix and suffix flags.
 */
export function ignoreLabelRefusal(object: KubeObject, operation: AdmissionOptions["operation"], exempt: readonly string[]): string | undefined {
  if (!isNamespaceObject(object) || (operation !== "CREATE" && operation !== "UPDATE")) return undefined;
  if (labelsOf(object)[IGNORE_LABEL] === undefined) return undefined;
  const name = nameOf(object);
  if (exempt.some((p) => wildcardMatches(p, name))) return undefined;
  return `Only exempt namespace can have the ${IGNORE_LABEL} label`;
}
