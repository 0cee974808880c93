/**
 * Rego names for TypeScript identifiers: snake_case helper names, and locals renamed away from Rego
 * keywords, the roots `input`/`data`, and names already used in the same rule body (Rego has one
 * flat scope per body, TypeScript has nested blocks).
 */

const RESERVED = new Set([
  "as", "contains", "data", "default", "else", "every", "false", "if", "import", "in", "input", "not",
  "null", "package", "some", "true", "with", "msg", "details",
]);

export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9_]/g, "_")
    .toLowerCase();
}

/** A fresh name based on `wanted`, not in `taken` (which it is added to). */
export function freshName(wanted: string, taken: Set<string>): string {
  let base = wanted.replace(/[^A-Za-z0-9_]/g, "_");
  if (!/^[A-Za-z_]/.test(base)) base = `v_${base}`;
  let name = base;
  for (let i = 1; RESERVED.has(name) || taken.has(name); i++) name = `${base}${i}`;
  taken.add(name);
  return name;
}
