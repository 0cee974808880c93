// Two SecurityPolicies on the same namespace (Deckhouse FAQ): a Pod in a namespace labelled
// `name=test` must satisfy both — `policyc explain --namespace-labels name=test` shows the merge.
import { securityPolicy } from "policyc";

const testNamespaces = { namespaceSelector: { labelSelector: { matchLabels: { name: "test" } } } };

export const foo = securityPolicy({
  name: "foo",
  enforcementAction: "Deny",
  match: testNamespaces,
  policies: { readOnlyRootFilesystem: true, requiredDropCapabilities: ["MKNOD"] },
  // Run by `policyc test` through Deckhouse's templates (the policy pack); not emitted.
  tests: [
    {
      name: "docs-container",
      namespaceLabels: { name: "test" },
      object: pod({ capabilities: { drop: ["MKNOD", "NET_BIND_SERVICE"] }, readOnlyRootFilesystem: true }),
      violations: "no",
    },
    {
      name: "writable-root",
      namespaceLabels: { name: "test" },
      object: pod({ capabilities: { drop: ["MKNOD"] } }),
      violations: 1,
      messages: ["only read-only root filesystem container is allowed, container: app"],
    },
    {
      name: "exception",
      namespaceLabels: { name: "test" },
      object: pod({ capabilities: { drop: ["MKNOD"] } }, { "security.deckhouse.io/security-policy-exception": "writable-root" }),
      inventory: [
        {
          apiVersion: "deckhouse.io/v1alpha1",
          kind: "SecurityPolicyException",
          metadata: { name: "writable-root", namespace: "test" },
          spec: { securityContext: { readOnlyRootFilesystem: { allowedValue: false } } },
        },
      ],
      violations: "no",
    },
    { name: "other-namespace", namespaceLabels: { name: "prod" }, object: pod({}), violations: "no" },
  ],
});

/** A Pod in namespace `test` whose container has the securityContext `sc`. */
function pod(sc: Record<string, unknown>, labels: Record<string, string> = {}) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", namespace: "test", labels },
    spec: { containers: [{ name: "app", image: "registry.example.com/app:1.0", securityContext: sc }] },
  };
}

export const bar = securityPolicy({
  name: "bar",
  enforcementAction: "Deny",
  match: testNamespaces,
  policies: { requiredDropCapabilities: ["NET_BIND_SERVICE"] },
  tests: [
    {
      name: "keeps-net-bind-service",
      namespaceLabels: { name: "test" },
      object: pod({ capabilities: { drop: ["MKNOD"] } }),
      violations: 1,
      messages: ["container is not dropping all required capabilities, container: app | capabilities.drop: [\"MKNOD\"] | policy allows: [\"NET_BIND_SERVICE\"]"],
    },
  ],
});
