/**
 * Rules against base documents: a rule whose path holds base data (or lies below a base value that
 * is not an object) is refused, as OPA's compiler refuses it when it runs with a store
 * (`opa test`, `opa eval -d`): `conflicting rule for data path a/b found`, at the path's first rule.
 * Only the ground string paths of the rule tree are checked; below a conflict nothing more is.
 */
import type { Diagnostic } from "../../diagnostics/index.js";
import { diag } from "../../diagnostics/index.js";
import { CompilerMessages as M, spanOf } from "./diagnostics.js";
import type { RuleNode } from "./ruletree.js";

export function checkDataConflicts(root: RuleNode, data: unknown, diags: Diagnostic[]): void {
  for (const child of root.children.values()) visit(child, data, [], diags);
}

function visit(node: RuleNode, data: unknown, path: string[], diags: Diagnostic[]): void {
  const here = [...path, node.key];
  const g = node.static ?? node.dynamic;
  const rule = g && (g.rules[0] ?? g.default);
  if (rule && occupied(data, here)) {
    diags.push(diag(M.dataConflict, [here.join("/")], spanOf(rule.loc)));
    return;
  }
  for (const c of node.children.values()) visit(c, data, here, diags);
}

/** OPA's storage.NonEmpty: a value at the path, or a value that is not an object at the nearest prefix that has one. */
function occupied(data: unknown, path: string[]): boolean {
  const values: unknown[] = [data];
  let v: unknown = data;
  for (const k of path) {
    if (!isObject(v) || !Object.hasOwn(v, k)) break;
    v = (v as Record<string, unknown>)[k];
    values.push(v);
  }
  if (values.length === path.length + 1) return true;
  // values[i] is the value at path[:i]; the root (i = 0) is not a prefix OPA reads.
  const nearest = values.length - 1;
  return nearest > 0 && !isObject(values[nearest]);
}

function isObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
