/**
 * `regex.globs_match(a, b)`: whether two restricted regexes (literals, `.`, character classes,
 * each optionally followed by `*` or `+`) match at least one common string. Each pattern becomes a
 * token list; a search over pairs of positions decides whether the intersection is non-empty.
 */

interface CharSet {
  any: boolean;
  negate: boolean;
  ranges: [number, number][];
}

interface Token {
  set: CharSet;
  /** "1" exactly once, "*" any number, "+" at least once. */
  rep: "1" | "*" | "+";
}

class GlobsError extends Error {}

function parse(p: string): Token[] {
  const cps = Array.from(p).map((c) => c.codePointAt(0)!);
  const out: Token[] = [];
  let i = 0;
  const err = (pos: number, msg: string) => new GlobsError(`input:${p}, pos:${pos}, ${msg}: the input provided is invalid`);
  while (i < cps.length) {
    const c = cps[i]!;
    let set: CharSet;
    if (c === 0x2e /* . */) {
      set = { any: true, negate: false, ranges: [] };
      i++;
    } else if (c === 0x5b /* [ */) {
      i++;
      const ranges: [number, number][] = [];
      let negate = false;
      if (cps[i] === 0x5e) {
        negate = true;
        i++;
      }
      let closed = false;
      while (i < cps.length) {
        let a = cps[i]!;
        if (a === 0x5d) {
          closed = true;
          i++;
          break;
        }
        if (a === 0x5c) {
          i++;
          a = cps[i]!;
        }
        i++;
        let b = a;
        if (cps[i] === 0x2d && cps[i + 1] !== undefined && cps[i + 1] !== 0x5d) {
          b = cps[i + 1]!;
          i += 2;
          if (b === 0x5c) {
            b = cps[i]!;
            i++;
          }
        }
        ranges.push([a, b]);
      }
      if (!closed) throw err(i, "set-open '[' with no closing ']'");
      set = { any: false, negate, ranges };
    } else if (c === 0x5d) {
      throw err(i + 1, "set-close ']' with no preceding '['");
    } else if (c === 0x2a || c === 0x2b) {
      throw err(i + 1, "quantifier with nothing to repeat");
    } else {
      let lit = c;
      if (c === 0x5c) {
        i++;
        if (i >= cps.length) throw err(i, "trailing backslash");
        lit = cps[i]!;
      }
      i++;
      set = { any: false, negate: false, ranges: [[lit, lit]] };
    }
    let rep: Token["rep"] = "1";
    if (cps[i] === 0x2a) {
      rep = "*";
      i++;
    } else if (cps[i] === 0x2b) {
      rep = "+";
      i++;
    }
    out.push({ set, rep });
  }
  return out;
}

function member(s: CharSet, c: number): boolean {
  if (s.any) return true;
  const inside = s.ranges.some(([a, b]) => c >= a && c <= b);
  return s.negate ? !inside : inside;
}

function intersects(a: CharSet, b: CharSet): boolean {
  const cands = new Set<number>([0, 0x61, 0x10ffff]);
  for (const s of [a, b]) for (const [lo, hi] of s.ranges) for (const x of [lo - 1, lo, hi, hi + 1]) if (x >= 0) cands.add(x);
  for (const c of cands) if (member(a, c) && member(b, c)) return true;
  return false;
}

/** Expands `+` into a mandatory token followed by a starred one. */
function normalize(ts: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of ts) {
    if (t.rep === "+") out.push({ set: t.set, rep: "1" }, { set: t.set, rep: "*" });
    else out.push(t);
  }
  return out;
}

export function globsMatch(a: string, b: string): boolean {
  const x = normalize(parse(a));
  const y = normalize(parse(b));
  // States (i, j): the next unconsumed token of each pattern. Starred tokens may be skipped or
  // consume a character and stay.
  const seen = new Set<string>();
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const key = `${i},${j}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === x.length && j === y.length) return true;
    if (i < x.length && x[i]!.rep === "*") stack.push([i + 1, j]);
    if (j < y.length && y[j]!.rep === "*") stack.push([i, j + 1]);
    if (i < x.length && j < y.length && intersects(x[i]!.set, y[j]!.set)) {
      const ni = x[i]!.rep === "*" ? i : i + 1;
      const nj = y[j]!.rep === "*" ? j : j + 1;
      stack.push([ni, nj]);
      if (x[i]!.rep === "*" && y[j]!.rep === "*") stack.push([i + 1, j + 1]);
    }
  }
  return false;
}
