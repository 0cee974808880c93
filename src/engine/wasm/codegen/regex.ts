/**
 * A Wasm fast path for `regex.match` with a constant pattern, the form policies use to test
 * image references, API versions and quantities once per container or per inventory object. The
 * pattern is compiled at build time into a DFA over ASCII bytes that runs Go's unanchored search
 * (`regexp.MatchString`), so a call costs a table walk instead of a trip through the SDK's JSON
 * bridge to the host. Only a conservative subset of RE2's syntax is compiled: ASCII literals,
 * `.`, classes with ranges and `\d \s \w` (and negations), groups, `|`, `* + ?` (greedy or lazy),
 * small `{n,m}` counts, and `^`/`$` (text start and end, as Go's Perl flags make them). Any other
 * pattern, a DFA past its state budget, a non-string argument or a string with a byte ≥ 0x80
 * takes the host `regex.match`, which stays the reference for everything.
 */
import { Code } from "../binary/code.js";
import { ValType } from "../binary/module.js";
import type { DeclaredFunc } from "../link.js";
import type { GenContext } from "./context.js";

const i32 = ValType.i32;
const STRING = 4;

/** Next-state entries that end the search. */
export const MATCHED = 254;
export const DEAD = 255;
const MAX_STATES = 200;
const MAX_NFA = 4000;
const MAX_COUNT = 16;

export interface RegexDfa {
  /** `next[state * 128 + byte]`: the next state, `MATCHED` or `DEAD`. State 0 is the initial one. */
  next: Uint8Array;
  /** `atEnd[state]`: 1 when a text ending in this state matches (through `$`). */
  atEnd: Uint8Array;
  /** The empty match at the text's start already matches: every string does. */
  always: boolean;
}

type Bytes = boolean[];
type Node =
  | { t: "set"; bytes: Bytes }
  | { t: "cat"; xs: Node[] }
  | { t: "alt"; xs: Node[] }
  | { t: "rep"; x: Node; min: number; max: number }
  | { t: "bol" }
  | { t: "eol" };

class Unsupported extends Error {}
const no = (): never => {
  throw new Unsupported();
};

const range = (lo: number, hi: number): Bytes => Array.from({ length: 128 }, (_, b) => b >= lo && b <= hi);
const union = (...sets: Bytes[]): Bytes => Array.from({ length: 128 }, (_, b) => sets.some((s) => s[b]));
const negate = (s: Bytes): Bytes => s.map((x) => !x);
const DIGIT = range(0x30, 0x39);
const WORD = union(DIGIT, range(0x41, 0x5a), range(0x61, 0x7a), range(0x5f, 0x5f));
const SPACE = union(range(9, 10), range(12, 13), range(32, 32));
const isAlnum = (c: number) => DIGIT[c]! || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const CONTROL: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
const PERL: Record<string, Bytes> = { d: DIGIT, D: negate(DIGIT), s: SPACE, S: negate(SPACE), w: WORD, W: negate(WORD) };

const isRepeatOp = (c: string | undefined) => c === "*" || c === "+" || c === "?";

