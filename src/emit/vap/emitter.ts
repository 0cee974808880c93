/**
 * ValidatingAdmissionPolicies (`validatingAdmissionPolicy` in the config): for every constraint whose
 * check's ConstraintTemplate carries `K8sNativeValidation` code, one
 * `admissionregistration.k8s.io/v1` ValidatingAdmissionPolicy and its ValidatingAdmissionPolicyBinding,
 * `manifests/validatingadmissionpolicy[binding]-policyc-<kind>-<constraint>.yaml`, so that the API
 * server runs the check's CEL itself (clusters or namespaces without Gatekeeper).
 *
 * The policy is what Gatekeeper's CEL driver runs, made explicit: its variables `anyObject` and
 * `params` first, then the template's variables, matchConditions and validations; matchConstraints
 * and extra matchConditions from the constraint's `match` (match.ts). Parameters come from the
 * Constraint (`paramKind` + the binding's `paramRef`, as Gatekeeper's generated policies), or are
 * written into `variables.params` as a CEL literal with the schema's defaults (`inline`). The
 * binding's `validationActions` follow the enforcement action: deny → Deny, warn → Warn,
 * dryrun → Audit; `scoped` uses the actions for the `vap.k8s.io` enforcement point (or `*`).
 */
import { diag, type Diagnostic } from "../../diagnostics/index.js";
import { D } from "../../ir/diagnostics.js";
import { fieldOrigin, type CheckIR, type ConfigIR, type ConstraintIR, type ProjectIR } from "../../ir/ir.js";
import { parametersWithDefaults } from "../../testing/gatekeeper/parameters.js";
import { CONSTRAINT_GROUP, CONSTRAINT_VERSION } from "../gatekeeper/constraints.js";
import { templateObject } from "../gatekeeper/templates.js";
import type { EmitResult, Emitter, GeneratedFile } from "../emitter.js";
import { toYaml } from "../yaml.js";
import { celLiteral } from "./cel-literal.js";
import { vapMatch } from "./match.js";

/** Gatekeeper's enforcement point for the policies it generates (scopedEnforcementActions). */
export const VAP_POINT = "vap.k8s.io";

const ACTIONS: Record<string, string> = { deny: "Deny", warn: "Warn", dryrun: "Audit" };

type CelSource = Record<string, unknown>;

/** The template's `K8sNativeValidation` source, when it has one. */
export function celSourceOf(template: Record<string, unknown>): CelSource | undefined {
  const targets = ((template.spec as Record<string, unknown> | undefined)?.targets ?? []) as Record<string, unknown>[];
  for (const t of targets) {
    for (const c of (t.code ?? []) as Record<string, unknown>[]) {
      if (c.engine === "K8sNativeValidation" && c.source && typeof c.source === "object") return c.source as CelSource;
    }
  }
  return undefined;
}

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);

/** Every CEL expression of the source (to find references to `params` itself). */
function expressionsOf(source: CelSource): string[] {
  return [
    ...list(source.variables).map((v) => v.expression),
    ...list(source.matchConditions).map((m) => m.expression),
    ...list(source.validations).flatMap((v) => [v.expression, v.messageExpression]),
  ].filter((e): e is string => typeof e === "string");
}

