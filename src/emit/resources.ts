/**
 * Every `ResourceIR` (Deckhouse, Kyverno and other objects built by `defineResource`) as its own
 * manifest: `manifests/<kind-lowercase>[-<namespace>]-<name>.yaml`.
 */
import type { ConfigIR, ProjectIR, ResourceIR } from "../ir/ir.js";
import type { EmitResult, Emitter, GeneratedFile } from "./emitter.js";
import { toYaml } from "./yaml.js";

export function resourcePath(r: ResourceIR): string {
  const ns = r.namespace ? `${r.namespace}-` : "";
  return `manifests/${r.kind.toLowerCase()}-${ns}${r.name}.yaml`;
}

export const resourcesEmitter: Emitter = {
  id: "resources",
  emit(project: ProjectIR, config: ConfigIR): EmitResult {
    const files: GeneratedFile[] = project.resources.map((r) => {
      const object = structuredClone(r.object);
      // A resource goes with the constraints unless it says otherwise: it never needs to precede the
      // templates, and a mutator or policy that lands with the constraints it complements is the safe order.
      const wave = r.syncWave ?? config.argocd.constraintsWave;
      if (config.argocd.enabled) {
        const metadata = (object.metadata ??= {}) as Record<string, unknown>;
        metadata.annotations = { ...((metadata.annotations as object) ?? {}), "argocd.argoproj.io/sync-wave": String(wave) };
      }
      const file: GeneratedFile = { path: resourcePath(r), content: toYaml(object), object, origin: r.origin };
      if (r.schema) file.schema = r.schema;
      return file;
    });
    return { files, diagnostics: [] };
  },
};
