// Two SecurityPolicies on the namespaces labelled name=test (Deckhouse FAQ: a Pod must satisfy both),
// and an exception that lets one workload keep a writable root filesystem.
import { securityPolicy, securityPolicyException } from "policyc";

const testNamespaces = { namespaceSelector: { labelSelector: { matchLabels: { name: "test" } } } };

export const foo = securityPolicy({
  name: "foo",
  enforcementAction: "Deny",
  match: testNamespaces,
  policies: { readOnlyRootFilesystem: true, requiredDropCapabilities: ["MKNOD"] },
});

export const bar = securityPolicy({
  name: "bar",
  enforcementAction: "Deny",
  match: testNamespaces,
  policies: { requiredDropCapabilities: ["NET_BIND_SERVICE"] },
});

/** Pods labelled `security.deckhouse.io/security-policy-exception: cache-writer` may write to their root filesystem. */
export const cacheWriter = securityPolicyException({
  name: "cache-writer",
  namespace: "test",
  securityContext: {
    readOnlyRootFilesystem: { allowedValue: false, metadata: { description: "writes its cache next to the binary" } },
  },
});
