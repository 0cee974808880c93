/**
 * Accessors for Kubernetes objects held as plain JSON, mirroring `unstructured.Unstructured`:
 * group/version/kind from `apiVersion`, and metadata getters that treat malformed fields as absent
 * (as the Go accessors do).
 */

export type KubeObject = Record<string, unknown>;

export interface GVK {
  group: string;
  version: string;
  kind: string;
}

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

export function gvkOf(obj: KubeObject): GVK {
  const apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
  const kind = typeof obj.kind === "string" ? obj.kind : "";
  const slash = apiVersion.indexOf("/");
  // "v1" is the core group; "apps/v1" has group "apps". A lone "a/b/c" is malformed: Go yields empty GV.
  if (slash < 0) return { group: "", version: apiVersion, kind };
  if (apiVersion.indexOf("/", slash + 1) >= 0) return { group: "", version: "", kind };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

/** Read for every object by every constraint: the absent case shares one frozen empty object. */
const NONE: Record<string, never> = Object.freeze({});

function metadata(obj: KubeObject): Record<string, unknown> {
  return isObject(obj.metadata) ? obj.metadata : NONE;
}

export function nameOf(obj: KubeObject): string {
  const n = metadata(obj).name;
  return typeof n === "string" ? n : "";
}

export function generateNameOf(obj: KubeObject): string {
  const n = metadata(obj).generateName;
  return typeof n === "string" ? n : "";
}

export function namespaceOf(obj: KubeObject): string {
  const n = metadata(obj).namespace;
  return typeof n === "string" ? n : "";
}

/** Labels as a string map; like `GetLabels`, a map with any non-string value counts as no labels. */
export function labelsOf(obj: KubeObject): Record<string, string> {
  const l = metadata(obj).labels;
  if (!isObject(l)) return NONE;
  for (const k in l) if (Object.hasOwn(l, k) && typeof l[k] !== "string") return NONE;
  return l as Record<string, string>;
}

/** A core-group Namespace object. */
export function isNamespaceObject(obj: KubeObject): boolean {
  const g = gvkOf(obj);
  return g.kind === "Namespace" && g.group === "";
}
