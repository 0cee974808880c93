/**
 * Rego names for TypeScript identifiers: snake_case helper names, and locals renamed away from Rego
 * keywords, the roots `input`/`data`, built-in functions and namespaces (a local `all` or `object`
 * would shadow `all()`/`object.get()`; it becomes `all_`), and names already used in the same rule
 * body (Rego has one flat scope per body, TypeScript has nested blocks). Every name is snake_case,
 * as Rego's style guide asks: `allowedRepos` becomes `allowed_repos`.
 */
import { BUILTINS } from "../engine/compiler/builtins-table.js";

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

/** Built-in functions and the roots of namespaced ones (`object` of `object.get`). */
const BUILTIN_NAMES: ReadonlySet<string> = new Set([...BUILTINS.keys()].flatMap((n) => (n.includes(".") ? [n, n.split(".")[0]!] : [n])));

/** A fresh name based on `wanted`, not in `taken` (which it is added to). */
export function freshName(wanted: string, taken: Set<string>): string {
  let base = snakeCase(wanted).replace(/_+/g, "_");
  if (base !== "_") base = base.replace(/^_+(?=[a-z])/, "");
  if (!/^[A-Za-z_]/.test(base)) base = `v_${base}`;
  if (BUILTIN_NAMES.has(base)) base = `${base}_`;
  let name = base;
  for (let i = 1; RESERVED.has(name) || taken.has(name); i++) name = `${base}${i}`;
  taken.add(name);
  return name;
}
