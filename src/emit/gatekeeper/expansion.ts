/**
 * The default ExpansionTemplates (`expansion` in policyc.config.ts): with them Gatekeeper reviews
 * the Pod each workload would create, so a Pod-level constraint denies the Deployment at sync time
 * instead of its Pods at scale-up. Two templates, because CronJobs keep their Pod template one
 * level deeper:
 *   - `policyc-expand-workloads`: DaemonSet, Deployment, ReplicaSet, StatefulSet (apps/v1),
 *     ReplicationController (v1) and Job (batch/v1), from `spec.template`;
 *   - `policyc-expand-cronjobs`: CronJob (batch/v1) from `spec.jobTemplate.spec.template`, straight
 *     to the Pod, so it works whether or not the cluster's Gatekeeper expands recursively.
 * Each is written to `manifests/` (validated against schemas/expansion/expansiontemplate.json and
 * listed in the kustomization) and, with kubeconform schemas on, gets its kubeconform schema.
 */
import type { ConfigIR, ProjectIR } from "../../ir/ir.js";
import type { EmitResult, Emitter, GeneratedFile } from "../emitter.js";
import { inlineDefinitions, loadSchema } from "../schema-files.js";
import { toJson, toYaml } from "../yaml.js";

export const EXPANSION_SCHEMA = "expansion/expansiontemplate.json";

const GROUPS: Record<string, { group: string; version: string }> = {
  DaemonSet: { group: "apps", version: "v1" },
  Deployment: { group: "apps", version: "v1" },
  ReplicaSet: { group: "apps", version: "v1" },
  StatefulSet: { group: "apps", version: "v1" },
  ReplicationController: { group: "", version: "v1" },
  Job: { group: "batch", version: "v1" },
  CronJob: { group: "batch", version: "v1" },
};

function template(name: string, kinds: string[], templateSource: string, enforcementAction: string | undefined): Record<string, unknown> {
  const byGroup = new Map<string, { groups: string[]; kinds: string[]; versions: string[] }>();
  for (const k of kinds) {
    const g = GROUPS[k]!;
    const key = `${g.group}/${g.version}`;
    const entry = byGroup.get(key) ?? { groups: [g.group], kinds: [], versions: [g.version] };
    entry.kinds.push(k);
    byGroup.set(key, entry);
  }
  const spec: Record<string, unknown> = {
    applyTo: [...byGroup.values()],
    templateSource,
    generatedGVK: { group: "", version: "v1", kind: "Pod" },
  };
  if (enforcementAction) spec.enforcementAction = enforcementAction;
  return {
    apiVersion: "expansion.gatekeeper.sh/v1alpha1",
    kind: "ExpansionTemplate",
    metadata: { name, labels: { "app.kubernetes.io/managed-by": "policyc" } },
    spec,
  };
}

/** The ExpansionTemplate objects the config asks for (none when `expansion` is off). */
export function defaultExpansionTemplates(config: ConfigIR): Record<string, unknown>[] {
  const e = config.expansion;
  if (!e) return [];
  const order = ["DaemonSet", "Deployment", "ReplicaSet", "StatefulSet", "ReplicationController", "Job"];
  const direct = order.filter((k) => e.workloads.includes(k));
  const out: Record<string, unknown>[] = [];
  if (direct.length > 0) out.push(template("policyc-expand-workloads", direct, "spec.template", e.enforcementAction));
  if (e.workloads.includes("CronJob")) out.push(template("policyc-expand-cronjobs", ["CronJob"], "spec.jobTemplate.spec.template", e.enforcementAction));
  return out;
}

/** kubeconform's schema for ExpansionTemplates: policyc's own schema, self-contained. */
function kubeconformSchema(): Record<string, unknown> {
  return { $schema: "http://json-schema.org/draft-07/schema#", ...inlineDefinitions(loadSchema(EXPANSION_SCHEMA)) };
}

export const expansionEmitter: Emitter = {
  id: "expansion-templates",
  emit(_project: ProjectIR, config: ConfigIR): EmitResult {
    const objects = defaultExpansionTemplates(config);
    // Problems with these files are the config's: point at it.
    const origin = { file: config.file, line: 1, col: 1 };
    const files: GeneratedFile[] = objects.map((object) => ({
      path: `manifests/expansiontemplate-${(object.metadata as { name: string }).name}.yaml`,
      content: toYaml(object),
      object,
      schema: EXPANSION_SCHEMA,
      origin,
    }));
    if (objects.length > 0 && config.kubeconformSchemas) {
      const object = kubeconformSchema();
      files.push({ path: "schemas/expansion.gatekeeper.sh/expansiontemplate_v1alpha1.json", content: toJson(object), object, origin });
    }
    return { files, diagnostics: [] };
  },
};
