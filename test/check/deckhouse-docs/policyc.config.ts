// A small platform project in the shape of the Deckhouse security-policies documentation: the FAQ's
// foo and bar, the recommended `common` OperationPolicy and a SecurityPolicyException, on a cluster
// whose default Pod Security Standard is Baseline (Deckhouse's default since v1.55). The manifests
// beside it are an application team's; test/check/deckhouse-docs.test.ts runs `policyc check` on them.
import { defineConfig } from "policyc";

export default defineConfig({
  include: ["policies/*.ts"],
  outDir: "generated",
  podSecurity: { defaultPolicy: "Baseline" },
});