/** Go's regexp/syntax parse with the Perl flags, for the subset above; throws Unsupported otherwise. */
class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): Node {
    const n = this.alt();
    if (this.i < this.s.length) no(); // an unbalanced `)`
    return n;
  }

  private alt(): Node {
    const xs = [this.cat()];
    while (this.s[this.i] === "|") {
      this.i++;
      xs.push(this.cat());
    }
    return xs.length === 1 ? xs[0]! : { t: "alt", xs };
  }

  private cat(): Node {
    const xs: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== "|" && this.s[this.i] !== ")") {
      let atom = this.atom();
      const rep = this.repeat();
      if (rep) {
        // Repeating an assertion, or a repetition right after another: left to Go's own rules.
        if (atom.t === "bol" || atom.t === "eol") no();
        if (this.s[this.i] === "?") this.i++; // lazy: the same strings match
        if (isRepeatOp(this.s[this.i]) || (this.s[this.i] === "{" && this.count())) no();
        atom = { t: "rep", x: atom, ...rep };
      }
      xs.push(atom);
    }
    return { t: "cat", xs };
  }

  /** A repetition operator at the cursor (consumed), if any. */
  private repeat(): { min: number; max: number } | undefined {
    const c = this.s[this.i];
    if (c === "*" || c === "+" || c === "?") {
      this.i++;
      return c === "*" ? { min: 0, max: -1 } : c === "+" ? { min: 1, max: -1 } : { min: 0, max: 1 };
    }
    if (c === "{") {
      const m = this.count();
      if (!m) return undefined; // Go reads a `{` that is not a count as a literal
      this.i += m[0].length;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === undefined ? -1 : Number(m[3]);
      if (max !== -1 && max < min) no();
      if (min > MAX_COUNT || max > MAX_COUNT) no();
      return { min, max };
    }
    return undefined;
  }

  private count(): RegExpExecArray | null {
    // Go reads no count with a leading zero (the `{` is then a literal).
    return /^\{(0|[1-9]\d*)(,(0|[1-9]\d*)?)?\}/.exec(this.s.slice(this.i));
  }

  private atom(): Node {
    const c = this.s[this.i]!;
    if (isRepeatOp(c)) no(); // missing argument to a repetition
    if (c === "{" && this.count()) no();
    this.i++;
    if (c === "(") {
      if (this.s[this.i] === "?") {
        if (this.s[this.i + 1] !== ":") no(); // flags, named groups
        this.i += 2;
      }
      const n = this.alt();
      if (this.s[this.i] !== ")") no();
      this.i++;
      return n;
    }
    if (c === "^") return { t: "bol" };
    if (c === "$") return { t: "eol" };
    if (c === ".") return { t: "set", bytes: negate(range(10, 10)) };
    if (c === "[") return { t: "set", bytes: this.cls() };
    if (c === "\\") return { t: "set", bytes: this.escape(true) };
    return { t: "set", bytes: range(c.charCodeAt(0), c.charCodeAt(0)) };
  }

  /** After `\`: one character's set (or a Perl class where `classes` allows it). */
  private escape(classes: boolean): Bytes {
    const c = this.s[this.i];
    if (c === undefined) no();
    this.i++;
    const code = c!.charCodeAt(0);
    if (!isAlnum(code)) return range(code, code);
    if (CONTROL[c!] !== undefined) return range(CONTROL[c!]!, CONTROL[c!]!);
    if (classes && PERL[c!]) return PERL[c!]!;
    return no(); // octal, hex, \A \z \b \B \Q \p \C …
  }

  /** After `[`: the class up to its `]`. */
  private cls(): Bytes {
    let negated = false;
    if (this.s[this.i] === "^") {
      negated = true;
      this.i++;
    }
    let set: Bytes = range(1, 0);
    let first = true;
    while (first || this.s[this.i] !== "]") {
      if (this.i >= this.s.length) no();
      first = false;
      if (this.s[this.i] === "[" && this.s[this.i + 1] === ":") no(); // POSIX classes
      if (this.s[this.i] === "\\" && PERL[this.s[this.i + 1] ?? ""]) {
        this.i++;
        set = union(set, this.escape(true));
        continue;
      }
      const lo = this.classChar();
      let hi = lo;
      if (this.s[this.i] === "-" && this.s[this.i + 1] !== undefined && this.s[this.i + 1] !== "]") {
        this.i++;
        hi = this.classChar();
        if (hi < lo) no();
      }
      set = union(set, range(lo, hi));
    }
    this.i++;
    // Perl's flags let a negated class match a newline (ClassNL).
    return negated ? negate(set) : set;
  }

  private classChar(): number {
    const c = this.s[this.i];
    if (c === undefined) no();
    this.i++;
    if (c !== "\\") return c!.charCodeAt(0);
    const set = this.escape(false);
    return set.indexOf(true);
  }
}

type NfaState = { k: "byte"; set: Bytes; out: number } | { k: "split"; outs: number[] } | { k: "bol" | "eol"; out: number } | { k: "match" };

/** Thompson's construction, built backwards from the continuation. */
function nfaOf(root: Node): { states: NfaState[]; start: number } {
  const states: NfaState[] = [{ k: "match" }];
  const add = (s: NfaState) => {
    if (states.length >= MAX_NFA) no();
    states.push(s);
    return states.length - 1;
  };
  const build = (n: Node, next: number): number => {
    switch (n.t) {
      case "set":
        return add({ k: "byte", set: n.bytes, out: next });
      case "bol":
      case "eol":
        return add({ k: n.t, out: next });
      case "cat":
        for (let i = n.xs.length - 1; i >= 0; i--) next = build(n.xs[i]!, next);
        return next;
      case "alt":
        return add({ k: "split", outs: n.xs.map((x) => build(x, next)) });
      case "rep": {
        if (n.max === -1) {
          const loop = add({ k: "split", outs: [] });
          (states[loop] as { outs: number[] }).outs.push(build(n.x, loop), next);
          next = loop;
        } else for (let k = n.min; k < n.max; k++) next = add({ k: "split", outs: [build(n.x, next), next] });
        for (let k = 0; k < n.min; k++) next = build(n.x, next);
        return next;
      }
    }
  };
  return { states, start: build(root, 0) };
}

