/**
 * The types of Gatekeeper's CEL roots for the checker (check.ts), as the API server declares them
 * for a ValidatingAdmissionPolicy: `object`, `oldObject` and `variables.anyObject` from the schemas
 * of the kinds the constraints match (kubernetes-shapes.ts; several kinds are one type whose fields
 * are those of any of them, narrowed by `kind` tests; an object of an unknown kind has the fields
 * every Kubernetes object has, `apiVersion`, `kind` and `metadata`, and any other), `params` the
 * constraint with `spec.parameters` from the template's parameters schema, `variables.params` that
 * schema, `request` an AdmissionRequest, `namespaceObject` a Namespace.
 */
import { kindsNamed, kubernetesShapes, type ObjectShape, type Shape } from "./kubernetes-shapes.js";

/** The kinds a constraint matches, as Gatekeeper's `match.kinds` lists them. */
export interface MatchedKinds {
  apiGroups: readonly string[];
  kinds: readonly string[];
}

/** What the checker knows of the roots; `undefined` for a root means `dyn`. */
export interface CelSchemaEnv {
  /** The object's possible shapes; `undefined`: anything at all (`dyn`). */
  object?: ObjectShape[];
  /** The parameters' shape (`spec.parameters`); `undefined`: not declared (`dyn`). */
  parameters?: Shape;
  request?: Shape;
  namespaceObject?: Shape;
}

/**
 * Any Kubernetes object: `apiVersion`, `kind` and `metadata` as every kind has them, other fields
 * unknown (`dyn`). The shape of a kind without a schema (custom resources), of `*`, and of the
 * object of a check without constraints.
 */
export const anyObjectShape: ObjectShape = {
  name: "a Kubernetes object",
  obj: { apiVersion: "string", kind: "string", metadata: { ref: "meta/v1.ObjectMeta" } },
  open: true,
};

/**
 * The object's shapes for the kinds every constraint of the check matches; `anyObjectShape` among
 * them when a constraint matches any kind (no `kinds`, a `*`) or a kind that kubernetes-types does
 * not know, since its other fields cannot be ruled out.
 */
export function objectShapes(matches: readonly (readonly MatchedKinds[] | undefined)[]): ObjectShape[] {
  const out = new Map<string, ObjectShape>();
  const any = () => out.set(anyObjectShape.name, anyObjectShape);
  if (matches.length === 0) any();
  for (const kinds of matches) {
    if (!kinds || kinds.length === 0) any();
    for (const entry of kinds ?? []) {
      const groups = entry.apiGroups.length === 0 ? ["*"] : entry.apiGroups;
      if (entry.kinds.length === 0) any();
      for (const kind of entry.kinds) {
        const found = kind === "*" ? [] : kindsNamed(kind, groups);
        if (found.length === 0) any();
        for (const f of found) out.set(f.shape, kubernetesShapes().shapes[f.shape]!);
      }
    }
  }
  return [...out.values()];
}

/**
 * A structural OpenAPI schema (a template's `openAPIV3Schema`, a check's parameters) as a shape:
 * properties → an object with exactly those fields; `additionalProperties` → a map; open or
 * two-typed schemas (`x-kubernetes-preserve-unknown-fields`, int-or-string, no type) → `dyn`.
 */
export function shapeOfSchema(schema: unknown, name = "parameters"): Shape {
  if (!schema || typeof schema !== "object") return "dyn";
  const s = schema as Record<string, unknown>;
  if (s["x-kubernetes-int-or-string"] === true) return "dyn";
  const type = s.type;
  if (type === "string") return "string";
  if (type === "integer") return "int";
  if (type === "number") return "double";
  if (type === "boolean") return "bool";
  if (type === "array") return { list: shapeOfSchema(s.items, name) };
  if (type === "object" || (type === undefined && s.properties && typeof s.properties === "object")) {
    if (s["x-kubernetes-preserve-unknown-fields"] === true) return "dyn";
    const props = s.properties && typeof s.properties === "object" ? (s.properties as Record<string, unknown>) : undefined;
    if (props && Object.keys(props).length > 0) {
      const obj: Record<string, Shape> = {};
      for (const [k, v] of Object.entries(props)) obj[k] = shapeOfSchema(v, `${name}.${k}`);
      return { obj, name };
    }
    const extra = s.additionalProperties;
    if (extra && typeof extra === "object") return { map: shapeOfSchema(extra, name) };
    return "dyn";
  }
  return "dyn";
}

/** The AdmissionRequest the API server binds to `request` (admission.k8s.io/v1). */
export const admissionRequestShape: ObjectShape = {
  name: "AdmissionRequest",
  obj: {
    uid: "string",
    kind: { obj: { group: "string", version: "string", kind: "string" }, name: "GroupVersionKind" },
    resource: { obj: { group: "string", version: "string", resource: "string" }, name: "GroupVersionResource" },
    subResource: "string",
    requestKind: { obj: { group: "string", version: "string", kind: "string" }, name: "GroupVersionKind" },
    requestResource: { obj: { group: "string", version: "string", resource: "string" }, name: "GroupVersionResource" },
    requestSubResource: "string",
    name: "string",
    namespace: "string",
    operation: "string",
    userInfo: { obj: { username: "string", uid: "string", groups: { list: "string" }, extra: { map: { list: "string" } } }, name: "UserInfo" },
    object: "dyn",
    oldObject: "dyn",
    dryRun: "bool",
    options: "dyn",
  },
};

/** The constraint bound to `params`: its `spec.parameters` typed by the template's schema. */
export function constraintShape(parameters: Shape | undefined): ObjectShape {
  return {
    name: "constraint",
    obj: {
      apiVersion: "string",
      kind: "string",
      metadata: { ref: "meta/v1.ObjectMeta" },
      spec: {
        name: "constraint.spec",
        obj: { match: "dyn", enforcementAction: "string", scopedEnforcementActions: "dyn", parameters: parameters ?? "dyn" },
      },
    },
  };
}

/** The Namespace bound to `namespaceObject`. */
export function namespaceShape(): Shape {
  const found = kindsNamed("Namespace", [""]);
  return found[0] ? { ref: found[0].shape } : "dyn";
}
