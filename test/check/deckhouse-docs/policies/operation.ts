// The minimal OperationPolicy the Deckhouse documentation recommends, on namespaces labelled
// operation-policy.deckhouse.io/enabled=true.
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
