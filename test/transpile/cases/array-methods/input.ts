import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{ required: string[] }, Pod>({
  kind: "TArrayMethods",
  description: "some/every/includes/filter/map/find/length/concat/join on arrays.",
  violation(review, params, report) {
    const containers = review.object.spec?.containers ?? [];
    const names = containers.map((c) => c.name);
    const missing = params.required.filter((r) => !names.includes(r));
    if (missing.length > 0) report(`missing containers: ${missing.join(", ")}`);
    if (!containers.every((c) => c.image !== undefined)) report("every container needs an image");
    if (containers.some((c) => c.stdin === true)) report("stdin is not allowed");
    const first = containers.find((c) => c.name.startsWith("sidecar-"));
    if (first !== undefined) report(`sidecar ${first.name} must not come first`);
    const all = containers.concat(review.object.spec?.initContainers ?? []);
    if (all.length > 3) report(`too many containers: ${all.length}`);
  },
  tests: [
    { name: "missing", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", image: "i" }] } }, parameters: { required: ["a", "b"] }, violations: 1 },
    { name: "ok", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "b", image: "i" }] } }, parameters: { required: ["b"] }, violations: "no" },
  ],
});
