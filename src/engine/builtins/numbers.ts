/**
 * Number built-ins the runtime hands to the host: arithmetic on operands that are big integers or
 * exact decimals (the runtime keeps the int64/f64 fast path), `numbers.range(_step)`, `bits.*`,
 * `rand.intn`. As in OPA, arithmetic on two integers is exact (a quotient when it divides), and any
 * other operands go through Go's 64-bit-mantissa `big.Float` (`bigfloat.ts`), printed as OPA prints it.
 */
import { bitLength, charge, chargeArithmetic, chargeDecimal, reserve } from "./budget.js";
import {
  type Value,
  type Decimal,
  ExactNum,
  RSet,
  isNumber,
  isSet,
  isArray,
  toDecimal,
  fromDecimal,
  normDecimal,
  toBigInt,
  fromBigInt,
  decimalText,
} from "./value.js";
import type { Builtin } from "./tagged.js";
import { perEvaluation } from "./memo.js";
import { type BigFloat, bigFloatOf, bigFloatAdd, bigFloatSub, bigFloatMul, bigFloatQuo, bigFloatText } from "./bigfloat.js";
import { numberFromText } from "./json.js";

function dec(v: Value): Decimal {
  if (!isNumber(v)) throw new TypeError("number expected");
  const d = toDecimal(v);
  if (!d) throw new TypeError("not a finite number");
  return d;
}

/** Beyond this exponent gap exact alignment would need unbounded memory: the call is undefined. */
const MAX_ALIGN = 4096;

/** Bits of a decimal's mantissa plus its exponent's digits in bits (what exact arithmetic handles). */
function bitsOf(d: Decimal): number {
  return bitLength(d.m) + Math.abs(d.e) * 3.33;
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (Math.abs(a.e - b.e) > MAX_ALIGN) throw new RangeError("numbers too far apart to add exactly");
  chargeArithmetic(Math.max(bitsOf(a), bitsOf(b)), "big-number arithmetic");
  const e = Math.min(a.e, b.e);
  return [a.m * 10n ** BigInt(a.e - e), b.m * 10n ** BigInt(b.e - e), e];
}

export function decAdd(a: Decimal, b: Decimal): Decimal {
  const [x, y, e] = align(a, b);
  return normDecimal({ m: x + y, e });
}
export function decSub(a: Decimal, b: Decimal): Decimal {
  const [x, y, e] = align(a, b);
  return normDecimal({ m: x - y, e });
}
export function decMul(a: Decimal, b: Decimal): Decimal {
  chargeArithmetic(bitLength(a.m) + bitLength(b.m), "big-number multiplication");
  return normDecimal({ m: a.m * b.m, e: a.e + b.e });
}

