/**
 * Walking a mutator's `location` through an object, as Gatekeeper's mutation core does. A location
 * is a list of nodes (`spec`, `containers`, `[name: foo]`, `image`); object nodes step into a field,
 * list nodes select the elements whose key field equals the key value (or every element for
 * `[name: *]`). Missing fields and keyed elements on the way are created (a created element gets
 * its key field), unless a path test forbids it. At the last node a setter writes the value.
 *
 * Path tests are indexed by depth (the last node of their `subPath`): `MustExist` allows only
 * existing entries at that depth, `MustNotExist` only missing ones; a glob entry can never be
 * missing, so `MustNotExist` on it stops the mutation.
 */
import type { LocationNode } from "../../../api/mutations/location.js";
import { jsonEqual } from "../json-values.js";
import { isObject } from "../objects.js";

export type Condition = "MustExist" | "MustNotExist";

export class MutationError extends Error {}

/** What the mutation does once the walk reaches the last node. */
export interface Setter {
  /** Writes the field `key` of `obj` (which may not have it yet). */
  set(obj: Record<string, unknown>, key: string): void;
  /** The object written at a keyed-list location (`spec.containers[name: x]`); undefined when the mutator cannot write list elements. */
  listElement?(): Record<string, unknown>;
}

export class PathTester {
  constructor(private readonly byDepth: ReadonlyMap<number, Condition>) {}

  existsOkay(depth: number): boolean {
    const c = this.byDepth.get(depth);
    return c === undefined || c === "MustExist";
  }

  missingOkay(depth: number): boolean {
    const c = this.byDepth.get(depth);
    return c === undefined || c === "MustNotExist";
  }
}

const describe = (n: LocationNode) => (n.type === "object" ? `field "${n.name}"` : n.glob ? `[${n.keyField}: *]` : `[${n.keyField}: ${n.keyValue}]`);
const typeName = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "list" : typeof v === "object" ? "object" : typeof v);

export interface Applied {
  /** The walk reached the location and the setter ran (Gatekeeper's "mutated"). */
  reached: boolean;
  /** Some value actually changed (a new field, element or different value). */
  changed: boolean;
}

/**
 * Applies the setter at `nodes` inside `root`, in place. Throws MutationError where Gatekeeper
 * fails the mutation: a value of the wrong type on the path, or a keyed-list write the mutator
 * cannot do.
 */
export function mutateAt(root: Record<string, unknown>, nodes: readonly LocationNode[], tester: PathTester, setter: Setter): Applied {
  if (nodes.length === 0) throw new MutationError("the location is empty");
  const last = nodes.length - 1;
  let changed = false;

  const created = (depth: number): unknown => {
    const node = nodes[depth]!;
    const next = nodes[depth + 1]!;
    if (next.type === "list") {
      if (node.type === "list") throw new MutationError("two consecutive list selectors are not allowed");
      return [];
    }
    const out: Record<string, unknown> = {};
    if (node.type === "list") {
      if (node.glob || node.keyValue === undefined) throw new MutationError(`cannot create an element for ${describe(node)}`);
      out[node.keyField] = node.keyValue;
    }
    return out;
  };

  const walk = (current: unknown, depth: number): { mutated: boolean; value?: unknown } => {
    const node = nodes[depth]!;
    if (node.type === "object") {
      if (!isObject(current)) throw new MutationError(`expected an object at ${describe(node)}, found a ${typeName(current)}`);
      const exists = Object.prototype.hasOwnProperty.call(current, node.name);
      if (exists ? !tester.existsOkay(depth) : !tester.missingOkay(depth)) return { mutated: false };
      if (depth === last) {
        const old = current[node.name];
        setter.set(current, node.name);
        const has = Object.prototype.hasOwnProperty.call(current, node.name);
        if (exists !== has || (has && !jsonEqual(old, current[node.name]))) changed = true;
        return { mutated: true, value: current };
      }
      const next = exists ? current[node.name] : created(depth);
      const r = walk(next, depth + 1);
      if (r.mutated) current[node.name] = r.value;
      return { mutated: r.mutated, value: current };
    }

    if (!Array.isArray(current)) throw new MutationError(`expected a list at ${describe(node)}, found a ${typeName(current)}`);
    const list = [...current];
    if (depth === last) return setListElement(list, node, depth);
    if (node.glob && !tester.existsOkay(depth)) return { mutated: false };
    let mutated = false;
    let found = false;
    for (const element of list) {
      if (node.glob) {
        found = true;
        mutated = walk(element, depth + 1).mutated || mutated;
      } else if (isObject(element) && Object.prototype.hasOwnProperty.call(element, node.keyField) && element[node.keyField] === node.keyValue) {
        if (!tester.existsOkay(depth)) return { mutated: false };
        found = true;
        mutated = walk(element, depth + 1).mutated || mutated;
      }
    }
    if (!node.glob && !found) {
      if (!tester.missingOkay(depth)) return { mutated: false };
      const next = created(depth);
      list.push(next);
      mutated = walk(next, depth + 1).mutated || mutated;
    }
    return { mutated, value: list };
  };

  const setListElement = (list: unknown[], node: Extract<LocationNode, { type: "list" }>, depth: number): { mutated: boolean; value?: unknown } => {
    if (node.glob) throw new MutationError("the last node of a location cannot be a glob");
    if (!setter.listElement) throw new MutationError(`this mutator cannot write the list element ${describe(node)}`);
    const value = setter.listElement();
    for (let i = 0; i < list.length; i++) {
      const el = list[i];
      if (!isObject(el)) throw new MutationError(`expected an object element in the list at ${describe(node)}, found a ${typeName(el)}`);
      if (Object.prototype.hasOwnProperty.call(el, node.keyField) && el[node.keyField] === node.keyValue) {
        if (value[node.keyField] !== node.keyValue) throw new MutationError(`the value would change the key field "${node.keyField}" of the element it replaces`);
        if (!tester.existsOkay(depth)) return { mutated: false };
        if (!jsonEqual(el, value)) changed = true;
        list[i] = value;
        return { mutated: true, value: list };
      }
    }
    if (!tester.missingOkay(depth)) return { mutated: false };
    list.push(value);
    changed = true;
    return { mutated: true, value: list };
  };

  return { reached: walk(root, 0).mutated, changed };
}
