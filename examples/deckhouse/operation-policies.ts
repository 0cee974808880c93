// OperationPolicies from the Deckhouse security-policies page: the recommended minimal `common`
// policy, and the OperationPolicy of the image-signature walkthrough that limits Pods to the
// private registry.
import { operationPolicy } from "policyc";

export const common = operationPolicy({
  name: "common",
  policies: {
    allowedRepos: ["myrepo.example.com", "registry.deckhouse.io"],
    requiredResources: { limits: ["memory"], requests: ["cpu", "memory"] },
    disallowedImageTags: ["latest"],
    requiredProbes: ["livenessProbe", "readinessProbe"],
    maxRevisionHistoryLimit: 3,
    imagePullPolicy: "Always",
    priorityClassNames: ["production-high", "production-low"],
    checkHostNetworkDNSPolicy: true,
    checkContainerDuplicates: true,
  },
  match: {
    namespaceSelector: { labelSelector: { matchLabels: { "operation-policy.deckhouse.io/enabled": "true" } } },
  },
});

// The docs' YAML for this one is mis-indented (the label lands beside `matchLabels` instead of
// inside it, which the CRD rejects); this is the object the docs mean.
export const testOperationPolicy = operationPolicy({
  name: "test-operation-policy",
  enforcementAction: "Deny",
  match: {
    namespaceSelector: { labelSelector: { matchLabels: { "operation-policy.deckhouse.io/enabled": "true" } } },
  },
  policies: { allowedRepos: ["registry.private.ru"] },
});
