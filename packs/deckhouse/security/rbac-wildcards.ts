/** D8AllowRbacWildcards: rendered from SecurityPolicy `allowRbacWildcards: false`, on Roles and RoleBindings. */
import { defineCheck } from "policyc";
import { object } from "../support/objects.js";

/** The fields of an rbac.authorization.k8s.io Role or RoleBinding the check reads. */
export interface RbacObject {
  kind: string;
  metadata?: { name?: string };
  rules?: { apiGroups?: string[]; resources?: string[]; verbs: string[] }[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string }[];
}

const role = (rule: Record<string, unknown>) => object("rbac.authorization.k8s.io/v1", "Role", { rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"], ...rule }] });
const binding = (name: string, subject: string) => object("rbac.authorization.k8s.io/v1", "RoleBinding", { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name }, subjects: [{ kind: "User", name: subject }] });

export const allowRbacWildcards = defineCheck<{}, RbacObject>({
  kind: "D8AllowRbacWildcards",
  regoPackage: "d8.security_policies",
  title: "RBAC wildcards",
  description: "Roles must not use `*` in verbs, apiGroups or resources; RoleBindings must not use `*` in the roleRef or a subject name (`role-*` is a wildcard too).",
  violation(review, _params, report) {
    const o = review.object;
    const name = o.metadata?.name ?? "";
    if (o.kind === "Role") {
      for (const rule of o.rules ?? []) {
        if (rule.verbs.some((v) => v.includes("*"))) report(`Wildcard is forbidden in rules.verbs of Role '${name}': '${rule.verbs.join(",")}'`, {});
        if ((rule.apiGroups ?? []).some((g) => g.includes("*"))) report(`Wildcard is forbidden in rules.apiGroups of Role '${name}': '${(rule.apiGroups ?? []).join(",")}'`, {});
        if ((rule.resources ?? []).some((r) => r.includes("*"))) report(`Wildcard is forbidden in rules.resources of Role '${name}': '${(rule.resources ?? []).join(",")}'`, {});
      }
    }
    if (o.kind === "RoleBinding") {
      const ref = o.roleRef?.name ?? "";
      if (ref.includes("*")) report(`Wildcard is forbidden in roleRef.name of RoleBinding '${name}': '${ref}'`, {});
      for (const s of o.subjects ?? []) {
        if (s.name.includes("*")) report(`Wildcard is forbidden in subjects of RoleBinding '${name}': '${s.kind}/${s.name}'`, {});
      }
    }
  },
  tests: [
    { name: "verbs", object: role({ verbs: ["*"] }), violations: 1, messages: ["Wildcard is forbidden in rules.verbs of Role 'obj': '*'"] },
    { name: "api-groups", object: role({ apiGroups: ["*"] }), violations: 1, messages: ["rules.apiGroups"] },
    { name: "resources", object: role({ resources: ["pods", "*"] }), violations: 1, messages: ["Wildcard is forbidden in rules.resources of Role 'obj': 'pods,*'"] },
    { name: "no-wildcard", object: role({}), violations: "no" },
    { name: "role-ref", object: binding("*", "alice"), violations: 1, messages: ["Wildcard is forbidden in roleRef.name of RoleBinding 'obj'"] },
    { name: "subject", object: binding("reader", "*"), violations: 1, messages: ["Wildcard is forbidden in subjects of RoleBinding 'obj'"] },
    { name: "role-ref-pattern", object: binding("role-*", "alice"), violations: 1, messages: ["Wildcard is forbidden in roleRef.name of RoleBinding 'obj': 'role-*'"] },
    { name: "subject-pattern", object: binding("reader", "sa-*"), violations: 1, messages: ["subjects of RoleBinding 'obj': 'User/sa-*'"] },
    { name: "resources-subresource-wildcard", object: role({ resources: ["*/scale"] }), violations: 1 },
    { name: "binding-ok", object: binding("reader", "alice"), violations: "no" },
  ],
});
