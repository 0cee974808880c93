/**
 * The DSL builders for Gatekeeper mutators. Each takes one object literal — `name` (plus optional
 * `labels`/`annotations`) beside the spec fields — and registers the mutator object with the loader.
 */
import { defineResource, type Resource } from "../resource.js";
import { splitLiteral, type ObjectMeta } from "../deckhouse/builders.js";
import type { AssignImageSpec, AssignMetadataSpec, AssignSpec, ModifySetSpec } from "./types.js";

const META = ["name", "labels", "annotations"] as const;

/** Options of every mutator builder, beside its metadata and spec fields. */
export interface MutatorOptions {
  /**
   * Add the config's `exemptNamespaces` (default `kube-system`, `d8-*`) to `match.excludedNamespaces`,
   * as every constraint gets them (default true): a mutator without `match` would otherwise rewrite
   * objects in Deckhouse's own namespaces. Set false only for a mutator meant for them too.
   */
  exemptSystemNamespaces?: boolean;
}

function build(kind: string, version: string, input: object, schema: string): Resource {
  const { exemptSystemNamespaces, ...rest } = input as MutatorOptions;
  const { metadata, spec } = splitLiteral(rest, META);
  return defineResource(
    { apiVersion: `mutations.gatekeeper.sh/${version}`, kind, metadata, spec },
    { schema, ...(exemptSystemNamespaces === false ? { exemptSystemNamespaces } : {}) },
  );
}

/**
 * Declares an `Assign` mutator (sets a field outside `metadata`).
 *
 * @example
 * assign({
 *   name: "always-pull",
 *   applyTo: [{ groups: [""], kinds: ["Pod"], versions: ["v1"] }],
 *   match: { scope: "Namespaced", kinds: [{ apiGroups: ["*"], kinds: ["Pod"] }] },
 *   location: "spec.containers[name: *].imagePullPolicy",
 *   parameters: { assign: { value: "Always" } },
 * });
 */
export function assign(input: ObjectMeta & AssignSpec & MutatorOptions): Resource {
  return build("Assign", "v1", input, "mutations/assign.json");
}

/**
 * Declares an `AssignMetadata` mutator (adds a label or annotation).
 *
 * @example
 * assignMetadata({ name: "owner", location: "metadata.annotations.owner", parameters: { assign: { value: "admin" } } });
 */
export function assignMetadata(input: ObjectMeta & AssignMetadataSpec & MutatorOptions): Resource {
  return build("AssignMetadata", "v1", input, "mutations/assignmetadata.json");
}

/**
 * Declares a `ModifySet` mutator (adds values to or removes them from a list).
 *
 * @example
 * modifySet({
 *   name: "no-verbose",
 *   applyTo: [{ groups: [""], kinds: ["Pod"], versions: ["v1"] }],
 *   location: "spec.containers[name: *].args",
 *   parameters: { operation: "prune", values: { fromList: ["--verbose"] } },
 * });
 */
export function modifySet(input: ObjectMeta & ModifySetSpec & MutatorOptions): Resource {
  return build("ModifySet", "v1", input, "mutations/modifyset.json");
}

/**
 * Declares an `AssignImage` mutator (rewrites domain, path or tag of image references).
 *
 * @example
 * assignImage({
 *   name: "mirror",
 *   applyTo: [{ groups: [""], kinds: ["Pod"], versions: ["v1"] }],
 *   location: "spec.containers[name: *].image",
 *   parameters: { assignDomain: "mirror.example.com" },
 * });
 */
export function assignImage(input: ObjectMeta & AssignImageSpec & MutatorOptions): Resource {
  return build("AssignImage", "v1alpha1", input, "mutations/assignimage.json");
}
