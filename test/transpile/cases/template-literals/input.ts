import { defineCheck, regoString, type Pod } from "policyc";

export const check = defineCheck<{ allowed: string[]; limit: number }, Pod>({
  kind: "TTemplateLiterals",
  description: "Template literals are sprintf with %v; arrays of strings print as TypeScript joins them.",
  violation(review, params, report) {
    for (const c of review.object.spec?.containers ?? []) {
      const args = c.args ?? [];
      if (args.length > params.limit) report(`${c.name} has ${args.length} args (${args}), limit ${params.limit}; 100% sure`);
      if (!params.allowed.includes(c.name)) report("container " + c.name + " is not in " + regoString(params.allowed));
    }
  },
  tests: [
    { name: "args", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "a", args: ["x", "y"] }] } }, parameters: { allowed: ["a"], limit: 1 }, violations: 1, messages: ["a has 2 args (x,y), limit 1; 100% sure"] },
    { name: "name", object: { apiVersion: "v1", kind: "Pod", spec: { containers: [{ name: "b" }] } }, parameters: { allowed: ["a"], limit: 1 }, violations: 1, messages: ['container b is not in ["a"]'] },
  ],
});
