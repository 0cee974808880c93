import { defineCheck, type Pod } from "policyc";

export const ii = defineCheck<{ registry: string; debug: boolean }, Pod>({
  kind: "TStringChains",
  description: "Chained string methods, index defaults, ternaries and booleans in messages.",
  violation(review, params, report) {
    const ns = review.object.metadata?.namespace ?? "";
    for (const c of review.object.spec?.containers ?? []) {
      const image = (c.image ?? "").trim();
      const host = image.split("/")[0] ?? "";
      const tag = image.split(":")[1] ?? "";
      const local = image.indexOf("/") < 0;
      if (!local && host.toLowerCase() !== params.registry.toLowerCase()) {
        report(`${c.name}: ${host} (${image.slice(1)}) in ${ns ? ns : "no namespace"}, debug=${params.debug}, tagged=${tag !== ""}`);
      }
      if (local && c.name.toLowerCase().includes("test")) report(`${c.name}: local test image ${image || "<none>"}`);
    }
  },
  tests: [
    { name: "a", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "n" }, spec: { containers: [{ name: "c", image: " Reg.io/x:1 " }] } }, parameters: { registry: "other.io", debug: false }, violations: "yes" },
  ],
});
