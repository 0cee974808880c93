/**
 * `sprintf` with Go's fmt verbs, as OPA calls it: numbers become int64 / *big.Int / float64,
 * strings stay strings, every other value is passed as its Rego text (so `%v` of an array prints
 * `["a", "b"]` and a set `{"a", "b"}`).
 */
import { ExactNum, type Value, isArray, toBigInt, toFloat } from "./value.js";
import { goQuote, regoText } from "./format.js";

type GoArg = { kind: "int"; big: boolean; v: bigint } | { kind: "float"; v: number } | { kind: "string"; v: string };

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

function toGoArg(v: Value): GoArg {
  if (v instanceof ExactNum) {
    // OPA tries int64, then big.Int (digits only), then float64, else passes the number's text.
    if (/^-?[0-9]+$/.test(v.text)) {
      const b = BigInt(v.text);
      return { kind: "int", big: b > INT64_MAX || b < INT64_MIN, v: b };
    }
    const f = Number(v.text);
    return Number.isFinite(f) ? { kind: "float", v: f } : { kind: "string", v: v.text };
  }
  if (typeof v === "number") {
    const b = toBigInt(v);
    if (b !== undefined) return { kind: "int", big: b > INT64_MAX || b < INT64_MIN, v: b };
    return { kind: "float", v: toFloat(v) };
  }
  if (typeof v === "string") return { kind: "string", v };
  return { kind: "string", v: regoText(v) };
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

export function sprintf(format: Value, args: Value): Value | undefined {
  if (typeof format !== "string" || !isArray(args)) return undefined;
  return goSprintf(format, args.map(toGoArg));
}

export function goSprintf(format: string, args: GoArg[]): string {
  let out = "";
  let argi = 0;
  let i = 0;
  const n = format.length;
  while (i < n) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    flags: while (i < n) {
      switch (format[i]) {
        case "-":
          spec.minus = true;
          spec.zero = false;
          break;
        case "+":
          spec.plus = true;
          break;
        case "#":
          spec.sharp = true;
          break;
        case " ":
          spec.space = true;
          break;
        case "0":
          spec.zero = !spec.minus;
          break;
        default:
          break flags;
      }
      i++;
    }
    // width
    if (format[i] === "*") {
      i++;
      const a = args[argi++];
      if (a && a.kind === "int") {
        spec.width = Number(a.v);
        if (spec.width < 0) {
          spec.minus = true;
          spec.width = -spec.width;
        }
      } else out += "%!(BADWIDTH)";
    } else {
      const m = /^[0-9]+/.exec(format.slice(i));
      if (m) {
        spec.width = Number(m[0]);
        i += m[0].length;
      }
    }
    if (format[i] === ".") {
      i++;
      if (format[i] === "*") {
        i++;
        const a = args[argi++];
        if (a && a.kind === "int" && a.v >= 0n) spec.prec = Number(a.v);
        else out += "%!(BADPREC)";
      } else {
        const m = /^[0-9]+/.exec(format.slice(i));
        spec.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    if (i >= n) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argi++]!, verb, spec);
  }
  if (argi < args.length) {
    out += "%!(EXTRA " + args.slice(argi).map((a) => `${goTypeName(a)}=${formatArg(a, "v", blank())}`).join(", ") + ")";
  }
  return out;
}

function blank(): Spec {
  return { minus: false, plus: false, sharp: false, space: false, zero: false };
}

function goTypeName(a: GoArg): string {
  if (a.kind === "int") return a.big ? "*big.Int" : "int";
  if (a.kind === "float") return "float64";
  return "string";
}

function badVerb(a: GoArg, verb: string): string {
  // *big.Int formats itself and reports bad verbs as big.Int.
  if (a.kind === "int" && a.big) return `%!${verb}(big.Int=${a.v.toString()})`;
  return `%!${verb}(${goTypeName(a)}=${formatArg(a, "v", blank())})`;
}

function pad(s: string, spec: Spec, zeroOk = true): string {
  const w = spec.width ?? 0;
  const len = [...s].length;
  if (len >= w) return s;
  if (spec.minus) return s + " ".repeat(w - len);
  if (spec.zero && zeroOk) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : "";
    return sign + "0".repeat(w - len) + s.slice(sign.length);
  }
  return " ".repeat(w - len) + s;
}

function formatArg(a: GoArg, verb: string, spec: Spec): string {
  if (verb === "T") return pad(goTypeName(a), spec, false);
  switch (a.kind) {
    case "int":
      return formatInt(a, verb, spec);
    case "float":
      return formatFloat(a.v, verb, spec) ?? badVerb(a, verb);
    case "string":
      return formatString(a.v, verb, spec) ?? badVerb(a, verb);
  }
}

