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

/**
 * A deep copy of a JSON value. Plain objects and arrays are copied directly (several times faster
 * than `structuredClone` for manifest-sized values: mutation and expansion copy every object they
 * change); anything else, or nesting deeper than any manifest, goes to `structuredClone`.
 */
export function jsonClone<T>(v: T): T {
  if (v === undefined) return v;
  const out = copy(v, 0);
  return (out === TOO_DEEP ? structuredClone(v) : out) as T;
}

const TOO_DEEP = Symbol("too deep");
const MAX_DEPTH = 200;

function copy(v: unknown, depth: number): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (depth > MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = copy(v[i], depth + 1);
      if (x === TOO_DEEP) return TOO_DEEP;
      out[i] = x;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = copy((v as Record<string, unknown>)[k], depth + 1);
    if (x === TOO_DEEP) return TOO_DEEP;
    // A `__proto__` key is data in JSON, not the prototype.
    if (k === "__proto__") Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}
