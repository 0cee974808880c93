/**
 * Lowers `defineConstraint()` to a `ConstraintIR`: applies the PSS binding and the config's default
 * exempt namespaces to `match`. A `podSecurity` binding without its own `enforcementAction` follows
 * the namespace label `security.deckhouse.io/pod-policy-action` as Deckhouse's PSS constraints do:
 * one constraint per action (src/frontend/pss.ts `pssActionSets`), the module default's keeping the
 * user's name and the test cases, the others named `<name>-<action>`.
 */
import type { Constraint } from "../../api/constraint.js";
import type { Definition } from "../../api/definition.js";
import { diag } from "../../diagnostics/index.js";
import type { ConstraintIR, MatchIR } from "../../ir/ir.js";
import { D } from "../../ir/diagnostics.js";
import { andSelectors, pssActionSets, pssNamespaceSelector, pssPodSelector } from "../pss.js";
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
  if (!spec.podSecurity || spec.enforcementAction !== undefined || spec.scopedEnforcementActions) {
    ctx.project.constraints.push(ir);
    return;
  }
  for (const set of pssActionSets(ctx.config.deckhouse.podSecurityAction)) {
    const m: MatchIR = structuredClone(match);
    m.namespaceSelector = andSelectors(m.namespaceSelector, set.selector);
    ctx.project.constraints.push({
      ...ir,
      name: set.isDefault ? name : `${name}-${set.action}`,
      match: m,
      enforcementAction: set.action,
      tests: set.isDefault ? ir.tests : [],
      labels: { ...ir.labels },
      annotations: { ...ir.annotations },
    });
  }
}
