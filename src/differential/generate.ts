/**
 * fast-check generators for differential tests: reviewed objects built from the check's own test
 * objects with the fields the body reads (its recorded `Shape`, typed by kubernetes-types) replaced
 * by random values, and parameters from the check's OpenAPI schema or its test cases. Strings are
 * drawn from a pool of the literals the check and its tests mention (plus random suffixes), so
 * comparisons such as `image.startsWith(repo)` take both branches.
 */
import fc from "fast-check";
import type { JsonSchema } from "../ir/schema.js";
import type { CheckShapes, Shape } from "../transpile/shape.js";

/** Where each kind keeps its pod spec (the Rego `pod_spec` function and `podSpecOf` agree on these). */
const POD_SPEC_PATH: Record<string, { apiVersion: string; path: string[] }> = {
  Pod: { apiVersion: "v1", path: ["spec"] },
  Deployment: { apiVersion: "apps/v1", path: ["spec", "template", "spec"] },
  StatefulSet: { apiVersion: "apps/v1", path: ["spec", "template", "spec"] },
  DaemonSet: { apiVersion: "apps/v1", path: ["spec", "template", "spec"] },
  Job: { apiVersion: "batch/v1", path: ["spec", "template", "spec"] },
  CronJob: { apiVersion: "batch/v1", path: ["spec", "jobTemplate", "spec", "template", "spec"] },
};

export interface GeneratorInput {
  shapes: CheckShapes;
  parameters: JsonSchema;
  /** The check's test objects and parameters (seeds). */
  objects: unknown[];
  params: unknown[];
}

export interface Generated {
  object: Record<string, unknown>;
  params: Record<string, unknown>;
}

/** Every string in a JSON value, and the samples a shape records. */
function stringsOf(value: unknown, out: Set<string>): void {
  if (typeof value === "string") out.add(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsOf(v, out));
  else if (value && typeof value === "object") Object.entries(value).forEach(([k, v]) => (out.add(k), stringsOf(v, out)));
}

function samplesOf(shape: Shape, out: Set<string>, nums: Set<number>): void {
  switch (shape.type) {
    case "object":
      Object.entries(shape.props).forEach(([k, s]) => (out.add(k), samplesOf(s, out, nums)));
      break;
    case "array":
      samplesOf(shape.items, out, nums);
      break;
    case "map":
      samplesOf(shape.values, out, nums);
      break;
    case "string":
      shape.samples.forEach((s) => out.add(s));
      break;
    case "number":
      shape.samples.forEach((n) => nums.add(n));
      break;
    default:
      break;
  }
}

export function inputArbitrary(g: GeneratorInput): fc.Arbitrary<Generated> {
  const pool = new Set<string>(["", "a", "x-1"]);
  const nums = new Set<number>([0, 1, -1, 80, 65535]);
  samplesOf(g.shapes.object, pool, nums);
  samplesOf(g.shapes.params, pool, nums);
  g.objects.forEach((o) => stringsOf(o, pool));
  g.params.forEach((o) => stringsOf(o, pool));
  const poolList = [...pool].sort();
  const str: fc.Arbitrary<string> = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...poolList) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...poolList), fc.constantFrom("/", ":", "-", ".", ""), fc.string({ maxLength: 4 })).map(([a, s, b]) => a + s + b) },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  );
  const num: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(...[...nums].sort((a, b) => a - b)), fc.integer({ min: -5, max: 70000 }));
  const leaves = { str, num };

  const seeds = g.objects.filter((o): o is Record<string, unknown> => !!o && typeof o === "object" && !Array.isArray(o));
  if (seeds.length === 0) seeds.push({ apiVersion: "v1", kind: "Pod", metadata: { name: "generated" } });
  const objectShape = g.shapes.object.type === "object" ? g.shapes.object : { type: "object" as const, props: {} };
  const podSpecShape = g.shapes.podSpec ? objectShape.props.spec : undefined;
  const restShape: Shape = { ...objectShape, props: Object.fromEntries(Object.entries(objectShape.props).filter(([k]) => !(podSpecShape && k === "spec"))) };

  const kinds = Object.keys(POD_SPEC_PATH);
  const object = fc
    .record({
      seed: fc.constantFrom(...seeds),
      // Objects keep the seed's fields where the generated shape says nothing.
      rest: fromShape(restShape, leaves, 0),
      podSpec: podSpecShape ? fromShape(podSpecShape, leaves, 0) : fc.constant(undefined),
      kind: podSpecShape ? fc.constantFrom(...kinds) : fc.constant(undefined),
      keepSeed: fc.boolean(),
    })
    .map(({ seed, rest, podSpec, kind, keepSeed }) => {
      const out = structuredClone(seed);
      if (!keepSeed) merge(out, rest as Record<string, unknown>);
      if (podSpec !== undefined && kind !== undefined && !keepSeed) {
        const where = POD_SPEC_PATH[kind]!;
        const current = POD_SPEC_PATH[String(out.kind)] ? getPath(out, POD_SPEC_PATH[String(out.kind)]!.path) : undefined;
        if (out.kind !== kind) delete out.spec;
        out.kind = kind;
        out.apiVersion = where.apiVersion;
        setPath(out, where.path, merge(structuredClone((current as Record<string, unknown>) ?? {}), podSpec as Record<string, unknown>));
      }
      return out;
    });

  const paramSeeds = g.params.filter((p): p is Record<string, unknown> => !!p && typeof p === "object");
  const fromSchema = schemaArbitrary(g.parameters, leaves, g.shapes.params, 0) as fc.Arbitrary<Record<string, unknown>>;
  const params = paramSeeds.length > 0 ? fc.oneof(fc.constantFrom(...paramSeeds), fromSchema) : fromSchema;
  return fc.record({ object, params });
}

