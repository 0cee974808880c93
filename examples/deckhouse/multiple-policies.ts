// Two SecurityPolicies on the same namespace (Deckhouse FAQ): a Pod in a namespace labelled
// `name=test` must satisfy both — `policyc explain --namespace-labels name=test` shows the merge.
import { securityPolicy } from "policyc";

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
