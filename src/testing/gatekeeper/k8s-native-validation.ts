/**
 * Gatekeeper's K8sNativeValidation engine as a back end of the emulation: a template's CEL
 * `variables`, `matchConditions` and `validations`, evaluated by policyc's CEL engine the way
 * Gatekeeper's CEL driver does. The bindings are `object`, `oldObject`, `request` (the review),
 * `params` (the Constraint object when the run gives it, as Gatekeeper's driver and a
 * ValidatingAdmissionPolicy's `paramKind` bind it; else `{spec: {parameters}}`) and `namespaceObject`
 * (the object's Namespace when the run knows it, else null, as for cluster-scoped objects); Gatekeeper adds two variables ahead of the template's own: `variables.anyObject`
 * (`oldObject` on a DELETE without `object`, else `object`) and `variables.params`
 * (`params.spec.parameters`, or null). Variables are evaluated in order, each seeing those before
 * it; one that fails is left out, so only expressions that use it fail. A validation that is false
 * is a violation whose message is its `messageExpression` (when that yields a non-blank one-line
 * string), else its `message`, else `failed expression: <expression>`; a validation that fails to
 * evaluate or is not a bool is a violation carrying the error. The answer has the shape Rego's
 * `violation` set has, so `reviewWith` reads both alike.
 */
import { compileCel, CelCompileError, fromCel, inCelContext, SlottedMap, toCel, type CelOutcome, type CelProgram } from "../../engine/cel/index.js";
import { isCelMap, type CelInput, type CelMap, type CelValue } from "@bufbuild/cel";
import type { EvaluationContext, PreparedPolicy } from "./backend.js";
import { isObject } from "./objects.js";

export const K8S_NATIVE_VALIDATION = "K8sNativeValidation";

interface Variable {
  name: string;
  program: CelProgram;
}

interface Validation {
  program: CelProgram;
  message?: string;
  messageExpression?: CelProgram;
}

interface CelPolicy {
  variables: Variable[];
  matchConditions: { name: string; program: CelProgram }[];
  validations: Validation[];
  /** The indices of the variables of each name, in order. */
  indices: Map<string, number[]>;
  /** Each name's slot: its position in `slotIndices` (the same indices, for `SlottedMap`). */
  slots: Map<string, number>;
  slotIndices: number[][];
  /** Per variable: it reads only `params` and parameter-only variables before it (same outcome for every review of a constraint). */
  paramsOnly: boolean[];
  /** The parameter-only variables' outcomes, by the `params` binding's value. */
  byParameters: WeakMap<object, LazyVariables>;
}

/** A problem in the CEL source; `path` names the field (e.g. `validations[0].expression`). */
export class CelSourceError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/** Gatekeeper's own variables, defined before the template's. */
const builtinVariables: [string, string][] = [
  ["anyObject", `has(request.operation) && request.operation == "DELETE" && object == null ? oldObject : object`],
  ["params", `!has(params.spec) ? null : !has(params.spec.parameters) ? null : params.spec.parameters`],
];

function program(path: string, source: unknown): CelProgram {
  if (typeof source !== "string" || source.trim() === "") throw new CelSourceError(path, "expected a CEL expression (a non-empty string)");
  try {
    return compileCel(source);
  } catch (e) {
    if (e instanceof CelCompileError) throw new CelSourceError(path, e.message.split("\n")[0]!);
    throw e;
  }
}

function list(source: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const v = source[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new CelSourceError(key, "expected a list");
  return v.map((x, i) => {
    if (!isObject(x)) throw new CelSourceError(`${key}[${i}]`, "expected an object");
    return x;
  });
}

/** Reads and compiles a `K8sNativeValidation` source; throws CelSourceError on bad input. */
export function compileK8sNativeValidation(source: unknown): CelPolicy {
  if (!isObject(source)) throw new CelSourceError("source", "expected an object with variables and validations");
  const variables = [
    ...builtinVariables.map(([name, expr]) => ({ name, program: compileCel(expr) })),
    ...list(source, "variables").map((v, i) => {
      if (typeof v.name !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.name)) throw new CelSourceError(`variables[${i}].name`, "expected a CEL identifier");
      return { name: v.name, program: program(`variables[${i}].expression`, v.expression) };
    }),
  ];
  const matchConditions = list(source, "matchConditions").map((m, i) => ({
    name: String(m.name ?? `matchConditions[${i}]`),
    program: program(`matchConditions[${i}].expression`, m.expression),
  }));
  const validations = list(source, "validations").map((v, i) => {
    const out: Validation = { program: program(`validations[${i}].expression`, v.expression) };
    if (typeof v.message === "string") out.message = v.message;
    if (v.messageExpression !== undefined) out.messageExpression = program(`validations[${i}].messageExpression`, v.messageExpression);
    return out;
  });
  const indices = new Map<string, number[]>();
  variables.forEach((v, i) => indices.set(v.name, [...(indices.get(v.name) ?? []), i]));
  const paramsOnly: boolean[] = [];
  variables.forEach((v, i) => {
    const r = v.program.references;
    paramsOnly.push(
      [...r.idents].every((n) => n === "params" || n === "variables") &&
        r.variables !== "all" &&
        [...r.variables].every((n) => (indices.get(n) ?? []).every((j) => j >= i || paramsOnly[j])),
    );
  });
  const slots = new Map([...indices.keys()].map((name, i) => [name, i]));
  return { variables, matchConditions, validations, indices, slots, slotIndices: [...indices.values()], paramsOnly, byParameters: new WeakMap() };
}

