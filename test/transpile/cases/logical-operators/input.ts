import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{ strict: boolean }, Pod>({
  kind: "TLogicalOperators",
  description: "&& joins conditions, || becomes a helper with one definition per side, ! becomes not.",
  violation(review, params, report) {
    const spec = review.object.spec;
    if (spec?.hostPID || spec?.hostIPC) report("host namespaces are shared");
    if (params.strict && !spec?.automountServiceAccountToken) report("token automount is not set");
    if (!(spec?.hostNetwork && params.strict)) return;
    report("host network in strict mode");
  },
  tests: [
    { name: "pid", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [], hostPID: true, automountServiceAccountToken: true } }, parameters: { strict: true }, violations: 1 },
    { name: "relaxed", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [], hostNetwork: true } }, parameters: { strict: false }, violations: "no" },
  ],
});