function formatInt(a: GoArg & { kind: "int" }, verb: string, spec: Spec): string {
  const v = a.v;
  const neg = v < 0n;
  const abs = neg ? -v : v;
  let digits: string;
  let prefix = "";
  switch (verb) {
    case "v":
    case "d":
      digits = abs.toString();
      break;
    case "b":
      digits = abs.toString(2);
      if (spec.sharp) prefix = "0b";
      break;
    case "o":
      digits = abs.toString(8);
      if (spec.sharp) prefix = "0";
      break;
    case "O":
      digits = abs.toString(8);
      prefix = "0o";
      break;
    case "x":
      digits = abs.toString(16);
      if (spec.sharp) prefix = "0x";
      break;
    case "X":
      digits = abs.toString(16).toUpperCase();
      if (spec.sharp) prefix = "0X";
      break;
    case "c":
      if (a.big) return badVerb(a, verb);
      return pad(String.fromCodePoint(Number(v)), spec, false);
    case "q":
      if (a.big) return badVerb(a, verb);
      return pad(goQuoteRune(Number(v)), spec, false);
    case "U":
      if (a.big) return badVerb(a, verb);
      return pad("U+" + abs.toString(16).toUpperCase().padStart(4, "0"), spec, false);
    case "s":
      if (a.big) return pad(v.toString(), spec);
      return badVerb(a, verb);
    default:
      return badVerb(a, verb);
  }
  if (spec.prec !== undefined) {
    digits = digits.padStart(spec.prec, "0");
    if (spec.prec === 0 && abs === 0n) digits = "";
  }
  const sign = neg ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  return pad(sign + prefix + digits, spec, spec.prec === undefined);
}

function goQuoteRune(c: number): string {
  const s = goQuote(String.fromCodePoint(c));
  return "'" + s.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'") + "'";
}

/** Go's %e / %f / %g / %v for float64. */
function formatFloat(x: number, verb: string, spec: Spec): string | undefined {
  let s: string;
  if (!Number.isFinite(x)) {
    s = Number.isNaN(x) ? "NaN" : x > 0 ? (spec.plus ? "+Inf" : "Inf") : "-Inf";
    return pad(s, { ...spec, zero: false });
  }
  switch (verb) {
    case "v":
      s = formatG(x, spec.prec, spec.sharp);
      break;
    case "g":
    case "G":
      s = formatG(x, spec.prec, spec.sharp);
      if (verb === "G") s = s.toUpperCase();
      break;
    case "e":
    case "E":
      s = formatE(x, spec.prec ?? 6);
      if (verb === "E") s = s.toUpperCase();
      break;
    case "f":
    case "F":
      s = formatF(x, spec.prec ?? 6);
      break;
    default:
      return undefined;
  }
  if (!s.startsWith("-")) {
    if (spec.plus) s = "+" + s;
    else if (spec.space) s = " " + s;
  }
  return pad(s, spec);
}

function fixExp(s: string): string {
  // JS writes e+6, Go writes e+06.
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

export function formatE(x: number, prec: number): string {
  return fixExp(x.toExponential(Math.min(prec, 100)));
}

export function formatF(x: number, prec: number): string {
  if (Math.abs(x) < 1e21) return x.toFixed(Math.min(prec, 100));
  // toFixed switches to exponent form above 1e21; BigInt keeps the digits.
  const int = BigInt(Math.trunc(x)).toString();
  return prec > 0 ? `${int}.${"0".repeat(prec)}` : int;
}

/** Go's %g: shortest digits when no precision is given, exponent when exp < -4 || exp >= eprec. */
export function formatG(x: number, prec: number | undefined, sharp = false): string {
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  let digits: string;
  let exp: number;
  if (prec === undefined) {
    const e = x.toExponential(); // shortest round-trip digits
    const m = /^-?(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e)!;
    digits = m[1]! + (m[2] ?? "");
    exp = Number(m[3]);
  } else {
    const p = prec === 0 ? 1 : prec;
    const e = x.toExponential(p - 1);
    const m = /^-?(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e)!;
    digits = (m[1]! + (m[2] ?? "")).replace(/0+$/, "") || "0";
    if (sharp) digits = m[1]! + (m[2] ?? "");
    exp = Number(m[3]);
  }
  const neg = x < 0 ? "-" : "";
  // Go uses precision 6 for this decision when printing the shortest form.
  const eprec = prec === undefined ? 6 : prec === 0 ? 1 : prec;
  if (exp < -4 || exp >= eprec) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const es = exp < 0 ? "-" : "+";
    const ea = Math.abs(exp).toString().padStart(2, "0");
    return `${neg}${mant}e${es}${ea}`;
  }
  if (exp < 0) return `${neg}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return neg + digits + "0".repeat(exp + 1 - digits.length);
  return `${neg}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

function formatString(s: string, verb: string, spec: Spec): string | undefined {
  switch (verb) {
    case "v":
    case "s": {
      const t = spec.prec !== undefined ? [...s].slice(0, spec.prec).join("") : s;
      return pad(t, spec, false);
    }
    case "q":
      return pad(goQuote(s), spec, false);
    case "x":
    case "X": {
      let h = Buffer.from(s, "utf8").toString("hex");
      if (verb === "X") h = h.toUpperCase();
      if (spec.sharp) h = (verb === "X" ? "0X" : "0x") + h;
      return pad(h, spec, false);
    }
    default:
      return undefined;
  }
}
