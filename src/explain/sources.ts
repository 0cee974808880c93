/**
 * Where `policyc explain` gets the objects it reasons about: the project compiled in memory (the
 * default, so the answer reflects the sources, not a stale build), or the YAML manifests of a
 * folder (`--from generated/manifests`) for a repo without policyc sources.
 */
import path from "node:path";
import { readYamlTree } from "../testing/yaml-files.js";
import { diag, type Diagnostic } from "../diagnostics/index.js";
import { PC6 } from "../api/deckhouse/diagnostics.js";
import { compile } from "../build/stages.js";
import { clusterOfConfig, type DeckhouseCluster } from "../deckhouse/index.js";

export interface Sources {
  objects: Record<string, any>[];
  diagnostics: Diagnostic[];
  root?: string;
  podSecurityDefault?: "Privileged" | "Baseline" | "Restricted";
  /** The config's other Deckhouse cluster facts. */
  cluster?: Partial<DeckhouseCluster>;
}

/** Every Kubernetes object in the YAML files under `dir` (read as kubectl reads them). */
export function objectsFromDir(dir: string, cwd = process.cwd()): Sources {
  const objects: Record<string, any>[] = [];
  const tree = readYamlTree(dir, "manifest", { display: (abs) => path.relative(cwd, abs) || abs });
  const diagnostics: Diagnostic[] = [...tree.diagnostics];
  for (const f of tree.files) {
    for (const { value: o } of f.docs) {
      if (o && typeof o === "object" && (o as Record<string, any>).apiVersion && (o as Record<string, any>).kind) objects.push(o as Record<string, any>);
    }
  }
  if (objects.length === 0 && diagnostics.length === 0) diagnostics.push(diag(PC6.explainNoInput, [path.relative(cwd, dir) || dir]));
  return { objects, diagnostics };
}

/** The objects `policyc build` would write, compiled in memory. */
export async function objectsFromProject(cwd: string, configPath?: string): Promise<Sources> {
  const result = await compile({ cwd, ...(configPath ? { configPath } : {}) });
  // Only what Argo CD syncs: test fixtures under tests/ carry Constraints of their own.
  const objects = (result.files ?? []).filter((f) => f.path.startsWith("manifests/")).map((f) => f.object).filter((o): o is Record<string, any> => !!o && typeof o === "object" && "kind" in (o as object));
  const out: Sources = { objects, diagnostics: result.diagnostics };
  if (result.root) out.root = result.root;
  if (result.project) {
    out.podSecurityDefault = result.project.config.podSecurityDefault;
    out.cluster = clusterOfConfig(result.project.config);
  }
  return out;
}
