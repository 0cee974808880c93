/**
 * D8VerifyImageSignatures: rendered from SecurityPolicy `verifyImageSignatures` in the editions
 * that have it. Ratify answers through Gatekeeper external data: tests either mock its answer in the
 * inventory (`isTest`, as the module's own tests do) or mock the provider itself (`externalData`);
 * an unreachable provider is reported with its system error.
 */
import { defineCheck, regoFile } from "policyc";
import { pod } from "../support/objects.js";

/** Ratify's mocked answer for a test, in namespace `app`. */
const ratify = (answer: Record<string, unknown>) => ({
  apiVersion: "deckhouse.io/v1alpha1",
  kind: "ExternalDataInventory",
  metadata: { name: "default", namespace: "app" },
  spec: { providers: { "ratify-provider": { errors: [], system_error: "", responses: [], ...answer } } },
});
/** Ratify's answer when Gatekeeper cannot reach it (mocked as the provider's response). */
const unreachable = { "ratify-provider": { status_code: 503, system_error: "ratify is unreachable" } };
const withImage = (image: string) => pod({ containers: [{ name: "app", image }] });
const references = ["^docker.io/myrepo/.*$"];

export const verifyImageSignatures = defineCheck<{
  /** Anchored regular expressions: a reference with `*` turned into `.*` (dots are not escaped). */
  references: string[];
  /** Read Ratify's answer from the inventory (`ExternalDataInventory/default`) instead of calling it. */
  isTest?: boolean;
}>({
  kind: "D8VerifyImageSignatures",
  title: "Image signatures",
  description: "Images under a signature reference must pass Ratify's Cosign verification.",
  rego: regoFile("./verify-image-signatures.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "unsigned", parameters: { references, isTest: true }, object: withImage("docker.io/myrepo/app:1"), inventory: [ratify({ responses: [["docker.io/myrepo/app:1", { isSuccess: false }]] })], violations: 1, messages: ["Image signature verification failed: docker.io/myrepo/app:1"] },
    { name: "mock-map-unsigned", parameters: { references, isTest: true }, object: withImage("docker.io/myrepo/app:1"), inventory: [ratify({ responses: { "docker.io/myrepo/app:1": { isSuccess: false }, "nginx:1": { isSuccess: true } } })], violations: 1, messages: ["Image signature verification failed: docker.io/myrepo/app:1"] },
    { name: "mock-map-signed", parameters: { references, isTest: true }, object: withImage("docker.io/myrepo/app:1"), inventory: [ratify({ responses: { "docker.io/myrepo/app:1": { isSuccess: true } } })], violations: "no" },
    { name: "mock-map-other-image-unsigned", parameters: { references, isTest: true }, object: withImage("docker.io/myrepo/app:1"), inventory: [ratify({ responses: { "docker.io/myrepo/other:1": { isSuccess: false } } })], violations: "no" },
    { name: "signed", parameters: { references, isTest: true }, object: withImage("docker.io/myrepo/app:1"), inventory: [ratify({ responses: [["docker.io/myrepo/app:1", { isSuccess: true }]] })], violations: "no" },
    { name: "not-referenced", parameters: { references, isTest: true }, object: withImage("nginx:1.17.2"), inventory: [ratify({ responses: [["nginx:1.17.2", { isSuccess: false }]] })], violations: "no" },
    { name: "system-error", parameters: { references, isTest: true }, object: withImage("docker.io/myrepo/app:1"), inventory: [ratify({ system_error: "timeout" })], violations: 1, messages: ["System error calling external data provider: timeout"] },
    { name: "errors", parameters: { references, isTest: true }, object: withImage("docker.io/myrepo/app:1"), inventory: [ratify({ errors: [["docker.io/myrepo/app:1", "unauthorized"]] })], violations: 1, messages: ["Error validating one or more images:"] },
    { name: "deployment-unsigned", parameters: { references, isTest: true }, object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "app" }, spec: { template: { spec: { containers: [{ name: "app", image: "docker.io/myrepo/app:2" }] } } } }, inventory: [ratify({ responses: [["docker.io/myrepo/app:2", { isSuccess: false }]] })], violations: 1, messages: ["Image signature verification failed: docker.io/myrepo/app:2"] },
    { name: "offline", parameters: { references }, object: withImage("docker.io/myrepo/app:1"), externalData: unreachable, violations: 1, messages: ["System error calling external data provider: ratify is unreachable"] },
    { name: "offline-not-referenced", parameters: { references }, object: withImage("nginx:1.17.2"), externalData: unreachable, violations: "no" },
    { name: "provider-unsigned", parameters: { references }, object: withImage("docker.io/myrepo/app:1"), externalData: { "ratify-provider": { responses: [["docker.io/myrepo/app:1", { isSuccess: false }]] } }, violations: 1, messages: ["Image signature verification failed: docker.io/myrepo/app:1"] },
  ],
});