/**
 * The `variables` binding, evaluated lazily as Kubernetes does (only those an expression reads),
 * with the outcome eager evaluation in order would give: each variable sees only those before it,
 * one that fails to evaluate is absent, and of two with one name the later one that succeeded
 * counts. It is a CEL map (it carries @bufbuild/cel's brand): read through `get` (`has`, selection)
 * or iterated (whole-map use).
 */
const CEL_MAP: unique symbol = Symbol.for("@bufbuild/cel/map") as never;

class LazyVariables extends SlottedMap {
  readonly [CEL_MAP] = {};
  private readonly outcomes: (CelOutcome | undefined)[] = [];
  /** Variables from this index on are not (yet) defined for the expression being evaluated. */
  private limit: number;

  constructor(
    private readonly policy: CelPolicy,
    private readonly bindings: Record<string, CelInput>,
    /** Where the parameter-only variables' outcomes come from (the constraint's shared ones). */
    private readonly shared?: LazyVariables,
  ) {
    super();
    this.limit = policy.variables.length;
  }

  get layout(): object {
    return this.policy;
  }

  slotOf(name: string): number {
    return this.policy.slots.get(name) ?? -1;
  }

  outcome(i: number): CelOutcome {
    let o = this.outcomes[i];
    if (o === undefined) {
      if (this.shared && this.policy.paramsOnly[i]) o = this.shared.outcome(i);
      else {
        const saved = this.limit;
        this.limit = i;
        try {
          o = this.policy.variables[i]!.program.eval(this.bindings);
        } finally {
          this.limit = saved;
        }
      }
      this.outcomes[i] = o;
    }
    return o;
  }

  get(name: unknown): CelValue | undefined {
    return typeof name === "string" ? this.getSlot(this.slotOf(name)) : undefined;
  }

  getSlot(slot: number): CelValue | undefined {
    const idx = this.policy.slotIndices[slot];
    if (!idx) return undefined;
    if (idx.length === 1) {
      const i = idx[0]!;
      if (i >= this.limit) return undefined;
      const o = this.outcomes[i] ?? this.outcome(i);
      return "value" in o ? o.value : undefined;
    }
    for (let k = idx.length - 1; k >= 0; k--) {
      const i = idx[k]!;
      if (i >= this.limit) continue;
      const o = this.outcome(i);
      if ("value" in o) return o.value;
    }
    return undefined;
  }

  has(name: unknown): boolean {
    return this.get(name) !== undefined;
  }

  /** The map eager evaluation would have built by now. */
  private defined(): Map<string, CelValue> {
    const m = new Map<string, CelValue>();
    for (let i = 0; i < this.limit; i++) {
      const o = this.outcome(i);
      if ("value" in o) m.set(this.policy.variables[i]!.name, o.value);
    }
    return m;
  }

  get size(): number {
    return this.defined().size;
  }
  keys(): MapIterator<string> {
    return this.defined().keys();
  }
  values(): MapIterator<CelValue> {
    return this.defined().values();
  }
  entries(): MapIterator<[string, CelValue]> {
    return this.defined().entries();
  }
  [Symbol.iterator](): MapIterator<[string, CelValue]> {
    return this.entries();
  }
  forEach(f: (value: CelValue, key: string, map: CelMap) => void, thisArg?: unknown): void {
    this.defined().forEach((v, k) => f.call(thisArg, v, k, this.asCel()));
  }
  asCel(): CelMap {
    return this as unknown as CelMap;
  }
}

