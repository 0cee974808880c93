/**
 * Go's `math/big.Float` at its default 64-bit mantissa, as OPA's arithmetic uses it on operands that
 * are not both integers: each operand is rounded to 64 bits (round half to even), the operation's
 * exact result is rounded to 64 bits again, and the result is the shortest decimal text that reads
 * back to the same 64-bit value (`Text('f', -1)` for an integral value, `Text('g', -1)` otherwise,
 * as OPA's `FloatToNumber` prints it). So `1.1 + 2.2` is `3.3000000000000000002`, `1 / 3` is
 * `0.33333333333333333334` and `1000000 + 0.5` is `1.0000005e+06`, as in OPA.
 */
import type { Decimal } from "./value.js";

/** m × 2^e with m = 0 or 2^63 ≤ |m| < 2^64. */
export interface BigFloat {
  m: bigint;
  e: number;
}

const PREC = 64;
const TOP = 1n << BigInt(PREC);
const LOW = 1n << BigInt(PREC - 1);

/** Exponent gaps beyond this leave the smaller operand below half an ulp: it cannot change a sum. */
const MAX_GAP = 4 * PREC;

/** The exact number of bits of |b|. */
function bitLength(b: bigint): number {
  if (b < 0n) b = -b;
  if (b === 0n) return 0;
  const hex = b.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

/** num / den (den > 0) rounded to 64 bits, half to even. */
function roundRational(num: bigint, den: bigint): BigFloat {
  if (num === 0n) return { m: 0n, e: 0 };
  const neg = num < 0n;
  const a = neg ? -num : num;
  // a / den ≈ 2^(bits(a) - bits(den)); aim the quotient at 64 or 65 bits.
  let e = bitLength(a) - bitLength(den) - PREC;
  let n = e >= 0 ? a : a << BigInt(-e);
  let d = e >= 0 ? den << BigInt(e) : den;
  while (n / d >= TOP) {
    e += 1;
    d <<= 1n;
  }
  while (n / d < LOW) {
    e -= 1;
    n <<= 1n;
  }
  let m = n / d;
  const twice = (n % d) * 2n;
  if (twice > d || (twice === d && (m & 1n) === 1n)) m += 1n;
  if (m === TOP) {
    m = LOW;
    e += 1;
  }
  return { m: neg ? -m : m, e };
}

/** A decimal rounded to 64 bits, as `big.Float.SetString` reads a number's text. */
export function bigFloatOf(d: Decimal): BigFloat {
  return d.e >= 0 ? roundRational(d.m * 10n ** BigInt(d.e), 1n) : roundRational(d.m, 10n ** BigInt(-d.e));
}

function scaled(x: BigFloat, to: number): bigint {
  return x.m << BigInt(x.e - to);
}

export function bigFloatAdd(x: BigFloat, y: BigFloat): BigFloat {
  if (x.m === 0n) return y;
  if (y.m === 0n) return x;
  if (x.e - y.e > MAX_GAP) return x;
  if (y.e - x.e > MAX_GAP) return y;
  const e = Math.min(x.e, y.e);
  return shifted(scaled(x, e) + scaled(y, e), e);
}

export function bigFloatSub(x: BigFloat, y: BigFloat): BigFloat {
  return bigFloatAdd(x, { m: -y.m, e: y.e });
}

export function bigFloatMul(x: BigFloat, y: BigFloat): BigFloat {
  return shifted(x.m * y.m, x.e + y.e);
}

export function bigFloatQuo(x: BigFloat, y: BigFloat): BigFloat {
  if (y.m === 0n) throw new RangeError("divide by zero");
  const r = y.m < 0n ? roundRational(-x.m, -y.m) : roundRational(x.m, y.m);
  return { m: r.m, e: r.e + x.e - y.e };
}

/** v × 2^e rounded to 64 bits. */
function shifted(v: bigint, e: number): BigFloat {
  const r = roundRational(v, 1n);
  return { m: r.m, e: r.e + e };
}

export function bigFloatIsInt(x: BigFloat): boolean {
  if (x.m === 0n || x.e >= 0) return true;
  return -x.e < PREC && (x.m & ((1n << BigInt(-x.e)) - 1n)) === 0n;
}

/**
 * The shortest decimal digits that read back to x at 64 bits (Go's `roundShortest`): the digits
 * (no trailing zeros) and the decimal exponent of a leading `0.`, so x ≈ 0.digits × 10^exp.
 */
function shortest(x: BigFloat): { digits: string; exp: number } {
  const m = x.m < 0n ? -x.m : x.m;
  // x and the half-ulp bounds as fractions over a common power of two.
  const shift = 1 - x.e;
  const den = shift > 0 ? 1n << BigInt(shift) : 1n;
  const mul = shift > 0 ? 1n : 1n << BigInt(-shift);
  const value = 2n * m * mul;
  const lower = (2n * m - 1n) * mul;
  const upper = (2n * m + 1n) * mul;
  const inclusive = (m & 1n) === 0n;
  // Decimal exponent: 10^(exp-1) ≤ x < 10^exp.
  let exp = Math.floor((bitLength(m) + x.e) * 0.30103);
  while (cmpPow10(value, den, exp) >= 0) exp++;
  while (cmpPow10(value, den, exp - 1) < 0) exp--;
  for (let k = 1; ; k++) {
    // q = x × 10^(k - exp) rounded half to even: k significant digits.
    const p = k - exp;
    const num = p >= 0 ? value * 10n ** BigInt(p) : value;
    const dd = p >= 0 ? den : den * 10n ** BigInt(-p);
    let q = num / dd;
    const twice = (num % dd) * 2n;
    if (twice > dd || (twice === dd && (q & 1n) === 1n)) q += 1n;
    // Is q × 10^-p within [lower, upper] (open when the mantissa is odd)?
    const c = p >= 0 ? q * den : q * den * 10n ** BigInt(-p);
    const scale = p >= 0 ? 10n ** BigInt(p) : 1n;
    const lo = lower * scale;
    const hi = upper * scale;
    if (inclusive ? c >= lo && c <= hi : c > lo && c < hi) {
      let digits = q.toString();
      let e = exp;
      if (digits.length > k) e += digits.length - k;
      digits = digits.replace(/0+$/, "") || "0";
      return { digits, exp: e };
    }
  }
}

/** value/den compared with 10^k. */
function cmpPow10(value: bigint, den: bigint, k: number): number {
  const l = k >= 0 ? value : value * 10n ** BigInt(-k);
  const r = k >= 0 ? den * 10n ** BigInt(k) : den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** OPA's `FloatToNumber`: `Text('f', -1)` for an integral value, else `Text('g', -1)`. */
export function bigFloatText(x: BigFloat): string {
  if (x.m === 0n) return "0";
  const sign = x.m < 0n ? "-" : "";
  const { digits, exp } = shortest(x);
  if (!bigFloatIsInt(x)) {
    const e = exp - 1;
    if (e < -4 || e >= 6) {
      const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
      const abs = Math.abs(e);
      return `${sign}${mant}e${e < 0 ? "-" : "+"}${abs < 10 ? "0" : ""}${abs}`;
    }
  }
  if (exp <= 0) return `${sign}0.${"0".repeat(-exp)}${digits}`;
  if (exp >= digits.length) return sign + digits + "0".repeat(exp - digits.length);
  return `${sign}${digits.slice(0, exp)}.${digits.slice(exp)}`;
}
