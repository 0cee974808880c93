import { defineCheck, type Pod } from "policyc";

// Names and tests as a Rego author writes them: snake_case locals, no local named like a built-in
// (`count`, `object`, `split`), helpers named after what they test, a raw regex pattern, and a
// presence test of a boolean field that is not a wildcard unification.
export const check = defineCheck<{ allowedUsers: string[]; mode: "audit" | "enforce"; maxCount: number }, Pod>({
  kind: "TRegoStyle",
  description: "Regression: the emitted Rego passes the Regal rules that apply to generated code.",
  violation(review, params, report) {
    const spec = review.object.spec;
    if (spec === undefined) return;
    const allContainers = [...spec.containers, ...(spec.initContainers ?? [])];
    const count = allContainers.length;
    if (params.mode === "audit") {
      if (count === 0) return;
    } else {
      if (spec.hostNetwork === true) return;
    }
    if (count > params.maxCount) report(`${count} containers, at most ${params.maxCount}`);
    for (const object of allContainers) {
      const split = object.name.split("-");
      if (!(params.allowedUsers ?? []).some((u) => u === split[0])) report(`container ${object.name}: user ${split[0]} is not allowed`);
      if (/^\d+\.\d+$/.test(object.name)) report(`container ${object.name} is named like a version`);
    }
    if (spec.automountServiceAccountToken !== undefined) report("automountServiceAccountToken is set");
  },
  tests: [
    { name: "audit-empty", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [] } }, parameters: { allowedUsers: [], mode: "audit", maxCount: 1 }, violations: "no" },
    { name: "enforce", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "bob-x" }, { name: "1.2" }], automountServiceAccountToken: false } }, parameters: { allowedUsers: ["bob"], mode: "enforce", maxCount: 1 }, violations: 4 },
    { name: "host-network", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "eve" }], hostNetwork: true } }, parameters: { allowedUsers: [], mode: "enforce", maxCount: 0 }, violations: "no" },
  ],
});