interface Leaves {
  str: fc.Arbitrary<string>;
  num: fc.Arbitrary<number>;
}

function fromShape(shape: Shape, leaves: Leaves, depth: number): fc.Arbitrary<unknown> {
  switch (shape.type) {
    case "object": {
      const keys = Object.keys(shape.props);
      const rec: Record<string, fc.Arbitrary<unknown>> = {};
      for (const k of keys) rec[k] = fromShape(shape.props[k]!, leaves, depth + 1);
      return fc.record(rec, { requiredKeys: (shape.required ?? []).filter((k) => keys.includes(k)) });
    }
    case "array":
      return fc.array(fromShape(shape.items, leaves, depth + 1), { maxLength: depth > 4 ? 1 : 3 });
    case "map":
      return fc.dictionary(leaves.str, fromShape(shape.values, leaves, depth + 1), { maxKeys: 3 });
    case "string":
      return shape.samples.length > 0 ? fc.oneof(fc.constantFrom(...shape.samples), leaves.str) : leaves.str;
    case "number":
      return shape.samples.length > 0 ? fc.oneof(fc.constantFrom(...shape.samples), leaves.num) : leaves.num;
    case "boolean":
      return fc.boolean();
    default:
      return fc.oneof(leaves.str, leaves.num, fc.boolean());
  }
}

/** Parameters from the OpenAPI schema; the shape fills in what the schema leaves open. */
function schemaArbitrary(schema: JsonSchema, leaves: Leaves, shape: Shape, depth: number): fc.Arbitrary<unknown> {
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...(s.enum as unknown[]));
  switch (s.type) {
    case "object": {
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      const rec: Record<string, fc.Arbitrary<unknown>> = {};
      const sub = shape.type === "object" ? shape.props : {};
      for (const [k, v] of Object.entries(props)) rec[k] = schemaArbitrary(v, leaves, sub[k] ?? { type: "unknown" }, depth + 1);
      if (Object.keys(props).length === 0 && s.additionalProperties && typeof s.additionalProperties === "object") {
        return fc.dictionary(leaves.str, schemaArbitrary(s.additionalProperties as JsonSchema, leaves, shape.type === "map" ? shape.values : { type: "unknown" }, depth + 1), { maxKeys: 3 });
      }
      const required = Array.isArray(s.required) ? (s.required as string[]).filter((k) => k in rec) : [];
      return fc.record(rec, { requiredKeys: required });
    }
    case "array":
      return fc.array(schemaArbitrary((s.items ?? {}) as JsonSchema, leaves, shape.type === "array" ? shape.items : { type: "unknown" }, depth + 1), { maxLength: 3 });
    case "string":
      return leaves.str;
    case "integer": {
      const min = typeof s.minimum === "number" ? s.minimum : -5;
      const max = typeof s.maximum === "number" ? s.maximum : 70000;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
    }
    case "number":
      return leaves.num;
    case "boolean":
      return fc.boolean();
    default:
      return fromShape(shape, leaves, depth);
  }
}

function merge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(patch)) {
    const cur = target[k];
    if (v && typeof v === "object" && !Array.isArray(v) && cur && typeof cur === "object" && !Array.isArray(cur)) merge(cur as Record<string, unknown>, v as Record<string, unknown>);
    else target[k] = structuredClone(v);
  }
  return target;
}

function getPath(o: unknown, path: string[]): unknown {
  let cur = o;
  for (const k of path) cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

function setPath(o: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = o;
  for (const k of path.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== "object") cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}
