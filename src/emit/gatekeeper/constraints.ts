/**
 * Constraints, one file per constraint: `manifests/<kind-lowercase>-<name>.yaml`. Argo CD cannot dry-run
 * a Constraint before Gatekeeper has created its CRD, hence `SkipDryRunOnMissingResource` and a sync
 * wave after the templates'.
 */
import type { ConfigIR, ConstraintIR, MatchIR, ProjectIR } from "../../ir/ir.js";
import type { EmitResult, Emitter, GeneratedFile } from "../emitter.js";
import { toYaml } from "../yaml.js";

export const CONSTRAINT_GROUP = "constraints.gatekeeper.sh";
export const CONSTRAINT_VERSION = "v1beta1";

const MATCH_ORDER: (keyof MatchIR)[] = [
  "kinds",
  "scope",
  "name",
  "namespaces",
  "excludedNamespaces",
  "namespaceSelector",
  "labelSelector",
  "source",
];

function orderedMatch(match: MatchIR): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of MATCH_ORDER) if (match[k] !== undefined) out[k] = match[k];
  return out;
}

export function constraintObject(c: ConstraintIR, config: ConfigIR): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: c.name };
  if (Object.keys(c.labels).length > 0) metadata.labels = { ...c.labels };
  const annotations: Record<string, string> = { ...c.annotations };
  if (config.argocd.enabled) {
    annotations["argocd.argoproj.io/sync-options"] = "SkipDryRunOnMissingResource=true";
    annotations["argocd.argoproj.io/sync-wave"] = String(config.argocd.constraintsWave);
  }
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const spec: Record<string, unknown> = { enforcementAction: c.enforcementAction };
  if (c.scopedEnforcementActions) spec.scopedEnforcementActions = c.scopedEnforcementActions;
  const match = orderedMatch(c.match);
  if (Object.keys(match).length > 0) spec.match = match;
  if (c.parameters !== undefined) spec.parameters = c.parameters;
  return { apiVersion: `${CONSTRAINT_GROUP}/${CONSTRAINT_VERSION}`, kind: c.kind, metadata, spec };
}

export const constraintsEmitter: Emitter = {
  id: "gatekeeper-constraints",
  emit(project: ProjectIR, config: ConfigIR): EmitResult {
    const files: GeneratedFile[] = project.constraints.map((c) => {
      const object = constraintObject(c, config);
      return {
        path: `manifests/${c.kind.toLowerCase()}-${c.name}.yaml`,
        content: toYaml(object),
        object,
        schema: "gatekeeper/constraint.json",
        origin: c.origin,
      };
    });
    return { files, diagnostics: [] };
  },
};