/** A usable message: a non-blank string on one line (otherwise Kubernetes falls back to `message`). */
function usableMessage(v: unknown): v is string {
  return typeof v === "string" && v.trim() !== "" && !/[\r\n]/.test(v);
}

interface Result {
  msg: string;
  details: Record<string, never>;
}

/*
 * A review is judged by every constraint that matches it, and a constraint's parameters and a
 * Namespace serve many reviews: each is converted to CEL values once (they are not changed while
 * they are reviewed).
 */
const reviewCache = new WeakMap<object, { object: CelInput; oldObject: CelInput; request: CelInput }>();
const paramsCache = new WeakMap<object, CelInput>();
const namespaceCache = new WeakMap<object, CelInput>();

function reviewBindings(review: Record<string, unknown>): { object: CelInput; oldObject: CelInput; request: CelInput } {
  let b = reviewCache.get(review);
  if (!b) {
    const request = toCel(review);
    const get = (k: string) => (isCelMap(request) ? ((request.get(k) as CelInput | undefined) ?? null) : null);
    b = { object: get("object"), oldObject: get("oldObject"), request };
    reviewCache.set(review, b);
  }
  return b;
}

function cached(cache: WeakMap<object, CelInput>, key: unknown, make: () => CelInput): CelInput {
  if (typeof key !== "object" || key === null) return make();
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    cache.set(key, v);
  }
  return v;
}

/** Evaluates a compiled policy for one review; answers like Rego's `violation` set. */
export function evaluateK8sNativeValidation(policy: CelPolicy, input: unknown, context: EvaluationContext = {}): Result[] {
  return inCelContext(evaluateInContext, { policy, input, context });
}

function evaluateInContext({ policy, input, context }: { policy: CelPolicy; input: unknown; context: EvaluationContext }): Result[] {
  const review = isObject(input) && isObject(input.review) ? input.review : {};
  const parameters = isObject(input) ? input.parameters : undefined;
  const r = reviewBindings(review);
  const bindings: Record<string, CelInput> = {
    object: r.object,
    oldObject: r.oldObject,
    request: r.request,
    params:
      context.constraint !== undefined
        ? cached(paramsCache, context.constraint, () => toCel(context.constraint))
        : cached(paramsCache, parameters, () => toCel(parameters === undefined ? {} : { spec: { parameters } })),
    namespaceObject: cached(namespaceCache, context.namespaceObject, () => toCel(context.namespaceObject ?? null)),
  };
  // Variables that read only the parameters are evaluated once per constraint (in bindings of the
  // parameters alone); the others once per review, when first read.
  // (The `params` value is cached by what it is made from, so it stands for the constraint.)
  const params = bindings.params;
  let shared = typeof params === "object" && params !== null ? policy.byParameters.get(params) : undefined;
  if (!shared && typeof params === "object" && params !== null) {
    const only: Record<string, CelInput> = { params };
    shared = new LazyVariables(policy, only);
    only.variables = shared.asCel();
    policy.byParameters.set(params, shared);
  }
  bindings.variables = new LazyVariables(policy, bindings, shared).asCel();
  for (const m of policy.matchConditions) {
    const r = m.program.eval(bindings);
    if ("error" in r) return [{ msg: `matchCondition ${m.name}: ${r.error}`, details: {} }];
    if (r.value === false) return [];
  }
  const out: Result[] = [];
  for (const v of policy.validations) {
    const r = v.program.eval(bindings);
    if ("error" in r) {
      out.push({ msg: `${v.program.source.trim()}: ${r.error}`, details: {} });
      continue;
    }
    if (typeof r.value !== "boolean") {
      out.push({ msg: `${v.program.source.trim()}: validation expression must evaluate to a bool`, details: {} });
      continue;
    }
    if (r.value) continue;
    let msg: string | undefined;
    if (v.messageExpression) {
      const m = v.messageExpression.eval(bindings);
      const text = "value" in m ? fromCel(m.value) : undefined;
      if (usableMessage(text)) msg = text;
    }
    msg ??= v.message ?? `failed expression: ${v.program.source.trim()}`;
    out.push({ msg, details: {} });
  }
  return out;
}

/** The CEL source as a prepared policy behind the same seam as the Rego back ends. */
export function prepareK8sNativeValidation(source: unknown): PreparedPolicy {
  const policy = compileK8sNativeValidation(source);
  return {
    evaluate(input, _data, _externalData, context) {
      return Promise.resolve(evaluateK8sNativeValidation(policy, input, context));
    },
    evaluateSync(input, _data, _externalData, context) {
      return evaluateK8sNativeValidation(policy, input, context);
    },
  };
}
