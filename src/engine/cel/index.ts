/**
 * policyc's CEL engine: parses an expression once and compiles it (compile.ts) for an environment
 * with the Kubernetes CEL libraries on @bufbuild/cel, then evaluates it against JSON bindings.
 * Errors are values, never exceptions: a parse error is a `CelCompileError`, an evaluation error a
 * `{ error }` result. `compileCelPlanned` evaluates with @bufbuild/cel's own planner instead: the
 * oracle the compiled evaluator is tested against.
 */
import { celEnv, celFunc, celList, celMap, CelScalar, isCelError, isCelList, isCelMap, isCelUint, isCelType, parse, plan, type CelInput, type CelValue } from "@bufbuild/cel";
import { kubernetesLibrary } from "./library.js";
import { kubernetesTypes } from "./kubernetes-types.js";
import { celReferences, type CelReferences } from "./references.js";
import { parseCelForPlan } from "./parse.js";
import { CelCompiler, type CompiledCel } from "./compile.js";
export { SlottedMap } from "./compile.js";

export { toCel, fromCel } from "./values.js";
export { kubernetesLibrary } from "./library.js";
export type { CelReferences } from "./references.js";

export type CelOutcome = { value: CelValue } | { error: string };

export interface CelProgram {
  readonly source: string;
  /** The bindings the expression reads. */
  readonly references: CelReferences;
  /** Evaluates with bindings already converted by `toCel`. */
  eval(bindings: Record<string, CelInput>): CelOutcome;
}

export class CelCompileError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(message);
  }
}

const env = celEnv({ funcs: [...kubernetesLibrary], registry: kubernetesTypes });

/** A binding given as a plain object, array or Map, as @bufbuild/cel's activation takes it. */
function bindingToCel(v: CelInput): CelValue {
  if (typeof v !== "object" || v === null || v instanceof Uint8Array || isCelMap(v) || isCelList(v) || isCelUint(v) || isCelType(v)) return v as CelValue;
  if (Array.isArray(v)) return celList(v);
  if (v instanceof Map) return celMap(v);
  if ((v as object).constructor === Object) return celMap(new Map(Object.entries(v)));
  return v as CelValue;
}

/*
 * @bufbuild/cel's functions that make or compare messages (quantities, IPs, optionals…) read the
 * registry from its evaluation context, which only its planned programs set. The compiled
 * evaluation runs inside one such program (a call of `policyc.run()`, in an environment of its own
 * with the same registry), entered once however deeply evaluations nest.
 */
let pendingFn: ((arg: never) => unknown) | undefined;
let pendingArg: unknown;
let result: unknown;
let thrown: { e: unknown } | undefined;
let depth = 0;
const runEnv = celEnv({
  funcs: [
    celFunc("policyc.run", [], CelScalar.BOOL, () => {
      try {
        result = pendingFn!(pendingArg as never);
      } catch (e) {
        thrown = { e };
      }
      return true;
    }),
  ],
  registry: kubernetesTypes,
});
const runner = plan(runEnv, parse("policyc.run()")) as unknown as (ctx: Record<string, CelInput>) => unknown;

/**
 * `f(arg)` with CEL's evaluation context set and error values made without stack traces (CEL
 * errors are values made and dropped in the normal course of evaluation — `has()`, `||` over an
 * error — and capturing a stack for each would cost more than the rest). Nested calls run directly.
 */
export function inCelContext<A, T>(f: (arg: A) => T, arg: A): T {
  if (depth > 0) return f(arg);
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  depth++;
  try {
    pendingFn = f as (arg: never) => unknown;
    pendingArg = arg;
    thrown = undefined;
    const r = runner({});
    if (thrown) throw (thrown as { e: unknown }).e;
    if (isCelError(r)) throw r;
    return result as T;
  } finally {
    depth--;
    pendingFn = undefined;
    pendingArg = undefined;
    result = undefined;
    Error.stackTraceLimit = limit;
  }
}

function evaluate(compiled: CompiledCel, bindings: Record<string, CelInput>): CelOutcome {
  try {
    const r = compiled.run(bindings);
    return r instanceof Error ? { error: r.message } : { value: r };
  } catch (e) {
    return { error: (e as Error).message ?? String(e) };
  }
}

function parsed(source: string): { expr: NonNullable<ReturnType<typeof parseCelForPlan>["expr"]>; references: CelReferences } {
  try {
    const p = parseCelForPlan(source);
    if (!p.expr) throw new Error("empty expression");
    return { expr: p.expr, references: celReferences(p.expr) };
  } catch (e) {
    throw new CelCompileError(source, (e as Error).message ?? String(e));
  }
}

/** Parses and compiles `source`; throws `CelCompileError` when it does not parse. */
export function compileCel(source: string): CelProgram {
  const { expr, references } = parsed(source);
  let compiled: CompiledCel;
  try {
    compiled = new CelCompiler(env, bindingToCel).compile(expr);
  } catch (e) {
    throw new CelCompileError(source, (e as Error).message ?? String(e));
  }
  return {
    source,
    references,
    eval(bindings) {
      return depth > 0 ? evaluate(compiled, bindings) : inCelContext((b) => evaluate(compiled, b), bindings);
    },
  };
}

/** `compileCel` on @bufbuild/cel's planner: the reference the compiled evaluator is tested against. */
export function compileCelPlanned(source: string): CelProgram {
  const { expr, references } = parsed(source);
  let run: (ctx: Record<string, CelInput>) => CelValue | Error;
  try {
    run = plan(env, expr) as typeof run;
  } catch (e) {
    throw new CelCompileError(source, (e as Error).message ?? String(e));
  }
  return {
    source,
    references,
    eval(bindings) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        const r = run(bindings);
        return isCelError(r) ? { error: r.message } : { value: r as CelValue };
      } catch (e) {
        return { error: (e as Error).message ?? String(e) };
      } finally {
        Error.stackTraceLimit = limit;
      }
    },
  };
}
