/**
 * Where `policyc explain` gets the objects it reasons about: the project compiled in memory (the
 * default, so the answer reflects the sources, not a stale build), or the YAML manifests of a
 * folder (`--from generated/manifests`) for a repo without policyc sources.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
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

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = path.join(dir, e);
      return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(e) ? [p] : [];
    });
}

/** Every Kubernetes object in the YAML files under `dir`. */
export function objectsFromDir(dir: string): Sources {
  if (!existsSync(dir)) return { objects: [], diagnostics: [diag(PC6.explainNoInput, [dir])] };
  const objects: Record<string, any>[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of walk(dir)) {
    for (const doc of YAML.parseAllDocuments(readFileSync(file, "utf8"))) {
      if (doc.errors.length) {
        diagnostics.push(diag(PC6.explainBadManifest, [doc.errors[0]!.message.split("\n")[0]], { file, line: 1, col: 1 }));
        continue;
      }
      const o = doc.toJS();
      if (o && typeof o === "object" && o.apiVersion && o.kind) objects.push(o);
    }
  }
  if (objects.length === 0 && diagnostics.length === 0) diagnostics.push(diag(PC6.explainNoInput, [dir]));
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
