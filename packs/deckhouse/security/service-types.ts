/** D8AllowedServiceTypes: rendered from SecurityPolicy `allowedServiceTypes`, on core Services. */
import { defineCheck, regoString, type Service } from "policyc";
import { object } from "../support/objects.js";

export type ServiceType = "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";

export const allowedServiceTypes = defineCheck<{
  /** Service types that are allowed. */
  allowedServiceTypes: ServiceType[];
}, Service>({
  kind: "D8AllowedServiceTypes",
  regoPackage: "d8.security_policies",
  title: "Service types",
  description: "A Service's type (ClusterIP when unset) must be allowed.",
  violation(review, params, report) {
    const type = review.object.spec?.type ?? "ClusterIP";
    if (!params.allowedServiceTypes.some((t) => t === type)) {
      report(`Field Service ${review.object.metadata?.name ?? ""} type has value ${type} which is not allowed (${regoString(params.allowedServiceTypes)})`, {});
    }
  },
  tests: [
    { name: "load-balancer", parameters: { allowedServiceTypes: ["ClusterIP"] }, object: object("v1", "Service", { spec: { type: "LoadBalancer" } }), violations: 1, messages: ["Field Service obj type has value LoadBalancer which is not allowed ([\"ClusterIP\"])"] },
    { name: "cluster-ip", parameters: { allowedServiceTypes: ["ClusterIP", "NodePort"] }, object: object("v1", "Service", { spec: { type: "NodePort" } }), violations: "no" },
    { name: "unset-is-cluster-ip", parameters: { allowedServiceTypes: ["ClusterIP"] }, object: object("v1", "Service", { spec: {} }), violations: "no" },
    { name: "unset-not-allowed", parameters: { allowedServiceTypes: ["NodePort"] }, object: object("v1", "Service", { spec: {} }), violations: 1 },
  ],
});
