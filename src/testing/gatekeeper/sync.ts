/**
 * Which kinds `data.inventory` holds. Gatekeeper replicates only what its Config's
 * `spec.sync.syncOnly` lists; templates that read the inventory say what they need in the
 * `metadata.gatekeeper.sh/requires-sync-data` annotation (a JSON list of requirements, each a list
 * of `{groups, versions, kinds}` alternatives, itself often written as a quoted JSON string).
 * Without a Config, the inventory is what the templates require; a template that reads the
 * inventory without saying what it needs gets everything (as gator gives every object).
 */
import { gvkOf, isObject, type KubeObject } from "./objects.js";
import type { GatekeeperConfig, PolicyTemplate } from "./policy-set.js";

export const READS_INVENTORY = /\bdata\s*\.\s*inventory\b|\bdata\s*\[\s*"inventory"\s*\]/;
const ANNOTATION = "metadata.gatekeeper.sh/requires-sync-data";

export function readsInventory(t: PolicyTemplate): boolean {
  return READS_INVENTORY.test([t.info.rego ?? "", ...t.info.libs].join("\n"));
}

/** The `{group, kind}` pairs a template requires, or undefined when it does not say (or says it unreadably). */
export function requiredSyncData(t: PolicyTemplate): { group: string; kind: string }[] | undefined {
  const meta = isObject(t.object.metadata) ? t.object.metadata : {};
  const ann = isObject(meta.annotations) ? meta.annotations[ANNOTATION] : undefined;
  if (typeof ann !== "string") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(ann.trim());
    if (typeof value === "string") value = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const out: { group: string; kind: string }[] = [];
  for (const requirement of value) {
    for (const alt of Array.isArray(requirement) ? requirement : [requirement]) {
      if (!isObject(alt)) return undefined;
      const groups = Array.isArray(alt.groups) ? alt.groups.map(String) : [""];
      for (const kind of Array.isArray(alt.kinds) ? alt.kinds.map(String) : []) for (const group of groups) out.push({ group, kind });
    }
  }
  return out;
}

/** A filter for the inventory: undefined means no inventory is needed at all. */
export interface SyncFilter {
  /** Kind names whose objects are kept (`*` in the set: every kind). */
  kinds: Set<string>;
  accepts(obj: KubeObject): boolean;
}

export function syncFilter(templates: readonly PolicyTemplate[], config: GatekeeperConfig): SyncFilter | undefined {
  const readers = templates.filter(readsInventory);
  if (readers.length === 0) return undefined;
  let pairs: { group: string; kind: string }[] | undefined;
  if (config.syncOnly && config.syncOnly.length > 0) pairs = config.syncOnly.map((s) => ({ group: s.group, kind: s.kind }));
  else {
    pairs = [];
    for (const t of readers) {
      const r = requiredSyncData(t);
      if (!r) {
        pairs = undefined;
        break;
      }
      pairs.push(...r);
    }
  }
  if (!pairs) return { kinds: new Set(["*"]), accepts: () => true };
  const keys = new Set(pairs.map((p) => `${p.group}/${p.kind}`));
  return {
    kinds: new Set(pairs.map((p) => p.kind)),
    accepts: (obj) => {
      const g = gvkOf(obj);
      return keys.has(`${g.group}/${g.kind}`) || keys.has(`*/${g.kind}`) || keys.has(`${g.group}/*`);
    },
  };
}
