/**
 * JSON values as Gatekeeper compares and copies them: structural equality where map key order does
 * not matter (Go's `cmp.Equal` on decoded JSON), and deep copies so that a value assigned to many
 * objects is never shared between them.
 */

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  const bo = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual((a as Record<string, unknown>)[k], bo[k]));
}

export function jsonClone<T>(v: T): T {
  return v === undefined ? v : (structuredClone(v) as T);
}
