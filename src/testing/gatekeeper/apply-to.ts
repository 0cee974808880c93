/**
 * Gatekeeper's `applyTo` (mutators and ExpansionTemplates): an entry matches a group/version/kind
 * when each of its `groups`, `versions` and `kinds` lists contains the object's value exactly (no
 * globs); mutators may also name admission `operations` (`*` or absent: every operation).
 */
import { isObject, type GVK } from "./objects.js";

export interface ApplyTo {
  groups: string[];
  versions: string[];
  kinds: string[];
  /** Only on mutators; empty means every operation. */
  operations: string[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** Reads `spec.applyTo`; malformed entries become entries that match nothing. */
export function readApplyTo(v: unknown): ApplyTo[] {
  if (!Array.isArray(v)) return [];
  return v.map((a) =>
    isObject(a)
      ? { groups: strings(a.groups), versions: strings(a.versions), kinds: strings(a.kinds), operations: strings(a.operations) }
      : { groups: [], versions: [], kinds: [], operations: [] },
  );
}

export function applyToMatches(a: ApplyTo, gvk: GVK, operation = ""): boolean {
  if (!a.groups.includes(gvk.group) || !a.versions.includes(gvk.version) || !a.kinds.includes(gvk.kind)) return false;
  // Audit, expansion and gator have no operation; they are never filtered by it.
  if (operation === "" || a.operations.length === 0) return true;
  return a.operations.includes("*") || a.operations.includes(operation);
}

export function appliesTo(list: readonly ApplyTo[], gvk: GVK, operation = ""): boolean {
  return list.some((a) => applyToMatches(a, gvk, operation));
}

/** Every group/version/kind an applyTo list names (for cycle checks between ExpansionTemplates). */
export function applyToGVKs(list: readonly ApplyTo[]): GVK[] {
  const out: GVK[] = [];
  for (const a of list) for (const group of a.groups) for (const version of a.versions) for (const kind of a.kinds) out.push({ group, version, kind });
  return out;
}