/** `params` used other than as `variables.params` (which inline parameters provide). */
export function readsParamsDirectly(source: CelSource): boolean {
  return expressionsOf(source).some((e) => /(^|[^.\w])params\b/.test(e.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')));
}

/** The validation actions of a constraint on a ValidatingAdmissionPolicy; undefined when it is not enforced there. */
export function validationActions(c: ConstraintIR): string[] | undefined {
  const actions =
    c.enforcementAction === "scoped"
      ? (c.scopedEnforcementActions ?? []).filter((s) => s.enforcementPoints.some((p) => p.name === VAP_POINT || p.name === "*")).map((s) => s.action)
      : [c.enforcementAction];
  const mapped = [...new Set(actions.map((a) => ACTIONS[a]).filter((a): a is string => a !== undefined))].sort();
  // Deny and Warn together only repeat the message (and the API rejects the pair): Deny suffices.
  const out = mapped.includes("Deny") ? mapped.filter((a) => a !== "Warn") : mapped;
  return out.length > 0 ? out : undefined;
}

function annotationsOf(config: ConfigIR): Record<string, string> | undefined {
  return config.argocd.enabled ? { "argocd.argoproj.io/sync-wave": String(config.argocd.constraintsWave) } : undefined;
}

export interface VapObjects {
  policy: Record<string, unknown>;
  binding: Record<string, unknown>;
}

/** The policy and binding of one constraint, from its check's CEL source. */
export function vapObjects(check: CheckIR, constraint: ConstraintIR, source: CelSource, config: ConfigIR, actions: string[]): VapObjects {
  const settings = config.validatingAdmissionPolicy ?? { parameters: "constraint", failurePolicy: "Fail" };
  const name = `policyc-${check.name}-${constraint.name}`;
  const inline = settings.parameters === "inline";
  const params = inline
    ? celLiteral(constraint.parameters === undefined && !check.parameters.properties ? null : parametersWithDefaults(constraint.parameters, check.parameters))
    : "!has(params.spec) ? null : !has(params.spec.parameters) ? null : params.spec.parameters";
  const variables = [
    { name: "anyObject", expression: `has(request.operation) && request.operation == "DELETE" && object == null ? oldObject : object` },
    { name: "params", expression: params },
    ...list(source.variables).map((v) => ({ name: String(v.name), expression: String(v.expression) })),
  ];
  const match = vapMatch(constraint.match);
  const matchConditions = [...list(source.matchConditions).map((m) => ({ name: String(m.name), expression: String(m.expression) })), ...match.matchConditions];
  const validations = list(source.validations).map((v) => {
    const out: Record<string, unknown> = { expression: String(v.expression) };
    for (const k of ["message", "messageExpression", "reason"]) if (typeof v[k] === "string") out[k] = v[k];
    return out;
  });
  const failurePolicy = source.failurePolicy === "Ignore" || source.failurePolicy === "Fail" ? source.failurePolicy : settings.failurePolicy;
  const annotations = annotationsOf(config);
  const metadata = { name, ...(annotations ? { annotations } : {}) };
  const spec: Record<string, unknown> = { failurePolicy };
  if (!inline) spec.paramKind = { apiVersion: `${CONSTRAINT_GROUP}/${CONSTRAINT_VERSION}`, kind: check.kind };
  spec.matchConstraints = match.matchConstraints;
  if (matchConditions.length > 0) spec.matchConditions = matchConditions;
  spec.variables = variables;
  spec.validations = validations;
  const bindingSpec: Record<string, unknown> = { policyName: name };
  // Allow, as Gatekeeper's own bindings: until the Constraint exists the policy admits instead of failing every request.
  if (!inline) bindingSpec.paramRef = { name: constraint.name, parameterNotFoundAction: "Allow" };
  bindingSpec.validationActions = actions;
  return {
    policy: { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicy", metadata, spec },
    binding: { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicyBinding", metadata: { ...metadata }, spec: bindingSpec },
  };
}

export const vapEmitter: Emitter = {
  id: "validating-admission-policy",
  emit(project: ProjectIR, config: ConfigIR): EmitResult {
    const files: GeneratedFile[] = [];
    const diagnostics: Diagnostic[] = [];
    if (!config.validatingAdmissionPolicy) return { files, diagnostics };
    const checks = new Map(project.checks.map((c) => [c.kind, c]));
    const sources = new Map<string, CelSource | undefined>();
    const sourceOf = (check: CheckIR) => {
      if (!sources.has(check.kind)) {
        const source = celSourceOf(templateObject(check, config));
        sources.set(check.kind, source);
        if (!source && project.constraints.some((c) => c.kind === check.kind)) diagnostics.push(diag(D.vapNoCel, [check.kind], check.origin));
      }
      return sources.get(check.kind);
    };
    for (const constraint of project.constraints) {
      const check = checks.get(constraint.kind);
      if (!check) continue;
      const source = sourceOf(check);
      if (!source) continue;
      const at = (field: string) => fieldOrigin(constraint, field);
      if (constraint.match.source === "Generated") {
        diagnostics.push(diag(D.vapNotEnforced, [`${constraint.kind}/${constraint.name}`, "it matches only objects Gatekeeper's expansion generates (`match.source: Generated`), which the API server never sees"], at("match.source")));
        continue;
      }
      const actions = validationActions(constraint);
      if (!actions) {
        diagnostics.push(diag(D.vapNotEnforced, [`${constraint.kind}/${constraint.name}`, `its enforcement action names no action for the \`${VAP_POINT}\` enforcement point`], at("enforcementAction")));
        continue;
      }
      if (config.validatingAdmissionPolicy.parameters === "inline" && readsParamsDirectly(source)) {
        diagnostics.push(diag(D.vapParamsDirect, [check.kind], check.origin));
        continue;
      }
      const { policy, binding } = vapObjects(check, constraint, source, config, actions);
      const name = (policy.metadata as { name: string }).name;
      files.push(
        { path: `manifests/validatingadmissionpolicy-${name}.yaml`, content: toYaml(policy), object: policy, schema: "kubernetes/validatingadmissionpolicy.json", origin: constraint.origin },
        { path: `manifests/validatingadmissionpolicybinding-${name}.yaml`, content: toYaml(binding), object: binding, schema: "kubernetes/validatingadmissionpolicybinding.json", origin: constraint.origin },
      );
    }
    return { files, diagnostics };
  },
};
