/**
 * What `policyc check` knows of the cluster's namespaces, in the order a later source wins:
 * Namespace objects among the inputs, a namespaces file (`--namespaces FILE`, e.g. `kubectl get ns
 * -o yaml`), and `--namespace-labels ns=k=v,...`. Every Namespace gets the
 * `kubernetes.io/metadata.name` label the API server adds. Also decides which objects are
 * namespaced (without an API server: a list of built-in cluster-scoped kinds, plus `Cluster*`
 * kinds) and gives a namespaced object without one the `--namespace` it would be applied to.
 */
import { parseLabels } from "../../explain/labels.js";
import { gvkOf, isNamespaceObject, isObject, nameOf, namespaceOf, type KubeObject } from "../gatekeeper/objects.js";

export class NamespaceDirectory {
  private readonly byName = new Map<string, KubeObject>();

  add(ns: KubeObject): void {
    const name = nameOf(ns);
    if (name === "") return;
    const meta = isObject(ns.metadata) ? ns.metadata : {};
    const labels = isObject(meta.labels) ? meta.labels : {};
    this.byName.set(name, { ...ns, metadata: { ...meta, labels: { ...labels, "kubernetes.io/metadata.name": name } } });
  }

  /** Adds `name` with `labels` merged over what is known of it. */
  addLabels(name: string, labels: Record<string, string>): void {
    const known = this.byName.get(name);
    const meta = known && isObject(known.metadata) ? known.metadata : {};
    const old = isObject(meta.labels) ? meta.labels : {};
    this.add({ apiVersion: "v1", kind: "Namespace", metadata: { ...meta, name, labels: { ...old, ...labels } } });
  }

  get(name: string): KubeObject | undefined {
    return this.byName.get(name);
  }

  all(): KubeObject[] {
    return [...this.byName.values()];
  }
}

/** `ns=k=v,k2=v2` → the namespace and its labels, or an error naming the problem. */
export function parseNamespaceLabels(text: string): { namespace: string; labels: Record<string, string> } | { error: string } {
  const eq = text.indexOf("=");
  if (eq <= 0) return { error: `\`${text}\` must be NAMESPACE=KEY=VALUE,... (e.g. prod=security.deckhouse.io/pod-policy=restricted)` };
  const namespace = text.slice(0, eq);
  const labels = parseLabels(text.slice(eq + 1));
  if ("error" in labels) return { error: `${namespace}: ${labels.error}` };
  return { namespace, labels: labels.labels };
}

/** Built-in kinds that live outside namespaces (groups as in the API). */
const CLUSTER_SCOPED = new Set([
  "/Namespace",
  "/Node",
  "/PersistentVolume",
  "/ComponentStatus",
  "rbac.authorization.k8s.io/ClusterRole",
  "rbac.authorization.k8s.io/ClusterRoleBinding",
  "storage.k8s.io/StorageClass",
  "storage.k8s.io/CSIDriver",
  "storage.k8s.io/CSINode",
  "storage.k8s.io/VolumeAttachment",
  "apiextensions.k8s.io/CustomResourceDefinition",
  "apiregistration.k8s.io/APIService",
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
  "scheduling.k8s.io/PriorityClass",
  "networking.k8s.io/IngressClass",
  "node.k8s.io/RuntimeClass",
  "certificates.k8s.io/CertificateSigningRequest",
  "flowcontrol.apiserver.k8s.io/FlowSchema",
  "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
  "templates.gatekeeper.sh/ConstraintTemplate",
  "expansion.gatekeeper.sh/ExpansionTemplate",
  "deckhouse.io/SecurityPolicy",
  "deckhouse.io/OperationPolicy",
  "deckhouse.io/ModuleConfig",
  "deckhouse.io/NodeGroup",
]);

const CLUSTER_GROUPS = new Set(["constraints.gatekeeper.sh", "mutations.gatekeeper.sh"]);

export function isClusterScoped(obj: KubeObject): boolean {
  const g = gvkOf(obj);
  return CLUSTER_SCOPED.has(`${g.group}/${g.kind}`) || CLUSTER_GROUPS.has(g.group) || g.kind.startsWith("Cluster");
}

/**
 * The object as the API server stores it when applied with `-n <defaultNamespace>`: a namespaced
 * object without `metadata.namespace` gets it. Returns the same object when nothing changes.
 */
export function placeInNamespace(obj: KubeObject, defaultNamespace: string): KubeObject {
  if (namespaceOf(obj) !== "" || isNamespaceObject(obj) || isClusterScoped(obj)) return obj;
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  return { ...obj, metadata: { ...meta, namespace: defaultNamespace } };
}
