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
  // Run by `policyc test` through Deckhouse's templates (the policy pack); not emitted.
  tests: [
    {
      name: "latest-tag",
      namespaceLabels: { "operation-policy.deckhouse.io/enabled": "true" },
      object: {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "web", namespace: "apps" },
        spec: {
          priorityClassName: "production-high",
          containers: [
            {
              name: "app",
              image: "registry.deckhouse.io/app:latest",
              imagePullPolicy: "Always",
              resources: { limits: { memory: "1Gi" }, requests: { cpu: "100m", memory: "1Gi" } },
              livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
              readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
            },
          ],
        },
      },
      violations: 1,
      messages: ["container <app> uses a disallowed tag <registry.deckhouse.io/app:latest>"],
    },
    {
      name: "revision-history",
      namespaceLabels: { "operation-policy.deckhouse.io/enabled": "true" },
      object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "apps" }, spec: { revisionHistoryLimit: 10 } },
      violations: 1,
      messages: ["Deployment <web> has .spec.revisionHistoryLimit: 10, required: 3"],
    },
    {
      name: "other-namespace",
      namespaceLabels: {},
      object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "apps" }, spec: { revisionHistoryLimit: 10 } },
      violations: "no",
    },
  ],
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
