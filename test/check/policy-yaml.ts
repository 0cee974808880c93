// Test scaffolding for `policyc check`'s policy sources: a ConstraintTemplate with raw Rego and one
// Constraint of its kind, as gator users keep them side by side.

const indent = (text: string, n: number) =>
  text
    .split("\n")
    .map((l) => `${" ".repeat(n)}${l}`)
    .join("\n");

export interface RegoOptions {
  /** `libs:` beside the Rego. */
  libs?: string[];
  /** Rego v1 in a `code` entry (`engine: Rego`, `source.version: v1`) instead of v0 in `rego:`. */
  v1?: boolean;
}

/** The template's one target: `rego` (v0 in `rego:`, or v1 in a `code` entry) and its libs. */
function target(rego: string, { libs = [], v1 = false }: RegoOptions): string {
  const at = v1 ? 12 : 8;
  const libsYaml = libs.length === 0 ? "" : `\n${" ".repeat(at - 2)}libs:\n${libs.map((l) => `${" ".repeat(at)}- |\n${indent(l, at + 4)}`).join("\n")}`;
  return v1
    ? `    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: Rego
          source:
            version: v1
            rego: |
${indent(rego, 14)}${libsYaml}`
    : `    - target: admission.k8s.gatekeeper.sh
      rego: |
${indent(rego, 8)}${libsYaml}`;
}

/** A ConstraintTemplate `kind` whose Rego (v0, as `rego:` holds it, unless `opts.v1`) is `rego`. */
export const templateYaml = (kind: string, rego: string, opts: RegoOptions = {}) => `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: ${kind.toLowerCase()}
spec:
  crd:
    spec:
      names:
        kind: ${kind}
  targets:
${target(rego, opts)}
`;

/** A template `kind` with `rego`, and a constraint `<kind>-all` matching core `matchKind` objects. */
export const templateWithConstraint = (kind: string, rego: string, matchKind = "ConfigMap", opts: RegoOptions = {}) => `${templateYaml(kind, rego, opts)}---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: ${kind}
metadata:
  name: ${kind.toLowerCase()}-all
spec:
  match:
    kinds: [{apiGroups: [""], kinds: ["${matchKind}"]}]
`;

/**
 * A ConstraintTemplate `kind` carrying both engines, as Gatekeeper's newer templates do: one
 * K8sNativeValidation (CEL) validation (`cel`: its `expression` and `message` or
 * `messageExpression` fields, as YAML flow text) and the Rego `rego` (v0).
 */
export const twoEngineTemplateYaml = (kind: string, cel: { expression: string; message?: string; messageExpression?: string }, rego: string) => `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: ${kind.toLowerCase()}}
spec:
  crd: {spec: {names: {kind: ${kind}}}}
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: K8sNativeValidation
          source:
            validations:
              - expression: ${JSON.stringify(cel.expression)}
${cel.messageExpression !== undefined ? `                messageExpression: ${JSON.stringify(cel.messageExpression)}` : `                message: ${JSON.stringify(cel.message ?? "")}`}
        - engine: Rego
          source:
            rego: |
${indent(rego, 14)}
`;
