/** D8IngressClass: rendered from OperationPolicy `ingressClassNames`, on networking.k8s.io Ingresses. */
import { defineCheck, regoString, type Ingress } from "policyc";
import { object } from "../support/objects.js";

export const ingressClass = defineCheck<{
  /** Ingress classes Ingresses may use. */
  ingressClassNames: string[];
}, Ingress>({
  kind: "D8IngressClass",
  regoPackage: "d8.operation_policies",
  title: "Ingress classes",
  description: "An Ingress's spec.ingressClassName must be one of the allowed ones (an unset one is not checked).",
  violation(review, params, report) {
    const name = review.object.spec?.ingressClassName;
    if (name === undefined) return;
    if (!params.ingressClassNames.includes(name)) {
      report(`Ingress <${review.object.metadata?.name ?? ""}> has invalid ingress class: ${name}, allowed: ${regoString(params.ingressClassNames)}`);
    }
  },
  tests: [
    { name: "other", parameters: { ingressClassNames: ["nginx"] }, object: object("networking.k8s.io/v1", "Ingress", { spec: { ingressClassName: "traefik" } }), violations: 1, messages: ["Ingress <obj> has invalid ingress class: traefik, allowed: [\"nginx\"]"] },
    { name: "allowed", parameters: { ingressClassNames: ["nginx"] }, object: object("networking.k8s.io/v1", "Ingress", { spec: { ingressClassName: "nginx" } }), violations: "no" },
    { name: "unset", parameters: { ingressClassNames: ["nginx"] }, object: object("networking.k8s.io/v1", "Ingress", { spec: {} }), violations: "no" },
  ],
});