/** Exact quotient when it terminates within a bounded number of digits, else a double. */
export function decDiv(a: Decimal, b: Decimal): number | ExactNum {
  if (b.m === 0n) throw new RangeError("divide by zero");
  const [x, y] = align(a, b);
  // x/y terminates iff y (reduced) has only factors 2 and 5.
  const g = gcd(x < 0n ? -x : x, y < 0n ? -y : y) || 1n;
  let den = y / g;
  if (den < 0n) den = -den;
  let twos = 0;
  let fives = 0;
  while (den % 2n === 0n) {
    den /= 2n;
    twos++;
  }
  while (den % 5n === 0n) {
    den /= 5n;
    fives++;
  }
  if (den === 1n) {
    const k = Math.max(twos, fives);
    const q = (x * 10n ** BigInt(k)) / y;
    return fromDecimal(normDecimal({ m: q, e: -k }));
  }
  return Number(decimalText(a)) / Number(decimalText(b));
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function floorDec(d: Decimal): bigint {
  if (d.e >= 0) return d.m * 10n ** BigInt(d.e);
  const p = 10n ** BigInt(-d.e);
  const q = d.m / p;
  return d.m < 0n && d.m % p !== 0n ? q - 1n : q;
}

function ceilDec(d: Decimal): bigint {
  return -floorDec({ m: -d.m, e: d.e });
}

/** Rounds half away from zero, as Go's math.Round and OPA's `round`. */
function roundDec(d: Decimal): bigint {
  if (d.e >= 0) return d.m * 10n ** BigInt(d.e);
  const neg = d.m < 0n;
  const abs = { m: neg ? -d.m : d.m, e: d.e };
  const r = floorDec(decAdd(abs, { m: 5n, e: -1 }));
  return neg ? -r : r;
}

function num(d: Decimal): number | ExactNum {
  return fromDecimal(d);
}

function int(v: Value): bigint {
  const b = toBigInt(v);
  if (b === undefined) throw new TypeError("integer expected");
  return b;
}

/** OPA's int32 window, where unary arithmetic stays on machine integers. */
const SMALL_INT = 2n ** 31n;

/** Decimal exponents beyond this stay on exact decimals (64-bit rounding would build huge powers). */
const MAX_FLOAT_EXPONENT = 4096;

/**
 * One of OPA's arithmetic operations: exact on two integers (`exact`, undefined when the integers
 * need the float path, as a quotient that does not divide), else on 64-bit `big.Float`s.
 */
function arith(
  a: Value,
  b: Value,
  exact: (x: bigint, y: bigint) => bigint | undefined,
  float: (x: BigFloat, y: BigFloat) => BigFloat,
  decimal: (x: Decimal, y: Decimal) => Value,
): Value {
  const x = dec(a);
  const y = dec(b);
  if (x.e >= 0 && y.e >= 0) {
    const r = exact(toBigInt(a)!, toBigInt(b)!);
    if (r !== undefined) return fromBigInt(r);
  }
  if (Math.abs(x.e) > MAX_FLOAT_EXPONENT || Math.abs(y.e) > MAX_FLOAT_EXPONENT) return decimal(x, y);
  chargeArithmetic(Math.max(bitsOf(x), bitsOf(y)), "number arithmetic");
  return numberFromText(bigFloatText(float(bigFloatOf(x), bigFloatOf(y))));
}

function range(a: Value, b: Value, step: bigint): Value {
  const x = int(a);
  const y = int(b);
  if (step <= 0n) throw new RangeError("step must be a positive integer");
  if ((x > y ? x - y : y - x) / step > 10_000_000n) throw new RangeError("range too large");
  const out: Value[] = [];
  if (x <= y) for (let i = x; i <= y; i += step) out.push(fromBigInt(i));
  else for (let i = x; i >= y; i -= step) out.push(fromBigInt(i));
  return out;
}

function bits(f: (x: bigint, y: bigint) => bigint): Builtin {
  return (a, b) => fromBigInt(f(int(a), int(b)));
}

export const numberBuiltins: Record<string, Builtin> = {
  plus: (a, b) => arith(a, b, (x, y) => x + y, bigFloatAdd, (x, y) => num(decAdd(x, y))),
  minus: (a, b) =>
    isSet(a) && isSet(b)
      ? new RSet(a.items.filter((v) => !b.has(v)))
      : arith(a, b, (x, y) => x - y, bigFloatSub, (x, y) => num(decSub(x, y))),
  mul: (a, b) => arith(a, b, (x, y) => x * y, bigFloatMul, (x, y) => num(decMul(x, y))),
  div: (a, b) =>
    arith(
      a,
      b,
      (x, y) => {
        if (y === 0n) throw new RangeError("divide by zero");
        // A zero dividend is a float quotient in OPA (its sign follows the divisor's).
        return x !== 0n && x % y === 0n ? x / y : undefined;
      },
      bigFloatQuo,
      decDiv,
    ),
  rem: (a, b) => {
    const x = int(a);
    const y = int(b);
    if (y === 0n) throw new RangeError("modulo by zero");
    return fromBigInt(x % y);
  },
  abs: (a) => {
    const d = dec(a);
    const r = { m: d.m < 0n ? -d.m : d.m, e: d.e };
    // Past the int32 window OPA takes the operand as a 64-bit big.Float (so 1.10 prints as 1.1).
    if ((d.e === 0 && r.m <= SMALL_INT) || Math.abs(d.e) > MAX_FLOAT_EXPONENT) return num(r);
    return numberFromText(bigFloatText(bigFloatOf(r)));
  },
  round: (a) => fromBigInt(roundDec(dec(a))),
  ceil: (a) => fromBigInt(ceilDec(dec(a))),
  floor: (a) => fromBigInt(floorDec(dec(a))),
  // The runtime hands sum/product to the host when int64/f64 would overflow or lose digits.
  sum: (c) => {
    const items = isArray(c) ? c : isSet(c) ? c.items : undefined;
    if (!items) return undefined;
    return num(items.reduce<Decimal>((acc, x) => decAdd(acc, dec(x)), { m: 0n, e: 0 }));
  },
  product: (c) => {
    const items = isArray(c) ? c : isSet(c) ? c.items : undefined;
    if (!items) return undefined;
    return num(items.reduce<Decimal>((acc, x) => decMul(acc, dec(x)), { m: 1n, e: 0 }));
  },
  "numbers.range": (a, b) => range(a, b, 1n),
  "numbers.range_step": (a, b, s) => range(a, b, int(s)),
  "bits.or": bits((x, y) => x | y),
  "bits.and": bits((x, y) => x & y),
  "bits.xor": bits((x, y) => x ^ y),
  "bits.negate": (a) => fromBigInt(~int(a)),
  "bits.lsh": (a, b) => {
    const s = int(b);
    if (s < 0n) throw new RangeError("negative shift");
    const x = int(a);
    if (x !== 0n && s > 64n) {
      // Size the result before building it: its bits, and its decimal text once printed.
      const bits = bitLength(x) + Number(s);
      reserve(bits / 8, "bits.lsh");
      charge(bits / 64, "bits.lsh");
      chargeDecimal(bits);
    }
    return fromBigInt(x << s);
  },
  "bits.rsh": (a, b) => {
    const s = int(b);
    if (s < 0n) throw new RangeError("negative shift");
    return fromBigInt(int(a) >> s);
  },
  "rand.intn": (seed, n) => {
    if (typeof seed !== "string") return undefined;
    const m = int(n);
    if (m === 0n) return 0;
    const abs = m < 0n ? -m : m;
    return perEvaluation(`rand.intn:${seed}:${abs}`, () => Math.floor(Math.random() * Number(abs)));
  },
};

