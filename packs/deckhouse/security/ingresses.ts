/** D8AllowedIngresses: rendered from SecurityPolicy `blockWildcardDomains: true`, on networking.k8s.io Ingresses. */
import { defineCheck, type Ingress } from "policyc";
import { object } from "../support/objects.js";

const ingress = (...hosts: string[]) => object("networking.k8s.io/v1", "Ingress", { spec: { rules: hosts.map((host) => ({ host })) } });

export const allowedIngresses = defineCheck<{
  /** Reject Ingresses with `*` in a host. */
  blockWildcardDomains?: boolean;
}, Ingress>({
  kind: "D8AllowedIngresses",
  regoPackage: "d8.security_policies",
  title: "Wildcard Ingress hosts",
  description: "With blockWildcardDomains, an Ingress rule's host must not contain `*`.",
  violation(review, params, report) {
    if (params.blockWildcardDomains !== true) return;
    for (const rule of review.object.spec?.rules ?? []) {
      const host = rule.host ?? "";
      if (host.includes("*")) report(`Ingress '${review.object.metadata?.name ?? ""}' contains a wildcard '*' in host '${host}', which is not allowed.`, {});
    }
  },
  tests: [
    { name: "wildcard", parameters: { blockWildcardDomains: true }, object: ingress("*.example.com"), violations: 1, messages: ["Ingress 'obj' contains a wildcard '*' in host '*.example.com', which is not allowed."] },
    { name: "plain", parameters: { blockWildcardDomains: true }, object: ingress("app.example.com"), violations: "no" },
    { name: "not-blocked", parameters: { blockWildcardDomains: false }, object: ingress("*.example.com"), violations: "no" },
    { name: "several-hosts", parameters: { blockWildcardDomains: true }, object: ingress("a.example.com", "*.b.example.com", "*"), violations: 2 },
  ],
});
