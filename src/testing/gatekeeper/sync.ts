/**
 * Which kinds `data.inventory` holds. Gatekeeper replicates only what its Config's
 * `spec.sync.syncOnly` lists; templates that read the inventory say what they need in the
 * `metadata.gatekeeper.sh/requires-sync-data` annotation (a JSON list of requirements, each a list
 * of `{groups, versions, kinds}` alternatives, itself often written as a quoted JSON string).
 * Without a Config, the inventory is what the templates require; a template that reads the
 * inventory without saying what it needs gets everything (as gator gives every object).
 *
 * What a template can read is also found from its Rego (`inventoryReads`): when every reference to
 * `data.inventory` names the kind (`data.inventory.namespace[ns]["v1"]["Service"]`), objects of other
 * kinds cannot change its result, so `policyc check` leaves them out of the data it loads for that
 * template (Gatekeeper would sync them; the template would never see them).
 */
import { parseModule, type Module, type RefTerm, type Term } from "../../engine/rego/index.js";
import { isObject } from "./objects.js";
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
  const text = ann.trim();
  try {
    value = JSON.parse(text);
    if (typeof value === "string") value = JSON.parse(value);
  } catch {
    // The library writes the quoted form over several lines (`"[\n [ {…} ] ]"`), which is not a JSON
    // string (raw line breaks); its content between the quotes is the JSON list.
    if (!(text.length > 1 && text.startsWith('"') && text.endsWith('"'))) return undefined;
    try {
      value = JSON.parse(text.slice(1, -1));
    } catch {
      return undefined;
    }
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
  /** Whether objects of this group and kind are kept. */
  accepts(group: string, kind: string): boolean;
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
    accepts: (group, kind) => keys.has(`${group}/${kind}`) || keys.has(`*/${kind}`) || keys.has(`${group}/*`),
  };
}

/** A kind a template reads from the inventory; `group` undefined when its apiVersion is not a constant. */
export interface InventoryKind {
  group?: string;
  kind: string;
}

/**
 * The kinds a template's Rego reads from `data.inventory`: `[]` when it never reads it, `"all"` when
 * some reference does not name the kind (a bare `data`, `data[x]`, `data.inventory.namespace[ns]`
 * bound to a variable, an import of the inventory, Rego that does not parse).
 */
export function inventoryReads(t: PolicyTemplate): InventoryKind[] | "all" {
  if (!readsInventory(t) && !/\bdata\s*\[/.test([t.info.rego ?? "", ...t.info.libs].join("\n"))) return [];
  // Each run of a process (a check's, a watch loop's) asks again of templates read again: the answer is the Rego's.
  const key = JSON.stringify([t.info.regoVersion, t.info.rego ?? "", ...t.info.libs]);
  let reads = readsOfRego.get(key);
  if (reads === undefined) {
    if (readsOfRego.size >= READS_CACHED) readsOfRego.clear();
    readsOfRego.set(key, (reads = regoReads(t)));
  }
  return reads === "all" ? "all" : [...reads];
}

/** `inventoryReads` by the Rego's text (a few hundred templates at most in any process's policy sets). */
const readsOfRego = new Map<string, InventoryKind[] | "all">();
const READS_CACHED = 1000;

function regoReads(t: PolicyTemplate): InventoryKind[] | "all" {
  const out = new Map<string, InventoryKind>();
  for (const [i, text] of [t.info.rego ?? "", ...t.info.libs].entries()) {
    let mod: Module;
    try {
      mod = parseModule(text, { file: `template#${i}`, regoVersion: t.info.regoVersion });
    } catch {
      return "all";
    }
    // The package path is a `data` ref too, but names the module itself: a package called inventory could be read whole.
    if (refPath(mod.package.path)[0] === "inventory") return "all";
    let all = false;
    const visit = (node: unknown): void => {
      if (all || typeof node !== "object" || node === null) return;
      if (Array.isArray(node)) {
        for (const n of node) visit(n);
        return;
      }
      const n = node as { type?: string };
      if (n.type === "package") return;
      if (n.type === "ref") {
        const read = kindRead(n as RefTerm);
        if (read === "all") all = true;
        else if (read) out.set(`${read.group ?? "*"}/${read.kind}`, read);
      }
      for (const [k, v] of Object.entries(n)) if (k !== "loc") visit(v);
    };
    visit(mod.imports);
    visit(mod.rules);
    if (all) return "all";
  }
  return [...out.values()];
}

/** The constant path elements of a `data` ref after `data` (up to the first non-constant one). */
function refPath(ref: RefTerm): (string | undefined)[] {
  return ref.terms.slice(1).map((x: Term) => (x.type === "string" ? x.value : undefined));
}

function kindRead(ref: RefTerm): InventoryKind | "all" | undefined {
  const head = ref.terms[0];
  if (!head || head.type !== "var" || head.name !== "data") return undefined;
  const path = refPath(ref);
  if (path.length === 0 || path[0] === undefined) return "all";
  if (path[0] !== "inventory") return undefined;
  // cluster[<apiVersion>][<Kind>] and namespace[<ns>][<apiVersion>][<Kind>]
  const at = path[1] === "cluster" ? 2 : path[1] === "namespace" ? 3 : -1;
  if (at < 0 || path.length <= at + 1) return "all";
  const kind = path[at + 1];
  if (kind === undefined) return "all";
  const gv = path[at];
  if (gv === undefined) return { kind };
  return { group: gv.includes("/") ? gv.slice(0, gv.indexOf("/")) : "", kind };
}

/**
 * What `policyc check` loads for a template: the kinds its Rego reads when they are constants, else
 * the kinds its `requires-sync-data` annotation declares, else everything.
 */
export function inventoryNeeds(t: PolicyTemplate): InventoryKind[] | "all" {
  const reads = inventoryReads(t);
  if (reads !== "all") return reads;
  const declared = requiredSyncData(t);
  if (!declared || declared.some((d) => d.kind === "*")) return "all";
  return declared.map((d) => (d.group === "*" ? { kind: d.kind } : d));
}

/** Whether a group and kind is one of `kinds` (`"all"`: any). */
export function ofKinds(kinds: InventoryKind[] | "all", group: string, kind: string): boolean {
  return kinds === "all" || kinds.some((k) => k.kind === kind && (k.group === undefined || k.group === group));
}
