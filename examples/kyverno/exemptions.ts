// Kyverno policies installed from elsewhere (here: a vendor Helm chart) that must never block the
// Deckhouse system namespaces. policyc emits one PolicyException per policy into the configured
// exception namespace (Kyverno's --exceptionNamespace).
import { kyvernoPolicy } from "policyc";

export const vendorPodSecurity = kyvernoPolicy({
  name: "disallow-privileged-containers",
  rules: ["privileged-containers"],
});

export const vendorNetwork = kyvernoPolicy({
  name: "restrict-node-port",
  rules: [{ name: "validate-nodeport", kinds: ["Service"] }],
});
