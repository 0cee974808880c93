/** D8AllowedClusterRoles: rendered from SecurityPolicy `allowedClusterRoles` (without `*`), on RoleBindings. */
import { defineCheck, regoString } from "policyc";
import { object } from "../support/objects.js";

/** The fields of an rbac.authorization.k8s.io RoleBinding the RBAC checks read. */
export interface RoleBinding {
  kind: string;
  metadata?: { name?: string };
  roleRef: { apiGroup?: string; kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string; apiGroup?: string }[];
}

const binding = (kind: string, name: string) => object("rbac.authorization.k8s.io/v1", "RoleBinding", { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind, name }, subjects: [{ kind: "User", name: "alice" }] });

export const allowedClusterRoles = defineCheck<{
  /** ClusterRoles a RoleBinding may reference. */
  allowedClusterRoles: string[];
}, RoleBinding>({
  kind: "D8AllowedClusterRoles",
  regoPackage: "d8.security_policies",
  title: "ClusterRoles in RoleBindings",
  description: "A RoleBinding may reference only an allowed ClusterRole.",
  violation(review, params, report) {
    const ref = review.object.roleRef;
    if (ref.kind === "ClusterRole" && !params.allowedClusterRoles.includes(ref.name)) {
      report(`ClusterRole "${ref.name}" is not in list of allowed roles ${regoString(params.allowedClusterRoles)}`, {});
    }
  },
  tests: [
    { name: "admin", parameters: { allowedClusterRoles: ["view", "edit"] }, object: binding("ClusterRole", "cluster-admin"), violations: 1, messages: ["ClusterRole \"cluster-admin\" is not in list of allowed roles [\"view\", \"edit\"]"] },
    { name: "allowed", parameters: { allowedClusterRoles: ["view", "edit"] }, object: binding("ClusterRole", "view"), violations: "no" },
    { name: "role", parameters: { allowedClusterRoles: [] }, object: binding("Role", "anything"), violations: "no" },
  ],
});
