import { defineCheck, type Pod } from "policyc";

const SEMVER = /^v?[0-9]+\.[0-9]+\.[0-9]+$/;

export const check = defineCheck<{}, Pod>({
  kind: "TRegexp",
  description: "RegExp literals with .test are regex.match with an RE2 pattern (flags become inline).",
  violation(review, _params, report) {
    for (const c of review.object.spec?.containers ?? []) {
      const tag = (c.image ?? "").split(":")[1] ?? "";
      if (!SEMVER.test(tag)) report(`${c.name}: tag ${tag} is not a version`);
      if (/^DEBUG/i.test(c.name)) report(`${c.name}: debug containers are not allowed`);
    }
  },
  tests: [
    { name: "semver", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", image: "x:1.2.3" }] } }, parameters: {}, violations: "no" },
    { name: "latest", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "debug-a", image: "x:latest" }] } }, parameters: {}, violations: 2 },
  ],
});
