/**
 * kubeconform schemas for every kind policyc emits, not only Constraint kinds: each manifest that
 * policyc validates against one of its own schemas (`schemas/`) gets that schema, self-contained, at
 * kubeconform's `schemas/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json` path (kind
 * lowercased). Paths an emitter already wrote (the per-kind Constraint schemas, which also hold the
 * template's parameters) are kept. Runs after the emitters, on their files.
 */
import type { ConfigIR } from "../ir/ir.js";
import type { GeneratedFile } from "./emitter.js";
import { loadSchema } from "./schema-files.js";
import { toJson } from "./yaml.js";

/** kubeconform's path of a kind's schema; undefined for the core group (kubeconform's defaults cover it). */
export function kubeconformSchemaPath(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf("/");
  if (slash < 0) return undefined;
  return `schemas/${apiVersion.slice(0, slash)}/${kind.toLowerCase()}_${apiVersion.slice(slash + 1)}.json`;
}

export function kubeconformSchemaFiles(files: readonly GeneratedFile[], config: ConfigIR): GeneratedFile[] {
  if (!config.kubeconformSchemas) return [];
  const taken = new Set(files.map((f) => f.path));
  const out: GeneratedFile[] = [];
  for (const f of files) {
    if (!f.path.startsWith("manifests/") || !f.schema || !f.object || typeof f.object !== "object") continue;
    const o = f.object as { apiVersion?: unknown; kind?: unknown };
    if (typeof o.apiVersion !== "string" || typeof o.kind !== "string") continue;
    const at = kubeconformSchemaPath(o.apiVersion, o.kind);
    if (!at || taken.has(at)) continue;
    taken.add(at);
    const object = selfContained(f.schema);
    out.push({ path: at, content: toJson(object), object, ...(f.origin ? { origin: f.origin } : {}) });
  }
  return out;
}

/**
 * The schema as one file: local `#/definitions/…` references stay (some schemas are recursive), and
 * a reference to a sibling file (`match.json`) becomes a definition of its own.
 */
function selfContained(id: string): Record<string, unknown> {
  const { $id: _id, $schema: _s, definitions, ...rest } = loadSchema(id);
  const defs: Record<string, unknown> = { ...((definitions ?? {}) as Record<string, unknown>) };
  const dir = id.includes("/") ? id.slice(0, id.lastIndexOf("/") + 1) : "";
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (typeof v !== "object" || v === null) return v;
    const o = v as Record<string, unknown>;
    if (typeof o.$ref === "string" && !o.$ref.startsWith("#")) {
      const file = o.$ref;
      const key = file.replace(/[^A-Za-z0-9]+/g, "-");
      if (!(key in defs)) {
        defs[key] = {};
        const { $id: _i, $schema: _t, definitions: inner, ...body } = loadSchema(dir + file);
        if (inner && Object.keys(inner as object).length > 0) throw new Error(`kubeconform schema: ${dir + file} has definitions of its own`);
        defs[key] = rewrite(body);
      }
      return { $ref: `#/definitions/${key}` };
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, rewrite(x)]));
  };
  const body = rewrite(rest) as Record<string, unknown>;
  const out: Record<string, unknown> = { $schema: "http://json-schema.org/draft-07/schema#", ...body };
  if (Object.keys(defs).length > 0) out.definitions = defs;
  return out;
}
