/**
 * Built-ins written in JavaScript spend the evaluating module's budget: they charge its fuel global
 * (`policyc_fuel`, the same counter generated code decrements) for work proportional to what they
 * build, and refuse results that cannot fit in its memory limit, so `bits.lsh(1, 1000000000)` or
 * printing a 100-million-bit integer ends with a limit error at once instead of computing for
 * minutes. `useBudget` is called by the loader before each evaluation.
 */

/** Thrown by built-ins that must stop evaluation (never turned into undefined). */
export class HostHalt extends Error {}

/** The module's exported `policyc_fuel` global. */
export type FuelGlobal = { value: number };

let fuel: FuelGlobal | undefined;
let memoryBytes = Infinity;

export function useBudget(global: FuelGlobal | undefined, limitBytes: number): void {
  fuel = global;
  memoryBytes = limitBytes;
}

/** A limit reached inside a built-in; the loader reports it with the module's error codes. */
export class LimitHalt extends HostHalt {
  constructor(
    readonly code: "eval_budget_exceeded" | "eval_memory_limit",
    message: string,
  ) {
    super(message);
  }
}

/** Spends `units` of the evaluation budget (one unit ≈ one loop iteration of generated code). */
export function charge(units: number, what: string): void {
  if (!fuel) return;
  const left = fuel.value - Math.ceil(units);
  if (left <= 0) {
    fuel.value = 0;
    throw new LimitHalt("eval_budget_exceeded", `policyc: evaluation budget exceeded (${what})`);
  }
  fuel.value = left;
}

/** Fails when a result of `bytes` cannot fit in the module's memory. */
export function reserve(bytes: number, what: string): void {
  if (bytes > memoryBytes) throw new LimitHalt("eval_memory_limit", `policyc: memory limit exceeded (${what} needs ${Math.ceil(bytes / 1048576)} MiB)`);
}

/** Bits of |b|, without building a string of its digits for small values. */
export function bitLength(b: bigint): number {
  if (b < 0n) b = -b;
  if (b < 1n << 1024n) return b.toString(2).length;
  return b.toString(16).length * 4;
}

/**
 * What printing an integer of `bits` bits in decimal costs: V8's conversion is superlinear
 * (10^7 bits take ~1.7 s, 10^6 ~0.14 s on this class of machine); 16 units per bit matches it.
 */
export function chargeDecimal(bits: number): void {
  if (bits < 4096) return;
  reserve(bits * 0.30103, "the decimal text of a big integer");
  charge(bits * 16, `printing a ${bits}-bit integer`);
}
