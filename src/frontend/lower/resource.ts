/** Lowers `defineResource()` (and builders that return it) to a `ResourceIR`. */
import type { Definition } from "../../api/definition.js";
import type { Resource } from "../../api/resource.js";
import { diag } from "../../diagnostics/index.js";
import type { ResourceIR } from "../../ir/ir.js";
import { D } from "../../ir/diagnostics.js";
import type { LowerContext, Located } from "./context.js";

export function lowerResource(def: Definition, ctx: LowerContext, at: Located): void {
  const r = def as unknown as Resource;
  const obj = r.object as Resource["object"] | undefined;
  if (!obj || typeof obj.apiVersion !== "string" || typeof obj.kind !== "string" || typeof obj.metadata?.name !== "string") {
    ctx.report(diag(D.configInvalid, ["a resource needs apiVersion, kind and metadata.name"], at.origin));
    return;
  }
  const ir: ResourceIR = {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
    object: structuredClone(obj) as Record<string, unknown>,
    origin: at.origin,
    fields: at.fields,
  };
  if (obj.metadata.namespace !== undefined) ir.namespace = obj.metadata.namespace;
  if (r.options?.schema) ir.schema = r.options.schema;
  if (r.options?.syncWave !== undefined) ir.syncWave = r.options.syncWave;
  if (obj.apiVersion.startsWith("mutations.gatekeeper.sh/") && r.options?.exemptSystemNamespaces !== false) exemptMutator(ir, ctx.config.exemptNamespaces);
  ctx.project.resources.push(ir);
}

/** Mutators skip the exempt namespaces as constraints do (`exemptSystemNamespaces: false` opts out). */
function exemptMutator(ir: ResourceIR, exempt: readonly string[]): void {
  if (exempt.length === 0) return;
  const spec = ((ir.object.spec ??= {}) as Record<string, unknown>);
  const match = ((spec.match ??= {}) as { excludedNamespaces?: string[] });
  match.excludedNamespaces = [...new Set([...exempt, ...(match.excludedNamespaces ?? [])])];
}
