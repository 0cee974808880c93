/**
 * Gatekeeper's admission rules, enforced at build time so a bad template or constraint fails here at
 * the user's line instead of in the cluster (research: gatekeeper-kyverno.md, validation checklist).
 */
import { diag, type Diagnostic } from "../../diagnostics/index.js";
import { fieldOrigin, type ConstraintIR, type LabelSelectorIR, type Origin, type ProjectIR } from "../../ir/ir.js";
import { D } from "../../ir/diagnostics.js";
import { validateParameters } from "./parameters.js";

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const GLOB = /^\*?[-:a-z0-9]*\*?$/;
const where = (o: Origin) => `${o.file}:${o.line}:${o.col}`;

export function checkGatekeeperRules(project: ProjectIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  const kinds = new Map<string, Origin>();
  for (const check of project.checks) {
    const at = fieldOrigin(check, "kind");
    if (!check.kind || !DNS1035.test(check.kind.toLowerCase())) out.push(diag(D.kindInvalid, [check.kind], at));
    else if (check.kind.length > 59) out.push(diag(D.kindTooLong, [check.kind, check.kind.length], at));
    check.shortNames.forEach((s, i) => {
      if (!DNS1035.test(s)) out.push(diag(D.shortNameInvalid, [s], fieldOrigin(check, `shortNames.${i}`)));
    });
    if (check.docsUrl !== undefined && !isHttpUrl(check.docsUrl)) out.push(diag(D.docsUrlInvalid, [check.docsUrl], fieldOrigin(check, "docsUrl")));
    const prev = kinds.get(check.name);
    if (prev) out.push(diag(D.duplicateKind, [check.kind, where(prev)], at));
    else kinds.set(check.name, at);
  }

  const names = new Map<string, Origin>();
  const schemas = new Map(project.checks.map((c) => [c.kind, c.parameters]));
  for (const c of project.constraints) {
    const at = fieldOrigin(c, "name");
    if (!DNS1123_SUBDOMAIN.test(c.name) || c.name.length > 63) out.push(diag(D.constraintNameInvalid, [c.name], at));
    const key = `${c.kind}/${c.name}`;
    const prev = names.get(key);
    if (prev) out.push(diag(D.duplicateConstraint, [c.name, c.kind, where(prev)], at));
    else names.set(key, at);
    out.push(...matchRules(c, project.config.exemptNamespaces));
    if (c.enforcementAction === "scoped" && !(c.scopedEnforcementActions?.length)) {
      out.push(diag(D.scopedNeedsActions, [], fieldOrigin(c, "enforcementAction")));
    }
    if (c.enforcementAction !== "scoped" && c.scopedEnforcementActions) {
      out.push(diag(D.actionsWithoutScoped, [], fieldOrigin(c, "scopedEnforcementActions")));
    }
    const schema = schemas.get(c.kind);
    const problems = schema ? validateParameters(schema, c.parameters ?? {}) : [];
    if (problems.length > 0) out.push(diag(D.parametersInvalid, [c.name, c.kind, problems.slice(0, 5).join("; ")], fieldOrigin(c, "parameters")));
  }

  const resources = new Map<string, Origin>();
  for (const r of project.resources) {
    const key = `${r.apiVersion}/${r.kind}/${r.namespace ?? ""}/${r.name}`;
    const prev = resources.get(key);
    if (prev) out.push(diag(D.duplicateResource, [r.kind, r.name, where(prev)], r.origin));
    else resources.set(key, r.origin);
  }
  return out;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}

function matchRules(c: ConstraintIR, exempt: readonly string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const m = c.match;
  for (const field of ["namespaces", "excludedNamespaces"] as const) {
    // The config's exempt namespaces come first in excludedNamespaces (checked with the config).
    const list = m[field] ?? [];
    let skip = 0;
    if (field === "excludedNamespaces") while (skip < exempt.length && list[skip] === exempt[skip]) skip++;
    list.forEach((g, i) => {
      if (i < skip) return;
      if (!GLOB.test(g)) out.push(diag(D.globInvalid, [g, field], fieldOrigin(c, `match.${field}.${i - skip}`)));
    });
  }
  if (m.name !== undefined && !GLOB.test(m.name)) out.push(diag(D.globInvalid, [m.name, "name"], fieldOrigin(c, "match.name")));
  (m.kinds ?? []).forEach((k, i) => {
    if (k.apiGroups.includes("*") && k.apiGroups.length > 1) out.push(diag(D.kindsApiGroupStar, [], fieldOrigin(c, `match.kinds.${i}`)));
  });
  for (const sel of ["labelSelector", "namespaceSelector"] as const) {
    const s = m[sel];
    if (s) out.push(...selectorRules(s, `match.${sel}`, c));
  }
  return out;
}

function selectorRules(s: LabelSelectorIR, path: string, c: ConstraintIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  (s.matchExpressions ?? []).forEach((e, i) => {
    const at = fieldOrigin(c, `${path}.matchExpressions.${i}`);
    const hasValues = (e.values?.length ?? 0) > 0;
    if ((e.operator === "In" || e.operator === "NotIn") && !hasValues) {
      out.push(diag(D.selectorInvalid, [path, `operator ${e.operator} needs values`], at));
    } else if ((e.operator === "Exists" || e.operator === "DoesNotExist") && hasValues) {
      out.push(diag(D.selectorInvalid, [path, `operator ${e.operator} takes no values`], at));
    }
  });
  return out;
}
