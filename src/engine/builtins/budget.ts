/**
 * The evaluation budget, deadline and memory limit of the evaluating module, shared by generated
 * code and the built-ins written in JavaScript.
 *
 * Generated code decrements the module's fuel global (`policyc_fuel`) at every loop iteration and
 * function entry. When the module is loaded by policyc, the global holds a slice of the budget: when
 * the slice runs out the runtime calls the host built-in `policyc.tick` (`Meter.refill`), which adds
 * the slice to what was spent, checks the evaluation's deadline and refills the global or throws —
 * so a pure-Wasm loop is interrupted by `--timeout` within a slice. Built-ins written in JavaScript
 * charge the same meter for work proportional to what they build (`charge`), and refuse results that
 * cannot fit in the module's memory (`reserve`), so `bits.lsh(1, 1000000000)` or printing a
 * 100-million-bit integer ends with a limit error at once instead of computing for minutes.
 * `useBudget` is called by the loader before each evaluation.
 */
/** Thrown by built-ins that must stop evaluation (never turned into undefined). */
export class HostHalt extends Error {}

/** The module's exported `policyc_fuel` global. */
export type FuelGlobal = { value: number };

/** Fuel units the global holds at a time when the host tick is on (~1 ms of generated code). */
export const FUEL_SLICE = 1 << 17;

/**
 * One charge larger than what the time left could pay for at this many units per millisecond is a
 * timeout at once rather than after the work: charges are calibrated at ~10 ns per unit, and the
 * factor 4 keeps a fast machine from being stopped early.
 */
const UNITS_PER_MS = 400_000;

/** A limit reached inside a built-in; the loader reports it with the module's error codes. */
export class LimitHalt extends HostHalt {
  constructor(
    readonly code: "eval_budget_exceeded" | "eval_memory_limit" | "eval_cancel_error",
    message: string,
  ) {
    super(message);
  }
}

/** Evaluation past its deadline (OPA's `eval_cancel_error`). */
export class TimeoutHalt extends LimitHalt {
  constructor(readonly timeoutMs: number) {
    super("eval_cancel_error", `policyc: evaluation timed out after ${formatMs(timeoutMs)}`);
  }
}

/** `500ms`, `3s`, `1m30s`: how OPA prints a Go duration. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${+ms.toFixed(3)}ms`;
  const m = Math.floor(ms / 60000);
  const s = +((ms - m * 60000) / 1000).toFixed(3);
  return m > 0 ? `${m}m${s > 0 ? `${s}s` : ""}` : `${s}s`;
}

/**
 * The budget of one module's evaluations, sliced: `limit` units per evaluation, `timeoutMs` of wall
 * time per evaluation (none when undefined).
 */
export class Meter {
  private spent = 0;
  private sliceStart = 0;
  private deadline = Infinity;

  constructor(
    readonly global: FuelGlobal,
    readonly limit: number,
    /** Read when each evaluation begins; the module's owner may change it between evaluations. */
    public timeoutMs: number | undefined,
  ) {}

  /** Before an evaluation (the runtime resets the global to one slice when it starts). */
  begin(): void {
    this.spent = 0;
    this.sliceStart = Math.min(FUEL_SLICE, this.limit);
    this.deadline = this.timeoutMs === undefined ? Infinity : performance.now() + this.timeoutMs;
  }

  /** The global reached `left` (≤ 0): account for the slice, then refill or throw. */
  refill(left: number, what = "generated code"): void {
    this.spent += this.sliceStart - left;
    this.global.value = 0;
    if (performance.now() > this.deadline) throw new TimeoutHalt(this.timeoutMs!);
    const remaining = this.limit - this.spent;
    if (remaining <= 0) throw new LimitHalt("eval_budget_exceeded", `policyc: evaluation budget exceeded (${what})`);
    this.sliceStart = Math.min(FUEL_SLICE, remaining);
    this.global.value = this.sliceStart;
  }

  /** Whether `units` more could be paid for before the deadline. */
  affordable(units: number): boolean {
    return this.deadline === Infinity || units <= (this.deadline - performance.now()) * UNITS_PER_MS;
  }
}

let fuel: FuelGlobal | undefined;
let meter: Meter | undefined;
let memoryBytes = Infinity;

/** The budget of the evaluation about to start: a sliced meter, or a plain global (whole budget). */
export function useBudget(source: Meter | FuelGlobal | undefined, limitBytes: number): void {
  meter = source instanceof Meter ? source : undefined;
  fuel = source instanceof Meter ? source.global : source;
  memoryBytes = limitBytes;
  meter?.begin();
}

/** Spends `units` of the evaluation budget (one unit ≈ one loop iteration of generated code). */
export function charge(units: number, what: string): void {
  if (!fuel) return;
  const u = Math.ceil(units);
  const left = fuel.value - u;
  if (left > 0) {
    fuel.value = left;
    if (meter && u > FUEL_SLICE && !meter.affordable(u)) throw new TimeoutHalt(meter.timeoutMs!);
    return;
  }
  if (meter) {
    if (!meter.affordable(u)) throw new TimeoutHalt(meter.timeoutMs!);
    meter.refill(left, what);
    return;
  }
  fuel.value = 0;
  throw new LimitHalt("eval_budget_exceeded", `policyc: evaluation budget exceeded (${what})`);
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
 * What printing (or reading) an integer of `bits` bits in decimal costs: V8's conversion grows as
 * about bits^1.4 (2×10^5 bits take ~40 ms, 1.3×10^7 bits ~15 s on this machine under load), so past
 * 10^5 bits the charge follows that curve; below it, 16 units per bit.
 */
export function chargeDecimal(bits: number): void {
  if (bits < 4096) return;
  reserve(bits * 0.30103, "the decimal text of a big integer");
  charge(Math.max(bits * 16, 0.15 * bits ** 1.4), `printing a ${Math.round(bits)}-bit integer`);
}

/**
 * Arithmetic on big integers: a result of `bits` bits must fit in memory, and building it costs
 * time proportional to its size (multiplication: V8's FFT-based product is near-linear at these
 * sizes, ~0.7 s for two 6.4-million-bit operands).
 */
export function chargeArithmetic(bits: number, what: string): void {
  if (bits < 4096) return;
  reserve(bits / 8, what);
  charge(bits * 8, what);
}
