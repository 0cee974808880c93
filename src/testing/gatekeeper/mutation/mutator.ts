/**
 * One Gatekeeper mutator (Assign, AssignMetadata, ModifySet, AssignImage) read from its object and
 * ready to apply. Reading enforces what Gatekeeper's webhook enforces (the location grammar, no
 * `metadata` outside AssignMetadata, key fields left alone, path tests that are prefixes and agree,
 * AssignImage parts that converge: `validateMutationSemantics`, shared with `policyc build`) and
 * what its mutator constructors add (one value source, string values for metadata, a known
 * ModifySet operation). Applying follows the mutator's kind:
 *   - Assign sets the value at the location (`value`, or `fromMetadata` name/namespace of the object);
 *   - AssignMetadata adds a label or annotation only when it does not exist yet;
 *   - ModifySet merges values missing from a list (appended) or prunes them (order kept);
 *   - AssignImage replaces the domain, path or tag of the image string at the location.
 * `externalData` needs a provider, which policyc cannot call: such a mutation fails with a
 * MutationError naming the provider.
 */
import { diag, type Diagnostic, type Span } from "../../../diagnostics/index.js";
import { parseLocation, type LocationNode } from "../../../api/mutations/location.js";
import { validateMutationSemantics } from "../../../api/mutations/validate.js";
import { readApplyTo, type ApplyTo } from "../apply-to.js";
import { PC42 } from "../diagnostics.js";
import { jsonClone, jsonEqual } from "../json-values.js";
import type { Match } from "../match.js";
import { gvkOf, isObject, nameOf, namespaceOf, type KubeObject } from "../objects.js";
import { assignImage } from "./image.js";
import { mutateAt, MutationError, PathTester, type Applied, type Condition, type Setter } from "./path.js";

export type MutatorKind = "Assign" | "AssignMetadata" | "ModifySet" | "AssignImage";

export interface Mutator {
  kind: MutatorKind;
  name: string;
  /** `Kind/name`, how results and errors name the mutator. */
  id: string;
  /** Absent for AssignMetadata, which applies to every kind its `match` selects. */
  applyTo?: ApplyTo[];
  match?: Match;
  location: string;
  nodes: LocationNode[];
  /** Applies the mutation to `obj` in place. */
  apply(obj: KubeObject): Applied;
}

const KINDS: readonly MutatorKind[] = ["Assign", "AssignMetadata", "ModifySet", "AssignImage"];

function get(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const p of path) cur = isObject(cur) ? cur[p] : undefined;
  return cur;
}

/** The value an Assign or AssignMetadata writes, resolved against the object being mutated. */
function valueSource(assign: Record<string, unknown>, id: string): { problem: string } | { value: (obj: KubeObject) => unknown } {
  const present = ["value", "fromMetadata", "externalData"].filter((k) => assign[k] !== undefined && assign[k] !== null);
  if (present.length !== 1) return { problem: "parameters.assign must set exactly one of `value`, `fromMetadata`, `externalData`" };
  if (present[0] === "value") {
    const v = assign.value;
    return { value: () => jsonClone(v) };
  }
  if (present[0] === "fromMetadata") {
    const field = get(assign, "fromMetadata", "field");
    if (field === "name") return { value: (obj) => nameOf(obj) };
    if (field === "namespace") return { value: (obj) => namespaceOf(obj) };
    return { problem: `parameters.assign.fromMetadata.field must be \`name\` or \`namespace\`, got ${JSON.stringify(field ?? "")}` };
  }
  const provider = String(get(assign, "externalData", "provider") ?? "");
  return {
    value: () => {
      throw new MutationError(`${id} takes its value from external data provider '${provider}', which policyc cannot call offline`);
    },
  };
}

function pathTester(kind: MutatorKind, nodes: LocationNode[], tests: unknown): PathTester | string {
  const byDepth = new Map<number, Condition>();
  if (kind === "AssignMetadata") {
    // AssignMetadata never overwrites: the label or annotation must not exist yet.
    byDepth.set(nodes.length - 1, "MustNotExist");
    return new PathTester(byDepth);
  }
  for (const t of Array.isArray(tests) ? tests : []) {
    if (!isObject(t) || typeof t.subPath !== "string") return "every pathTests entry needs a `subPath`";
    if (t.condition !== "MustExist" && t.condition !== "MustNotExist") return `pathTests condition ${JSON.stringify(t.condition ?? "")} is not MustExist or MustNotExist`;
    // Prefix and conflict rules were checked by validateMutationSemantics; the depth is the subPath's last node.
    byDepth.set(parseLocation(t.subPath).length - 1, t.condition);
  }
  return new PathTester(byDepth);
}

