/**
 * `data.inventory` as Gatekeeper's sync cache lays it out:
 *   cluster-scoped: cluster[<apiVersion>][<Kind>][<name>]
 *   namespaced:     namespace[<namespace>][<apiVersion>][<Kind>][<name>]
 * plus the Namespace lookup the matcher uses for `namespaceSelector` (core `v1` Namespaces only,
 * keyed by name, as Gatekeeper's namespace cache does).
 */
import { gvkOf, isObject, nameOf, namespaceOf, type KubeObject } from "./objects.js";

/** The layout, its leaves the objects (or, in `policyc check`, their JSON text). */
export interface Inventory<T = KubeObject> {
  cluster: Record<string, Record<string, Record<string, T>>>;
  namespace: Record<string, Record<string, Record<string, Record<string, T>>>>;
}

export class InventoryError extends Error {}

/** Where the sync cache files an object: `gv` is its apiVersion (`v1`, `apps/v1`); `namespace` is empty for cluster-scoped ones. */
export interface InventoryKey {
  gv: string;
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** An object's place in the inventory; throws InventoryError when it lacks a version or a kind (Gatekeeper refuses those). */
export function inventoryKey(obj: unknown): InventoryKey {
  if (!isObject(obj)) throw new InventoryError("inventory entries must be Kubernetes objects (maps)");
  const gvk = gvkOf(obj);
  const name = nameOf(obj);
  if (gvk.version === "") throw new InventoryError(`resource ${name || "<unnamed>"} has no version`);
  if (gvk.kind === "") throw new InventoryError(`resource ${name || "<unnamed>"} has no kind`);
  const gv = gvk.group === "" ? gvk.version : `${gvk.group}/${gvk.version}`;
  return { gv, group: gvk.group, kind: gvk.kind, namespace: namespaceOf(obj), name };
}

/**
 * Files a value in an inventory's layout under its key (an object filed again under the same key
 * replaces the first, in its place).
 */
export function fileUnder<T>(inv: Inventory<T>, key: InventoryKey, value: T): void {
  if (key.namespace === "") {
    const byGv = (inv.cluster[key.gv] ??= {});
    (byGv[key.kind] ??= {})[key.name] = value;
  } else {
    const byGv = (inv.namespace[key.namespace] ??= {});
    ((byGv[key.gv] ??= {})[key.kind] ??= {})[key.name] = value;
  }
}

export class InventoryBuilder {
  private readonly namespaces = new Map<string, KubeObject>();

  private rego: { inventory: Inventory } | undefined;

  /** `data` when the inventory was laid out elsewhere (e.g. sent to a worker thread). */
  constructor(readonly data: Inventory = { cluster: {}, namespace: {} }) {}

  /**
   * The Rego `data` document (`{inventory}`): the same object until the inventory changes, so an
   * evaluator loads it into Wasm memory once, not once per evaluation.
   */
  regoData(): { inventory: Inventory } {
    return (this.rego ??= { inventory: this.data });
  }

  /** Makes a Namespace known to `namespace()` (for namespaceSelector) without adding it to `data`. */
  registerNamespace(obj: KubeObject): void {
    const name = nameOf(obj);
    if (name !== "") this.namespaces.set(name, obj);
  }

  /** Adds one object; throws InventoryError when it lacks a version or a kind (Gatekeeper refuses those). */
  add(obj: unknown): void {
    const key = inventoryKey(obj);
    this.rego = undefined;
    fileUnder(this.data, key, obj as KubeObject);
    if (key.namespace === "" && key.gv === "v1" && key.kind === "Namespace") this.namespaces.set(key.name, obj as KubeObject);
  }

  /** The synced Namespace object called `name`, if any. */
  namespace(name: string): KubeObject | undefined {
    return name === "" ? undefined : this.namespaces.get(name);
  }
}
