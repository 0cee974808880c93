/**
 * `units.parse` (SI and binary suffixes, case-sensitive `m` vs `M`, exact result) and
 * `units.parse_bytes` (case-insensitive byte units, integer result), as OPA implements them.
 */
import { type Value, type Decimal, parseDecimal, fromDecimal, normDecimal } from "./value.js";
import { decMul } from "./numbers.js";
import type { Builtin } from "./tagged.js";

const pow = (b: bigint, e: number): Decimal => ({ m: b ** BigInt(e), e: 0 });
const milli: Decimal = { m: 1n, e: -3 };
const one: Decimal = { m: 1n, e: 0 };

/** Splits `"-1.5e3Ki"` into number text and unit; an exponent counts only when digits follow. */
function split(s: string): [string, string] {
  const m = /^[+-]?[0-9.]*(?:[eE][+-]?[0-9]+)?/.exec(s)!;
  let num = m[0];
  // "5E" means 5 exa, not an exponent: the regex only takes e/E followed by digits.
  if (!/[0-9]/.test(num)) num = "";
  return [num, s.slice(num.length)];
}

function parseAmount(num: string, what: string): Decimal {
  const d = parseDecimal(num.startsWith(".") || num.startsWith("-.") ? num.replace(".", "0.") : num);
  if (!d) throw new Error(`${what}: could not parse amount to a number`);
  return d;
}

function unitsParse(v: Value): Value | undefined {
  if (typeof v !== "string") return undefined;
  const s = v.replaceAll('"', "");
  if (s.includes(" ")) throw new Error("units.parse: spaces not allowed in resource strings");
  const [num, rawUnit] = split(s);
  if (num === "") throw new Error("units.parse: no amount provided");
  const unit = rawUnit.length > 1 ? rawUnit[0] + rawUnit.slice(1).toLowerCase() : rawUnit;
  const table: Record<string, Decimal> = {
    "": one,
    m: milli,
    k: pow(10n, 3),
    K: pow(10n, 3),
    ki: pow(2n, 10),
    Ki: pow(2n, 10),
    M: pow(10n, 6),
    mi: pow(2n, 20),
    Mi: pow(2n, 20),
    g: pow(10n, 9),
    G: pow(10n, 9),
    gi: pow(2n, 30),
    Gi: pow(2n, 30),
    t: pow(10n, 12),
    T: pow(10n, 12),
    ti: pow(2n, 40),
    Ti: pow(2n, 40),
    p: pow(10n, 15),
    P: pow(10n, 15),
    pi: pow(2n, 50),
    Pi: pow(2n, 50),
    e: pow(10n, 18),
    E: pow(10n, 18),
    ei: pow(2n, 60),
    Ei: pow(2n, 60),
  };
  const mult = table[unit];
  if (!mult) throw new Error("units.parse: unit not recognized");
  return fromDecimal(decMul(parseAmount(num, "units.parse"), mult));
}

function parseBytes(v: Value): Value | undefined {
  if (typeof v !== "string") return undefined;
  const s = v.replaceAll('"', "").toLowerCase();
  if (s.includes(" ")) throw new Error("units.parse_bytes: spaces not allowed in resource strings");
  const [num, unit] = split(s);
  if (num === "") throw new Error("units.parse_bytes: no byte amount provided");
  const table: Record<string, Decimal> = { "": one };
  const prefixes = ["k", "m", "g", "t", "p", "e"];
  prefixes.forEach((p, i) => {
    table[p] = pow(10n, 3 * (i + 1));
    table[p + "b"] = pow(10n, 3 * (i + 1));
    table[p + "i"] = pow(2n, 10 * (i + 1));
    table[p + "ib"] = pow(2n, 10 * (i + 1));
  });
  const mult = table[unit];
  if (!mult) throw new Error("units.parse_bytes: byte unit not recognized");
  const d = normDecimal(decMul(parseAmount(num, "units.parse_bytes"), mult));
  // The byte count is truncated to an integer.
  const i = d.e >= 0 ? d.m * 10n ** BigInt(d.e) : d.m / 10n ** BigInt(-d.e);
  return fromDecimal({ m: i, e: 0 });
}

export const unitsBuiltins: Record<string, Builtin> = {
  "units.parse": unitsParse,
  "units.parse_bytes": parseBytes,
};
