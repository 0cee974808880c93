/** Lowers `defineResource()` (and builders that return it) to a `ResourceIR`. */
import type { Definition } from "../../api/definition.js";
import type { Resource } from "../../api/resource.js";
import { diag } from "../../diagnostics/index.js";
import type { ResourceIR, TestCaseIR } from "../../ir/ir.js";
import { D } from "../../ir/diagnostics.js";
import type { LowerContext, Located } from "./context.js";
import { lowerTests } from "./tests.js";

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
  if (r.options?.tests !== undefined) ir.tests = lowerDeckhouseTests(r.options.tests, ctx, at);
  if (obj.apiVersion.startsWith("mutations.gatekeeper.sh/") && r.options?.exemptSystemNamespaces !== false) exemptMutator(ir, ctx.config.exemptNamespaces);
  ctx.project.resources.push(ir);
}

/**
 * A Deckhouse policy's cases: the DSL's test cases, with the object put in namespace `default` when
 * it has none and `namespaceLabels` turned into that Namespace in the inventory.
 */
function lowerDeckhouseTests(raw: readonly unknown[], ctx: LowerContext, at: Located): TestCaseIR[] {
  const cases = lowerTests(raw, "tests", ctx, at);
  const byName = new Map((raw as { name?: unknown; namespaceLabels?: unknown }[]).map((t) => [t?.name, t?.namespaceLabels]));
  for (const tc of cases) {
    const obj = tc.object as { metadata?: { namespace?: string } } | undefined;
    if (!obj || typeof obj !== "object") continue;
    obj.metadata ??= {};
    obj.metadata.namespace ??= "default";
    const labels = byName.get(tc.name);
    if (labels && typeof labels === "object") {
      tc.inventory = [...(tc.inventory ?? []), { apiVersion: "v1", kind: "Namespace", metadata: { name: obj.metadata.namespace, labels: structuredClone(labels) } }];
    }
  }
  return cases;
}

/** Mutators skip the exempt namespaces as constraints do (`exemptSystemNamespaces: false` opts out). */
function exemptMutator(ir: ResourceIR, exempt: readonly string[]): void {
  if (exempt.length === 0) return;
  const spec = ((ir.object.spec ??= {}) as Record<string, unknown>);
  const match = ((spec.match ??= {}) as { excludedNamespaces?: string[] });
  match.excludedNamespaces = [...new Set([...exempt, ...(match.excludedNamespaces ?? [])])];
}