/** `regexp.MatchString(pattern, s)` for ASCII `s` as a DFA, or undefined outside the subset. */
export function regexDfa(pattern: string): RegexDfa | undefined {
  if (!/^[\x00-\x7f]*$/.test(pattern)) return undefined;
  let nfa: { states: NfaState[]; start: number };
  try {
    nfa = nfaOf(new Parser(pattern).parse());
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  const { states, start } = nfa;
  /** The states reachable without reading a byte (`$` only at the end, `^` only at the start); byte, `eol` and match states stay. */
  const closure = (from: Iterable<number>, atStart: boolean, atEnd: boolean): number[] => {
    const seen = new Set<number>();
    const out: number[] = [];
    const stack = [...from];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (seen.has(i)) continue;
      seen.add(i);
      const s = states[i]!;
      if (s.k === "split") stack.push(...s.outs);
      else if (s.k === "bol") {
        if (atStart) stack.push(s.out);
      } else if (s.k === "eol") {
        if (atEnd) stack.push(s.out);
        else out.push(i);
      } else out.push(i);
    }
    return out.sort((a, b) => a - b);
  };
  const sets: number[][] = [];
  const ids = new Map<string, number>();
  const initial = closure([start], true, false);
  if (initial.includes(0)) return { next: new Uint8Array(0), atEnd: new Uint8Array(0), always: true };
  sets.push(initial);
  ids.set("I", 0);
  const rows: number[][] = [];
  for (let d = 0; d < sets.length; d++) {
    const row: number[] = [];
    for (let b = 0; b < 128; b++) {
      const moved: number[] = [start];
      for (const i of sets[d]!) {
        const s = states[i]!;
        if (s.k === "byte" && s.set[b]) moved.push(s.out);
      }
      const set = closure(moved, false, false);
      if (set.includes(0)) row.push(MATCHED);
      else if (set.length === 0) row.push(DEAD);
      else {
        const key = set.join(",");
        let id = ids.get(key);
        if (id === undefined) {
          if (sets.length >= MAX_STATES) return undefined;
          id = sets.length;
          sets.push(set);
          ids.set(key, id);
        }
        row.push(id);
      }
    }
    rows.push(row);
  }
  const next = new Uint8Array(sets.length * 128);
  rows.forEach((row, d) => next.set(row, d * 128));
  const atEnd = new Uint8Array(sets.map((set, d) => (closure(set, d === 0, true).includes(0) ? 1 : 0)));
  return { next, atEnd, always: false };
}

/** What the generated function answers for `s`: a boolean, or undefined where it defers to the host. */
export function dfaMatches(dfa: RegexDfa, s: string): boolean | undefined {
  if (dfa.always) return true;
  let state = 0;
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    if (b >= 0x80) return undefined;
    state = dfa.next[state * 128 + b]!;
    if (state === MATCHED) return true;
    if (state === DEAD) return false;
  }
  return dfa.atEnd[state] === 1;
}

const funcs = new WeakMap<GenContext, Map<string, DeclaredFunc | undefined>>();

/**
 * `policyc$regex_match_<n>(v)`: the boolean `regex.match(pattern, v)` for a string `v` of ASCII
 * bytes, else 0 (the caller then asks the host). Undefined when the pattern is outside the subset.
 */
export function regexMatchFunc(ctx: GenContext, pattern: string): DeclaredFunc | undefined {
  let cache = funcs.get(ctx);
  if (!cache) funcs.set(ctx, (cache = new Map()));
  if (cache.has(pattern)) return cache.get(pattern);
  const dfa = regexDfa(pattern);
  let f: DeclaredFunc | undefined;
  if (dfa) {
    f = ctx.linker.declare(`policyc$regex_match_${cache.size}`, { params: [i32], results: [i32] });
    const boolean = ctx.rt("opa_boolean").index;
    const [V, P, N, I, S, B] = [0, 1, 2, 3, 4, 5];
    const c = new Code();
    c.localGet(V).i32Load8U().i32Const(STRING).i32Ne().if().i32Const(0).return().end();
    if (dfa.always) c.i32Const(1).call(boolean);
    else {
      const table = ctx.linker.addData(dfa.next);
      const atEnd = ctx.linker.addData(dfa.atEnd);
      c.localGet(V).i32Load(4).localSet(N);
      c.localGet(V).i32Load(8).localSet(P);
      c.block().loop();
      c.localGet(I).localGet(N).i32LtU().i32Eqz().brIf(1);
      c.localGet(P).localGet(I).i32Add().i32Load8U().localTee(B).i32Const(0x7f).i32GtU().if().i32Const(0).return().end();
      c.localGet(S).i32Const(7).i32Shl().localGet(B).i32Add().i32Load8U(table).localTee(S);
      c.i32Const(MATCHED).i32Eq().if().i32Const(1).call(boolean).return().end();
      c.localGet(S).i32Const(DEAD).i32Eq().if().i32Const(0).call(boolean).return().end();
      c.localGet(I).i32Const(1).i32Add().localSet(I);
      c.br(0).end().end();
      c.localGet(S).i32Load8U(atEnd).call(boolean);
    }
    ctx.linker.define(f, [i32, i32, i32, i32, i32], c);
  }
  cache.set(pattern, f);
  return f;
}
