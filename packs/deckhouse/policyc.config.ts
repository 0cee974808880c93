// The Deckhouse policy pack: the D8* ConstraintTemplates that Deckhouse's admission-policy-engine
// renders Constraints for from SecurityPolicy, OperationPolicy and the Pod Security Standards,
// written in policyc's DSL. Built into generated/ (committed, shipped in the npm package); policyc
// check, explain and `policyc deckhouse templates` read the templates from there.
import { defineConfig } from "policyc";

export default defineConfig({
  include: ["security/**/*.ts", "operation/**/*.ts"],
  outDir: "generated",
  regoVersion: "v1",
  // Deckhouse ships these templates with Rego only; the pack reproduces them as they are.
  cel: false,
  argocd: false,
  kubeconformSchemas: false,
  docs: true,
  deckhouse: { policyPack: true },
});
