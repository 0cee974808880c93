// Test scaffolding for `policyc check`'s policy sources: a ConstraintTemplate with raw Rego and one
// Constraint of its kind, as gator users keep them side by side.

/** A ConstraintTemplate `kind` whose Rego (v0, as `rego:` holds it) is `rego`. */
export const templateYaml = (kind: string, rego: string) => `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: ${kind.toLowerCase()}
spec:
  crd:
    spec:
      names:
        kind: ${kind}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
${rego
  .split("\n")
  .map((l) => `        ${l}`)
  .join("\n")}
`;

/** A template `kind` with `rego`, and a constraint `<kind>-all` matching core `matchKind` objects. */
export const templateWithConstraint = (kind: string, rego: string, matchKind = "ConfigMap") => `${templateYaml(kind, rego)}---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: ${kind}
metadata:
  name: ${kind.toLowerCase()}-all
spec:
  match:
    kinds: [{apiGroups: [""], kinds: ["${matchKind}"]}]
`;
