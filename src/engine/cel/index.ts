/**
 * policyc's CEL engine: parses and plans an expression once (on @bufbuild/cel, in an environment
 * with the Kubernetes CEL libraries), then evaluates it against JSON bindings. Errors are values,
 * never exceptions: a parse error is a `CelCompileError`, an evaluation error a `{ error }` result.
 */
import { celEnv, isCelError, plan, type CelInput, type CelValue } from "@bufbuild/cel";
import { kubernetesLibrary } from "./library.js";
import { kubernetesTypes } from "./kubernetes-types.js";
import { celReferences, type CelReferences } from "./references.js";
import { parseCelForPlan } from "./parse.js";

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

/** Parses and plans `source`; throws `CelCompileError` when it does not parse. */
export function compileCel(source: string): CelProgram {
  let run: (ctx: Record<string, CelInput>) => CelValue | Error;
  let references: CelReferences;
  try {
    const parsed = parseCelForPlan(source);
    run = plan(env, parsed) as typeof run;
    references = parsed.expr ? celReferences(parsed.expr) : { idents: new Set(), variables: new Set() };
  } catch (e) {
    throw new CelCompileError(source, (e as Error).message ?? String(e));
  }
  return {
    source,
    references,
    eval(bindings) {
      // CEL errors are values (Error objects) made and dropped in the normal course of evaluation
      // (`has()`, `||` over an error): capturing a stack trace for each would cost more than the rest.
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
