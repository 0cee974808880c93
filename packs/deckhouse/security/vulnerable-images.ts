/**
 * D8VulnerableImages: images the Trivy provider refuses are denied. The module installs the
 * template; its Constraint is no longer rendered from the module's settings (`denyVulnerableImages`
 * is deprecated; the operator-trivy module configures it), so only a cluster's own Constraints use
 * it here. The provider answers through Gatekeeper external data, which tests mock in the inventory
 * (`isTest`, as the module's own tests do) or as the provider (`externalData`).
 */
import { defineCheck, regoFile } from "policyc";
import { pod, workloadOf } from "../support/objects.js";

/** The Trivy provider's mocked answer for a test, in namespace `app`. */
const trivy = (answer: Record<string, unknown>) => ({
  apiVersion: "deckhouse.io/v1alpha1",
  kind: "ExternalDataInventory",
  metadata: { name: "default", namespace: "app" },
  spec: { providers: { "trivy-provider": { errors: [], system_error: "", responses: {}, ...answer } } },
});
const withImages = (...images: string[]) => pod({ containers: images.map((image, i) => ({ name: `c${i}`, image })) });

export const vulnerableImages = defineCheck<{
  /** Read the provider's answer from the inventory (`ExternalDataInventory/default`) instead of calling it. */
  isTest?: boolean;
}>({
  kind: "D8VulnerableImages",
  title: "Vulnerable images",
  description: "Images of containers and init containers that the Trivy external data provider refuses (it reports them as errors), or that it cannot scan (a system error), are denied.",
  rego: regoFile("./vulnerable-images.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "clean", parameters: { isTest: true }, object: withImages("nginx:1.27"), inventory: [trivy({ responses: { "nginx:1.27": { vulnerabilities: [] } } })], violations: "no" },
    { name: "refused", parameters: { isTest: true }, object: withImages("registry.example.com/app:1"), inventory: [trivy({ errors: ["registry.example.com/app:1 contains high vulnerabilities"] })], violations: 1, messages: ["Vulnerable images are not allowed: [\"registry.example.com/app:1 contains high vulnerabilities\"]"] },
    { name: "system-error", parameters: { isTest: true }, object: withImages("nginx:1.27", "busybox:1.36"), inventory: [trivy({ system_error: "trivy-provider timeout" })], violations: 1, messages: ["System error calling external data provider: trivy-provider timeout"] },
    { name: "init-container-refused", parameters: { isTest: true }, object: pod({ containers: [{ name: "app", image: "nginx:1.27" }], initContainers: [{ name: "init", image: "bad:1" }] }), inventory: [trivy({ errors: ["bad:1 contains critical vulnerabilities"] })], violations: 1 },
    { name: "deployment-refused", parameters: { isTest: true }, object: workloadOf("Deployment", { containers: [{ name: "app", image: "bad:1" }] }), inventory: [trivy({ errors: ["bad:1 contains critical vulnerabilities"] })], violations: 1 },
    { name: "offline", object: withImages("nginx:1.27"), externalData: { "trivy-provider": { status_code: 503, system_error: "trivy-provider is unreachable" } }, violations: 1, messages: ["System error calling external data provider: trivy-provider is unreachable"] },
    { name: "provider-clean", object: withImages("nginx:1.27"), externalData: { "trivy-provider": { responses: [["nginx:1.27", { vulnerabilities: [] }]] } }, violations: "no" },
  ],
});
