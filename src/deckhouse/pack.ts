/**
 * The Deckhouse policy pack's ConstraintTemplates (packs/deckhouse, built into its committed
 * generated/ folder, shipped in the npm package), and their replacement by templates exported from
 * a cluster (`kubectl get constrainttemplates -o yaml`) for the kinds those define.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

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
    const t = YAML.parse(readFileSync(path.join(MANIFESTS, file), "utf8")) as Obj;
    out.set(String(t.spec?.crd?.spec?.names?.kind), t);
  }
  cached = out;
  return out;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = path.join(dir, e);
      return statSync(p).isDirectory() ? yamlFiles(p) : /\.(ya?ml|json)$/.test(e) ? [p] : [];
    });
}

/** Every ConstraintTemplate in a file or folder (a `List`, as kubectl exports, is unwrapped). */
export function readTemplatesFrom(where: string): { templates: Map<string, Obj>; errors: string[] } {
  const templates = new Map<string, Obj>();
  const errors: string[] = [];
  if (!existsSync(where)) return { templates, errors: [`${where} does not exist`] };
  const files = statSync(where).isDirectory() ? yamlFiles(where) : [where];
  for (const file of files) {
    for (const doc of YAML.parseAllDocuments(readFileSync(file, "utf8"))) {
      if (doc.errors.length > 0) {
        errors.push(`${file}: ${doc.errors[0]!.message.split("\n")[0]}`);
        continue;
      }
      const o = doc.toJS() as Obj | null;
      const items: Obj[] = o && o.kind === "List" && Array.isArray(o.items) ? o.items : o ? [o] : [];
      for (const t of items) {
        if (t?.kind === "ConstraintTemplate" && typeof t.spec?.crd?.spec?.names?.kind === "string") templates.set(t.spec.crd.spec.names.kind, t);
      }
    }
  }
  return { templates, errors };
}

/** The pack's templates with `overrides` in place of the pack's for the kinds they define. */
export function templatesFor(overrides?: Map<string, Obj>): Map<string, Obj> {
  const out = new Map(packTemplates());
  for (const [kind, t] of overrides ?? []) out.set(kind, t);
  return out;
}
