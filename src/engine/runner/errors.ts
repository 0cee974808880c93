/**
 * Evaluation errors with OPA-style codes. Aborts from the module arrive as thrown strings (the SDK's
 * `opa_abort` throws the message); engine traps and memory growth failures arrive as JS errors.
 */

import { LimitHalt, TimeoutHalt } from "../builtins/budget.js";

export type EvalErrorCode = "eval_conflict_error" | "eval_budget_exceeded" | "eval_memory_limit" | "eval_cancel_error" | "eval_internal_error";

export class EvalError extends Error {
  constructor(
    readonly code: EvalErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = "EvalError";
  }
}

/** An evaluation stopped at its deadline (`LoadOptions.timeoutMs`): OPA's `eval_cancel_error`. */
export class EvalTimeout extends EvalError {
  constructor(
    readonly timeoutMs: number,
    message: string,
  ) {
    super("eval_cancel_error", message);
  }
}

const conflictMarkers = [
  "var assignment conflict",
  "object insert conflict",
  "must not produce multiple outputs",
  "object keys must be unique",
];

export function toEvalError(thrown: unknown): EvalError {
  if (thrown instanceof EvalError) return thrown;
  if (thrown instanceof TimeoutHalt) return new EvalTimeout(thrown.timeoutMs, thrown.message);
  if (thrown instanceof LimitHalt) return new EvalError(thrown.code, thrown.message);
  if (typeof thrown === "string") return fromAbortMessage(thrown);
  if (thrown instanceof RangeError) {
    if (/call stack/i.test(thrown.message)) return new EvalError("eval_budget_exceeded", "recursion too deep (call stack exhausted)");
    if (/memory/i.test(thrown.message)) return new EvalError("eval_memory_limit", `memory limit exceeded (${thrown.message})`);
  }
  if (thrown instanceof Error) return new EvalError("eval_internal_error", thrown.message);
  if (thrown && typeof thrown === "object" && "message" in thrown) {
    return new EvalError("eval_internal_error", String((thrown as { message: unknown }).message));
  }
  return new EvalError("eval_internal_error", String(thrown));
}

function fromAbortMessage(message: string): EvalError {
  if (message.includes("evaluation budget exceeded")) return new EvalError("eval_budget_exceeded", message);
  if (message.includes("memory limit exceeded")) return new EvalError("eval_memory_limit", message);
  if (conflictMarkers.some((m) => message.includes(m))) return new EvalError("eval_conflict_error", message);
  return new EvalError("eval_internal_error", message);
}
