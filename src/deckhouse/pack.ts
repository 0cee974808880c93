/**
 * The Deckhouse policy pack's ConstraintTemplates (packs/deckhouse, built into its committed
 * generated/ folder, shipped in the npm package), and their replacement by templates exported from
 * a cluster (`kubectl get constrainttemplates -o yaml`) for the kinds those define.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../diagnostics/index.js";
import { readOwnYaml, readYamlTree } from "../testing/yaml-files.js";

type Obj = Record<string, any>;

/** packs/deckhouse, found from this module in src/ (tsx) and in dist/ alike. */
export const PACK_DIR = fileURLToPath(new URL("../../packs/deckhouse/", import.meta.url));
const MANIFESTS = path.join(PACK_DIR, "generated", "manifests");

let cached: Map<string, Obj> | undefined;

/** The pack's templates by Constraint kind. */
export function packTemplates(): Map<string, Obj> {
  if (cached) return cached;
  const out = new Map<string, Obj>();
  for (const file of readdirSync(MANIFESTS).sort()) {
    if (!file.startsWith("constrainttemplate-")) continue;
    const t = readOwnYaml(path.join(MANIFESTS, file))[0] as Obj;
    out.set(String(t.spec?.crd?.spec?.names?.kind), t);
  }
  cached = out;
  return out;
}

/**
 * Every ConstraintTemplate in a file or folder (a `List`, as kubectl exports, is unwrapped), read
 * as kubectl reads YAML; unreadable files and bad YAML are diagnostics at their position.
 */
export function readTemplatesFrom(where: string, display?: (abs: string) => string): { templates: Map<string, Obj>; diagnostics: Diagnostic[] } {
  const templates = new Map<string, Obj>();
  const tree = readYamlTree(where, "ConstraintTemplate", { json: true, ...(display ? { display } : {}) });
  for (const f of tree.files) {
    for (const doc of f.docs) {
      const o = doc.value as Obj | null;
      const items: Obj[] = o && o.kind === "List" && Array.isArray(o.items) ? o.items : o ? [o] : [];
      for (const t of items) {
        if (t?.kind === "ConstraintTemplate" && typeof t.spec?.crd?.spec?.names?.kind === "string") templates.set(t.spec.crd.spec.names.kind, t);
      }
    }
  }
  return { templates, diagnostics: tree.diagnostics };
}

/** The pack's templates with `overrides` in place of the pack's for the kinds they define. */
export function templatesFor(overrides?: Map<string, Obj>): Map<string, Obj> {
  const out = new Map(packTemplates());
  for (const [kind, t] of overrides ?? []) out.set(kind, t);
  return out;
}
