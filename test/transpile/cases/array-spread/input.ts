import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{ banned: string[]; alsoBanned?: string[] }, Pod>({
  kind: "TArraySpread",
  description: "Array spreads are array.concat.",
  violation(review, params, report) {
    const spec = review.object.spec;
    const banned = [...params.banned, ...(params.alsoBanned ?? []), "busybox"];
    for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
      if (banned.includes(c.image ?? "")) report(`${c.name} uses a banned image`);
    }
  },
  tests: [
    { name: "init", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [], initContainers: [{ name: "i", image: "busybox" }] } }, parameters: { banned: [] }, violations: 1 },
  ],
});
