/**
 * `data.inventory` as Gatekeeper's sync cache lays it out:
 *   cluster-scoped: cluster[<apiVersion>][<Kind>][<name>]
 *   namespaced:     namespace[<namespace>][<apiVersion>][<Kind>][<name>]
 * plus the Namespace lookup the matcher uses for `namespaceSelector` (core `v1` Namespaces only,
 * keyed by name, as Gatekeeper's namespace cache does).
 */
import { gvkOf, isObject, nameOf, namespaceOf, type KubeObject } from "./objects.js";

export interface Inventory {
  cluster: Record<string, Record<string, Record<string, KubeObject>>>;
  namespace: Record<string, Record<string, Record<string, Record<string, KubeObject>>>>;
}

export class InventoryError extends Error {}

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
    if (!isObject(obj)) throw new InventoryError("inventory entries must be Kubernetes objects (maps)");
    this.rego = undefined;
    const gvk = gvkOf(obj);
    const name = nameOf(obj);
    if (gvk.version === "") throw new InventoryError(`resource ${name || "<unnamed>"} has no version`);
    if (gvk.kind === "") throw new InventoryError(`resource ${name || "<unnamed>"} has no kind`);
    const gv = gvk.group === "" ? gvk.version : `${gvk.group}/${gvk.version}`;
    const ns = namespaceOf(obj);
    if (ns === "") {
      const byGv = (this.data.cluster[gv] ??= {});
      (byGv[gvk.kind] ??= {})[name] = obj;
      if (gvk.group === "" && gvk.kind === "Namespace" && gvk.version === "v1") this.namespaces.set(name, obj);
    } else {
      const byNs = (this.data.namespace[ns] ??= {});
      const byGv = (byNs[gv] ??= {});
      (byGv[gvk.kind] ??= {})[name] = obj;
    }
  }

  /** The synced Namespace object called `name`, if any. */
  namespace(name: string): KubeObject | undefined {
    return name === "" ? undefined : this.namespaces.get(name);
  }
}
