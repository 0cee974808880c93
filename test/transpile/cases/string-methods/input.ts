import { defineCheck, type Pod } from "policyc";

export const check = defineCheck<{ registry: string }, Pod>({
  kind: "TStringMethods",
  description: "startsWith/endsWith/includes/split/toLowerCase/toUpperCase/trim/replace/slice/length.",
  violation(review, params, report) {
    for (const c of review.object.spec?.containers ?? []) {
      const image = c.image ?? "";
      if (!image.startsWith(params.registry)) report(`${c.name}: ${image} is not from ${params.registry}`);
      if (image.endsWith(":latest") || !image.includes(":")) report(`${c.name}: pin a tag`);
      const repo = image.split("/")[0] ?? "";
      if (repo.toLowerCase() !== repo) report(`${c.name}: registry ${repo.toUpperCase()} must be lowercase`);
      if (c.name.trim() !== c.name) report(`${c.name}: name has spaces`);
      if (c.name.length > 10) report(`${c.name.slice(0, 10)}: name longer than 10`);
      if (image.replace("docker.io/", "") !== image) report(`${c.name}: ${image.replace("docker.io/", "")} from docker.io`);
    }
  },
  tests: [
    { name: "latest", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", image: "reg/a:latest" }] } }, parameters: { registry: "reg/" }, violations: 1 },
    { name: "pinned", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", image: "reg/a:1" }] } }, parameters: { registry: "reg/" }, violations: "no" },
  ],
});
