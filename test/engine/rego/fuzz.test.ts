/**
 * Fuzzing the parser with mutated real templates (fast-check): character and token deletions,
 * insertions, duplications and swaps. The parser must never hang or throw anything but
 * RegoParseError; when a mutant still parses, printing and re-parsing it must give the same AST.
 * 10,000 runs by default (fixed seed for reproducible CI; set REGO_FUZZ_SEED to explore).
 */
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RegoVersion } from "../../../src/engine/rego/ast.js";
import { formatModule, parseModule, RegoParseError, withoutLocations } from "../../../src/engine/rego/index.js";
import { lex } from "../../../src/engine/rego/lexer.js";
import { librarySources } from "./corpus.js";

const RUNS = Number(process.env.REGO_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.REGO_FUZZ_SEED ?? 20261122);

const TOKENS = [
  "{", "}", "[", "]", "(", ")", ",", ";", ":", ":=", "=", "==", "!=", "<", ">=", "|", "&", "+", "-", "*", "/", "%",
  ".", '"', "`", '$"', "$`", "#", "\n", " ", "\\", "_", "x", "1", "0.5e", "01", "-1", "true", "null",
  "not ", "some ", "some x in ", "every x in xs ", "if ", "else ", "else := ", "with input as ", "import ", "package ",
  "default ", "contains ", "in ", "as ", "{x | ", "[x | ", "f(", "data.", "input.", '"\\u00', "set()", "{}", "[]",
];

type Mutation =
  | { kind: "delete"; at: number; len: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "duplicate"; at: number; len: number }
  | { kind: "swap"; at: number; other: number }
  /** Whole-token edits (token boundaries from the lexer of the current text). */
  | { kind: "deleteToken"; at: number }
  | { kind: "duplicateToken"; at: number }
  | { kind: "swapTokens"; at: number; other: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 3 })) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant("deleteToken" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicateToken" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swapTokens" as const), at: fc.nat(), other: fc.nat() }),
);

function tokenEdit(s: string, m: Mutation & { kind: "deleteToken" | "duplicateToken" | "swapTokens" }): string {
  const toks = lex(s).tokens.filter((t) => t.kind !== "eof");
  if (toks.length === 0) return s;
  const a = toks[m.at % toks.length]!;
  switch (m.kind) {
    case "deleteToken": return s.slice(0, a.offset) + s.slice(a.end);
    case "duplicateToken": return s.slice(0, a.end) + " " + a.text + s.slice(a.end);
    case "swapTokens": {
      const b = toks[m.other % toks.length]!;
      const [x, y] = a.offset < b.offset ? [a, b] : [b, a];
      if (x === y || x.end > y.offset) return s;
      return s.slice(0, x.offset) + y.text + s.slice(x.end, y.offset) + x.text + s.slice(y.end);
    }
  }
}

function apply(text: string, muts: Mutation[]): string {
  let s = text;
  for (const m of muts) {
    const at = s.length === 0 ? 0 : m.at % (s.length + 1);
    switch (m.kind) {
      case "delete": s = s.slice(0, at) + s.slice(at + m.len); break;
      case "insert": s = s.slice(0, at) + m.text + s.slice(at); break;
      case "duplicate": s = s.slice(0, at + m.len) + s.slice(at, at + m.len) + s.slice(at + m.len); break;
      case "deleteToken":
      case "duplicateToken":
      case "swapTokens":
        s = tokenEdit(s, m);
        break;
      case "swap": {
        if (s.length < 2) break;
        const a = at % s.length;
        const b = m.other % s.length;
        const [i, j] = a < b ? [a, b] : [b, a];
        if (i !== j) s = s.slice(0, i) + s[j] + s.slice(i + 1, j) + s[i] + s.slice(j + 1);
        break;
      }
    }
  }
  return s;
}

/** Parses; true if it parsed, false on RegoParseError; anything else propagates and fails the property. */
function tryParse(text: string, version: RegoVersion): boolean {
  try {
    const m = parseModule(text, { file: "fuzz.rego", regoVersion: version });
    const out = formatModule(m, { regoVersion: version });
    const again = parseModule(out, { file: "fuzz.rego", regoVersion: version });
    if (!isDeepStrictEqual(withoutLocations(m), withoutLocations(again))) {
      throw new Error(`printed mutant does not round-trip:\n${text}\n---\n${out}`);
    }
    return true;
  } catch (e) {
    if (e instanceof RegoParseError) {
      if (e.diagnostics.length === 0) throw new Error("RegoParseError without diagnostics");
      for (const d of e.diagnostics) {
        if (!/^PC50\d\d$/.test(d.code) || !d.span || d.span.line < 1 || d.span.col < 1) throw new Error(`bad diagnostic ${JSON.stringify(d)}`);
      }
      return false;
    }
    throw e;
  }
}

const library = librarySources();
if (library) {
  const sources = library.templates.flatMap((t) => t.sources.map((s) => s.text));
  test(`mutated library templates: only RegoParseError, never a hang (${RUNS} runs)`, () => {
    let parsed = 0;
    let slowest = 0;
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (i, muts) => {
        const text = apply(sources[i]!, muts);
        // CPU time, not wall time: a loaded CI machine must not make this flaky.
        const t0 = process.cpuUsage();
        if (tryParse(text, i % 2 === 0 ? "v0" : "v1")) parsed++;
        const used = process.cpuUsage(t0);
        slowest = Math.max(slowest, (used.user + used.system) / 1000);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // A hang shows up as one input taking far longer than a whole-library parse.
    assert.ok(slowest < 2000, `slowest mutant took ${slowest.toFixed(0)} ms`);
    // The mutations must exercise both outcomes, or the property tests little.
    assert.ok(parsed > RUNS * 0.05 && parsed < RUNS * 0.95, `parsed ${parsed} of ${RUNS}`);
  });
}

test.run();