function setterFor(kind: MutatorKind, spec: Record<string, unknown>, id: string): { problem: string } | { setter: (obj: KubeObject) => Setter } {
  const params = isObject(spec.parameters) ? spec.parameters : {};
  if (kind === "Assign" || kind === "AssignMetadata") {
    const assign = isObject(params.assign) ? params.assign : undefined;
    if (!assign) return { problem: "parameters.assign is required" };
    const src = valueSource(assign, id);
    if ("problem" in src) return src;
    if (kind === "AssignMetadata" && assign.value !== undefined && typeof assign.value !== "string") return { problem: "parameters.assign.value must be a string" };
    return {
      setter: (obj) => ({
        set(o, key) {
          o[key] = src.value(obj);
        },
        ...(kind === "Assign"
          ? {
              listElement() {
                const v = src.value(obj);
                if (!isObject(v)) throw new MutationError(`${id}: the value assigned to a list element must be an object`);
                return v;
              },
            }
          : {}),
      }),
    };
  }
  if (kind === "ModifySet") {
    const op = params.operation ?? "merge";
    if (op !== "merge" && op !== "prune") return { problem: `parameters.operation ${JSON.stringify(op)} is not \`merge\` or \`prune\`` };
    const fromList = get(params, "values", "fromList");
    const values = Array.isArray(fromList) ? fromList : [];
    return {
      setter: () => ({
        set(o, key) {
          const has = Object.prototype.hasOwnProperty.call(o, key);
          if (!has) {
            if (op === "merge") o[key] = jsonClone(values);
            return;
          }
          const cur = o[key];
          if (!Array.isArray(cur)) throw new MutationError(`${id}: the value at its location is not a list, so it cannot be treated as a set`);
          if (op === "merge") {
            const out = [...cur];
            for (const v of values) if (!out.some((x) => jsonEqual(x, v))) out.push(jsonClone(v));
            o[key] = out;
          } else o[key] = cur.filter((x) => !values.some((v) => jsonEqual(x, v)));
        },
      }),
    };
  }
  const parts = {
    domain: typeof params.assignDomain === "string" ? params.assignDomain : "",
    path: typeof params.assignPath === "string" ? params.assignPath : "",
    tag: typeof params.assignTag === "string" ? params.assignTag : "",
  };
  return {
    setter: () => ({
      set(o, key) {
        const has = Object.prototype.hasOwnProperty.call(o, key);
        const cur = has ? o[key] : "";
        if (typeof cur !== "string") throw new MutationError(`${id}: the value at its location is not a string image reference`);
        o[key] = assignImage(cur, parts);
      },
    }),
  };
}

export interface ReadMutator {
  mutator?: Mutator;
  diagnostics: Diagnostic[];
}

/** Reads one mutator object; a mutator Gatekeeper would refuse comes back as diagnostics only. */
export function readMutator(object: KubeObject, origin?: Span): ReadMutator {
  const kind = gvkOf(object).kind as MutatorKind;
  const name = nameOf(object);
  const id = `${kind}/${name}`;
  const diagnostics: Diagnostic[] = [];
  const reject = (problem: string, notes?: string[]): ReadMutator => ({ diagnostics: [...diagnostics, diag(PC42.mutatorRejected, [kind, name, problem], origin, notes)] });
  if (!KINDS.includes(kind)) return reject(`${kind} is not a mutator kind`);
  if (name === "") return reject("metadata.name is required");
  if (name.length > 63) return reject("the name is longer than 63 characters");
  const spec = isObject(object.spec) ? object.spec : {};

  const semantic = validateMutationSemantics(object as never, () => origin).filter((d) => d.severity === "error");
  if (semantic.length > 0) return reject(semantic.map((d) => d.message).join("; "), semantic.length > 1 ? semantic.map((d) => `${d.code}: ${d.message}`) : [semantic[0]!.code]);
  if (typeof spec.location !== "string" || spec.location === "") return reject("spec.location is required");
  const nodes = parseLocation(spec.location);

  const params = isObject(spec.parameters) ? spec.parameters : {};
  if (kind === "Assign" && params.assignIf !== undefined) diagnostics.push(diag(PC42.assignIfRemoved, [kind, name], origin));
  const provider = get(params, "assign", "externalData", "provider");
  if (provider !== undefined) diagnostics.push(diag(PC42.externalData, [kind, name, String(provider)], origin));

  const tester = pathTester(kind, nodes, params.pathTests);
  if (typeof tester === "string") return reject(tester);
  const made = setterFor(kind, spec, id);
  if ("problem" in made) return reject(made.problem);

  const mutator: Mutator = {
    kind,
    name,
    id,
    location: spec.location,
    nodes,
    apply: (obj) => mutateAt(obj, nodes, tester, made.setter(obj)),
  };
  if (kind !== "AssignMetadata") mutator.applyTo = readApplyTo(spec.applyTo);
  if (isObject(spec.match)) mutator.match = spec.match as Match;
  return { mutator, diagnostics };
}
