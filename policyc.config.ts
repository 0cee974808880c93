// The repo's own policy project: builds examples/ into generated/ (committed; `policyc build --check` in CI).
import { defineConfig } from "policyc";

export default defineConfig({
  include: ["examples/policies/**/*.ts", "examples/deckhouse/**/*.ts", "examples/kyverno/**/*.ts"],
  outDir: "generated",
  regoVersion: "v0",
  exemptNamespaces: ["kube-system", "d8-*"],
  podSecurity: { defaultPolicy: "Privileged" },
  docs: true,
  expansion: true,
  kyverno: { policyDir: "examples/kyverno/cluster-policies", exceptionNamespace: "kyverno", resourceFilters: true },
  // Every constraint whose check has CEL also ships as a ValidatingAdmissionPolicy + Binding (params: the Constraint).
  validatingAdmissionPolicy: true,
});
