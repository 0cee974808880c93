/**
 * D8DenyExecHeritage: not rendered from a policy but always present. Deckhouse's third webhook sends
 * `pods/exec` and `pods/attach` CONNECT requests in `d8-*` and `kube-*` namespaces to Gatekeeper,
 * where the Constraint `deny-exec-heritage-pods` forbids them into Pods labelled
 * `heritage: deckhouse`, except for `system:sudouser` and the service accounts of those namespaces.
 */
import { defineCheck, regoFile } from "policyc";
import { podReview } from "../support/objects.js";


/** The Deckhouse Pod `name` in `namespace`, as Gatekeeper's inventory holds it. */
const platformPod = (name: string, namespace = "d8-system", labels: Record<string, string> = { heritage: "deckhouse" }) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: "main", image: "registry.deckhouse.io/deckhouse:1.0" }] },
});

/** The AdmissionReview of `kubectl exec` (or attach) into `pod` by `username`. */
const connect = (pod: string, username: string, sub: "exec" | "attach" = "exec", namespace = "d8-system") => {
  const kind = sub === "exec" ? "PodExecOptions" : "PodAttachOptions";
  return podReview({
    subResource: sub,
    name: pod,
    namespace,
    operation: "CONNECT",
    userInfo: { username, groups: ["system:authenticated"] },
    object: { apiVersion: "v1", kind, container: "main", stdin: true, tty: true, ...(sub === "exec" ? { command: ["sh"] } : {}) },
  });
};

export const denyExecHeritage = defineCheck<{}>({
  kind: "D8DenyExecHeritage",
  title: "Exec into Deckhouse's Pods",
  description: "Only system:sudouser and the service accounts of d8-* and kube-* namespaces may exec or attach into Pods labelled heritage: deckhouse.",
  rego: regoFile("./deny-exec-heritage.rego"),
  tests: [
    {
      name: "user-exec",
      object: connect("deckhouse-5d8f", "alice@example.com"),
      inventory: [platformPod("deckhouse-5d8f")],
      violations: 1,
      messages: ['Exec/attach to Pod "deckhouse-5d8f" in namespace "d8-system" with label \'heritage: deckhouse\' is forbidden for user "alice@example.com"'],
    },
    { name: "user-attach", object: connect("deckhouse-5d8f", "alice@example.com", "attach"), inventory: [platformPod("deckhouse-5d8f")], violations: 1 },
    { name: "sudouser", object: connect("deckhouse-5d8f", "system:sudouser"), inventory: [platformPod("deckhouse-5d8f")], violations: "no" },
    { name: "d8-service-account", object: connect("deckhouse-5d8f", "system:serviceaccount:d8-system:deckhouse"), inventory: [platformPod("deckhouse-5d8f")], violations: "no" },
    { name: "kube-service-account", object: connect("coredns-1", "system:serviceaccount:kube-system:admin", "exec", "kube-system"), inventory: [platformPod("coredns-1", "kube-system")], violations: "no" },
    { name: "other-service-account", object: connect("deckhouse-5d8f", "system:serviceaccount:apps:ci"), inventory: [platformPod("deckhouse-5d8f")], violations: 1 },
    { name: "not-heritage", object: connect("tool-1", "alice@example.com"), inventory: [platformPod("tool-1", "d8-system", { app: "tool" })], violations: "no" },
    { name: "pod-review", object: platformPod("deckhouse-5d8f", "default"), violations: 1, messages: ['Exec/attach to Pod "deckhouse-5d8f" in namespace "default" with label \'heritage: deckhouse\' is forbidden for user ""'] },
    { name: "pod-review-sudouser", object: platformPod("deckhouse-5d8f"), userInfo: { username: "system:sudouser" }, violations: "no" },
    { name: "pod-review-not-heritage", object: platformPod("tool-1", "d8-system", { heritage: "none" }), violations: "no" },
    { name: "pod-not-synced", object: connect("deckhouse-5d8f", "alice@example.com"), violations: "no" },
  ],
});
