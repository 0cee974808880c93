/**
 * Lowers `defineConstraint()` to a `ConstraintIR`: applies the PSS binding and the config's default
 * exempt namespaces to `match`.
 */
import type { Constraint } from "../../api/constraint.js";
import type { Definition } from "../../api/definition.js";
import { diag } from "../../diagnostics/index.js";
import type { ConstraintIR, MatchIR } from "../../ir/ir.js";
import { D } from "../../ir/diagnostics.js";
import { andSelectors, pssNamespaceSelector, pssPodSelector } from "../pss.js";
import type { LowerContext, Located } from "./context.js";
import { lowerTests } from "./tests.js";

export function lowerConstraint(def: Definition, ctx: LowerContext, at: Located): void {
  const c = def as unknown as Constraint<object>;
  const spec = (c.spec ?? {}) as Constraint<object>["spec"] & { parameters?: unknown };
  const check = ctx.checks.get(c.check as unknown as Definition);
  const name = typeof spec.name === "string" ? spec.name : "";
  if (!check) {
    ctx.report(diag(D.unknownCheck, [name], at.origin));
    return;
  }
  const match: MatchIR = structuredClone((spec.match ?? {}) as MatchIR);
  if (spec.podSecurity) {
    match.kinds ??= [{ apiGroups: [""], kinds: ["Pod"] }];
    match.namespaceSelector = andSelectors(match.namespaceSelector, pssNamespaceSelector(spec.podSecurity, ctx.config.podSecurityDefault));
    match.labelSelector = andSelectors(match.labelSelector, pssPodSelector());
  }
  if (spec.exemptSystemNamespaces !== false && ctx.config.exemptNamespaces.length > 0) {
    match.excludedNamespaces = [...new Set([...ctx.config.exemptNamespaces, ...(match.excludedNamespaces ?? [])])];
  }
  const ir: ConstraintIR = {
    name,
    kind: check.kind,
    match,
    enforcementAction: spec.enforcementAction ?? "deny",
    labels: { ...(spec.labels ?? {}) },
    annotations: { ...(spec.annotations ?? {}) },
    tests: lowerTests(spec.tests, "tests", ctx, at),
    origin: at.origin,
    fields: at.fields,
  };
  if (spec.scopedEnforcementActions) ir.scopedEnforcementActions = structuredClone(spec.scopedEnforcementActions) as NonNullable<ConstraintIR["scopedEnforcementActions"]>;
  if (spec.parameters !== undefined) ir.parameters = structuredClone(spec.parameters) as Record<string, unknown>;
  if (spec.podSecurity) ir.podSecurity = spec.podSecurity;
  ctx.project.constraints.push(ir);
}
