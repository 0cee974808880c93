/**
 * The parts of the reviewed object and of the parameters a check body reads, with their TypeScript
 * types (from kubernetes-types and the Params type) and the literals the body compares them with.
 * The differential generators (src/differential) build objects along exactly these paths, so random
 * objects exercise the branches of the check rather than unrelated fields.
 */
import ts from "../frontend/typescript-api.cjs";

/** Plain data (it travels in the IR). */
export type Shape =
  /** `required`: properties the TypeScript type requires (always generated). */
  | { type: "object"; props: Record<string, Shape>; required?: string[] }
  | { type: "array"; items: Shape }
  | { type: "map"; values: Shape }
  | { type: "string"; samples: string[] }
  | { type: "number"; samples: number[] }
  | { type: "boolean" }
  | { type: "unknown" };

/** A path segment: a property name, `[]` (any array element) or `{}` (any value of a map). */
export type Segment = string;

export interface CheckShapes {
  object: Shape;
  params: Shape;
  /** The body reads the object through `podSpecOf`: `object.spec` stands for the pod spec of any workload. */
  podSpec?: boolean;
}

export class ShapeRecorder {
  /** Off in plain builds: asking the checker for every read's type is most of the transpiler's cost. */
  constructor(readonly enabled = true) {}

  private readonly tree: CheckShapes = { object: { type: "object", props: {} }, params: { type: "object", props: {} } };
  private readonly aliases: [Segment[], Segment[]][] = [];

  /** The recorded shapes, with every alias filled in from its source. */
  usesPodSpec(): void {
    this.tree.podSpec = true;
  }

  get roots(): CheckShapes {
    for (const [from, to] of this.aliases) {
      const src = this.at(from);
      const dst = this.at(to);
      merge(dst, src);
    }
    return this.tree;
  }

  /** `to` holds what `from` holds (e.g. both arrays of a spread `[...a, ...b]`). */
  alias(from: Segment[], to: Segment[]): void {
    if (this.enabled) this.aliases.push([from, to]);
  }

  private at(path: Segment[]): Shape {
    const [root, ...rest] = path;
    let node = this.tree[root === "params" ? "params" : "object"];
    for (const seg of rest) node = child(node, seg);
    return node;
  }

  /** Records that `path` (first segment `object` or `params`) is read and has type `type`. */
  record(path: Segment[], type: ts.Type | undefined, checker: ts.TypeChecker, required = false): void {
    if (!this.enabled) return;
    const [root, ...rest] = path;
    if (root !== "object" && root !== "params") return;
    let node = this.tree[root];
    let parent: Shape | undefined;
    for (const seg of rest) (parent = node), (node = child(node, seg));
    const last = rest[rest.length - 1];
    if (required && parent?.type === "object" && last !== undefined && !(parent.required ?? []).includes(last)) (parent.required ??= []).push(last);
    if (type) refine(node, type, checker);
  }

  sample(path: Segment[], value: string | number): void {
    if (!this.enabled) return;
    const [root, ...rest] = path;
    if (root !== "object" && root !== "params") return;
    let node = this.tree[root];
    for (const seg of rest) node = child(node, seg);
    if (node.type === "unknown") Object.assign(node, typeof value === "string" ? { type: "string", samples: [] } : { type: "number", samples: [] });
    if (node.type === "string" && typeof value === "string" && !node.samples.includes(value)) node.samples.push(value);
    if (node.type === "number" && typeof value === "number" && !node.samples.includes(value)) node.samples.push(value);
  }
}

function child(node: Shape, seg: Segment): Shape {
  if (seg === "[]") {
    if (node.type !== "array") Object.assign(clear(node), { type: "array", items: { type: "unknown" } });
    return (node as { items: Shape }).items;
  }
  if (seg === "{}") {
    if (node.type !== "map") Object.assign(clear(node), { type: "map", values: { type: "unknown" } });
    return (node as { values: Shape }).values;
  }
  if (node.type !== "object") Object.assign(clear(node), { type: "object", props: {} });
  const props = (node as { props: Record<string, Shape> }).props;
  return (props[seg] ??= { type: "unknown" });
}

function clear(node: Shape): Shape {
  for (const k of Object.keys(node)) delete (node as Record<string, unknown>)[k];
  return node;
}

/** Fills a leaf from its TypeScript type; containers get their kind from the paths below them. */
function refine(node: Shape, type: ts.Type, checker: ts.TypeChecker): void {
  const parts = type.isUnion() ? type.types : [type];
  const strings: string[] = [];
  let kind: Shape["type"] | undefined;
  for (const t of parts) {
    if (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) continue;
    if (t.isStringLiteral()) (strings.push(t.value), (kind = "string"));
    else if (t.flags & ts.TypeFlags.StringLike) kind = "string";
    else if (t.flags & ts.TypeFlags.NumberLike) kind = "number";
    else if (t.flags & ts.TypeFlags.BooleanLike) kind = "boolean";
    else if (checker.isArrayType(t)) kind ??= "array";
    else if (t.flags & ts.TypeFlags.Object) kind ??= checker.getIndexInfosOfType(t).length > 0 && t.getProperties().length === 0 ? "map" : "object";
  }
  if (node.type === "unknown" && kind) {
    if (kind === "string") Object.assign(node, { type: "string", samples: strings });
    else if (kind === "number") Object.assign(node, { type: "number", samples: [] });
    else if (kind === "boolean") Object.assign(node, { type: "boolean" });
    else if (kind === "array") {
      Object.assign(node, { type: "array", items: { type: "unknown" } });
      const el = parts.map((t) => (checker.isArrayType(t) ? checker.getTypeArguments(t as ts.TypeReference)[0] : undefined)).find((t) => t);
      if (el) refine((node as unknown as { items: Shape }).items, el, checker);
    }
    else if (kind === "map") Object.assign(node, { type: "map", values: { type: "unknown" } });
    else Object.assign(node, { type: "object", props: {} });
  } else if (node.type === "array" && kind === "array") {
    const el = parts.map((t) => (checker.isArrayType(t) ? checker.getTypeArguments(t as ts.TypeReference)[0] : undefined)).find((t) => t);
    if (el) refine(node.items, el, checker);
  } else if (node.type === "string") {
    for (const s of strings) if (!node.samples.includes(s)) node.samples.push(s);
  }
}

/** Fills what `dst` does not know yet from `src`. */
function merge(dst: Shape, src: Shape): void {
  if (dst.type === "unknown") {
    Object.assign(dst, structuredClone(src));
    return;
  }
  if (dst.type === "object" && src.type === "object") {
    for (const [k, v] of Object.entries(src.props)) merge((dst.props[k] ??= { type: "unknown" }), v);
    for (const k of src.required ?? []) if (!(dst.required ?? []).includes(k)) (dst.required ??= []).push(k);
  } else if (dst.type === "array" && src.type === "array") merge(dst.items, src.items);
  else if (dst.type === "map" && src.type === "map") merge(dst.values, src.values);
  else if (dst.type === "string" && src.type === "string") for (const x of src.samples) if (!dst.samples.includes(x)) dst.samples.push(x);
}
