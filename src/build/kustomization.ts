/**
 * `manifests/kustomization.yaml`: lists exactly the manifest files the emitters produced, so Argo CD
 * (or `kubectl apply -k`) syncs all of them and nothing else.
 */
import type { GeneratedFile } from "../emit/emitter.js";
import { toYaml } from "../emit/yaml.js";

export const KUSTOMIZATION = "manifests/kustomization.yaml";

export function kustomizationFile(files: readonly GeneratedFile[]): GeneratedFile {
  const resources = files
    .map((f) => f.path)
    .filter((p) => p.startsWith("manifests/") && p.endsWith(".yaml") && p !== KUSTOMIZATION)
    .map((p) => p.slice("manifests/".length))
    .sort();
  const object = { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources };
  return { path: KUSTOMIZATION, content: toYaml(object), object, schema: "kustomize/kustomization.json" };
}
