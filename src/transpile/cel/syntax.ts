/**
 * CEL expressions as the CEL emitter builds them: text plus precedence, so parentheses appear only
 * where CEL needs them, and a negation that reads as a Kubernetes author writes it (`a != b`,
 * `!has(x)`, De Morgan over `&&`/`||`, `xs.all(x, !p)` for `!xs.exists(x, p)`).
 */

/** Precedence: 1 ternary, 2 `||`, 3 `&&`, 4 relations, 5 `+ -`, 6 `* / %`, 7 unary, 8 member/call, 9 primary. */
export interface Cel {
  readonly text: string;
  readonly prec: number;
  /** How to write `!this` when there is a better form than `!(...)`. */
  readonly negated?: () => Cel;
  /** For `&&`/`||`: the operands (flattened), so negation and joining stay flat. */
  readonly junction?: { op: "&&" | "||"; parts: readonly Cel[] };
  /** A boolean constant. */
  readonly constant?: boolean;
}

export const TRUE: Cel = { text: "true", prec: 9, constant: true };
export const FALSE: Cel = { text: "false", prec: 9, constant: false };

export function raw(text: string, prec = 9, negated?: () => Cel): Cel {
  return negated ? { text, prec, negated } : { text, prec };
}

/** A condition and its negation, each the other's negation (so `!!x` never appears). */
function pair(text: string, prec: number, negText: string, negPrec: number): Cel {
  const self: Cel = { text, prec, negated: () => ({ text: negText, prec: negPrec, negated: () => self }) };
  return self;
}

/** `c` as an operand of an operator of precedence `prec` (parenthesized when it binds looser). */
export function at(c: Cel, prec: number): string {
  return c.prec < prec ? `(${c.text})` : c.text;
}

export function str(s: string): Cel {
  return raw(JSON.stringify(s));
}

export function num(n: number): Cel {
  return raw(Number.isInteger(n) ? String(n) : String(n).includes(".") || /e/i.test(String(n)) ? String(n) : `${n}.0`);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** CEL's reserved words: not usable as field selections or variable names. */
export const RESERVED = new Set(["in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while", "true", "false", "null"]);

export function isSelectable(name: string): boolean {
  return IDENT.test(name) && !RESERVED.has(name);
}

/** `base.name`, or `base["name"]` for keys that are not CEL identifiers. */
export function select(base: Cel, name: string): Cel {
  return isSelectable(name) ? raw(`${at(base, 8)}.${name}`, 8) : raw(`${at(base, 8)}[${JSON.stringify(name)}]`, 8);
}

/** Whether `base` has the field or key `name`: `has(base.name)`, or `"name" in base`. */
export function has(base: Cel, name: string): Cel {
  if (isSelectable(name)) {
    const text = `has(${at(base, 8)}.${name})`;
    return pair(text, 9, `!${text}`, 7);
  }
  return inList(str(name), base);
}

export function index(base: Cel, key: Cel): Cel {
  return raw(`${at(base, 8)}[${key.text}]`, 8);
}

export function inList(x: Cel, xs: Cel): Cel {
  const text = `${at(x, 5)} in ${at(xs, 5)}`;
  return pair(text, 4, `!(${text})`, 7);
}

export function method(target: Cel, name: string, args: Cel[]): Cel {
  return raw(`${at(target, 8)}.${name}(${args.map((a) => a.text).join(", ")})`, 8);
}

export function fn(name: string, args: Cel[]): Cel {
  return raw(`${name}(${args.map((a) => a.text).join(", ")})`, 8);
}

/** A macro over a list or map: `xs.exists(x, p)`, `xs.all(x, p)`, `xs.map(x, e)`, `xs.filter(x, p)`. */
export function macro(target: Cel, name: "exists" | "all" | "map" | "filter", v: string, body: Cel): Cel {
  const text = `${at(target, 8)}.${name}(${v}, ${body.text})`;
  if (name === "exists") return raw(text, 8, () => macro(target, "all", v, not(body)));
  if (name === "all") return raw(text, 8, () => macro(target, "exists", v, not(body)));
  return raw(text, 8);
}

const FLIP: Record<string, string> = { "==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">" };

export function compare(op: "==" | "!=" | "<" | "<=" | ">" | ">=", a: Cel, b: Cel): Cel {
  return raw(`${at(a, 5)} ${op} ${at(b, 5)}`, 4, () => compare(FLIP[op] as typeof op, a, b));
}

export function binary(op: "+" | "-" | "*" | "%", a: Cel, b: Cel): Cel {
  const prec = op === "+" || op === "-" ? 5 : 6;
  // Left-associative: the right operand needs parentheses at equal precedence.
  return raw(`${at(a, prec)} ${op} ${at(b, prec + 1)}`, prec);
}

export function not(c: Cel): Cel {
  if (c.constant !== undefined) return c.constant ? FALSE : TRUE;
  if (c.negated) return c.negated();
  if (c.junction) return junction(c.junction.op === "&&" ? "||" : "&&", c.junction.parts.map(not));
  return { text: `!${at(c, 8)}`, prec: 7, negated: () => c };
}

export function and(parts: readonly Cel[]): Cel {
  return junction("&&", parts);
}

export function or(parts: readonly Cel[]): Cel {
  return junction("||", parts);
}

function junction(op: "&&" | "||", parts: readonly Cel[]): Cel {
  const unit = op === "&&";
  const flat: Cel[] = [];
  for (const p of parts) {
    if (p.constant === unit) continue;
    if (p.constant === !unit) return p;
    if (p.junction?.op === op) flat.push(...p.junction.parts);
    else if (!flat.some((q) => q.text === p.text)) flat.push(p);
  }
  if (flat.length === 0) return unit ? TRUE : FALSE;
  if (flat.length === 1) return flat[0]!;
  const prec = unit ? 3 : 2;
  return { text: flat.map((p) => at(p, prec + 1)).join(` ${op} `), prec, junction: { op, parts: flat } };
}

export function ternary(c: Cel, a: Cel, b: Cel): Cel {
  if (c.constant === true) return a;
  if (c.constant === false) return b;
  return raw(`${at(c, 2)} ? ${at(a, 2)} : ${at(b, 1)}`, 1);
}

export function list(items: Cel[]): Cel {
  return raw(`[${items.map((i) => i.text).join(", ")}]`);
}
