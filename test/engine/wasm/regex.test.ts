/**
 * The Wasm fast path of `regex.match` with a constant pattern must answer exactly what the host
 * (RE2 with Go's semantics) answers: the compiled DFA is compared with the host on random patterns
 * of the subset and random ASCII text, and the generated module with the host path (the same
 * pattern read from input) on strings that include non-ASCII text and non-strings.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { compile, loadModule } from "../../../src/engine/index.js";
import { dfaMatches, regexDfa } from "../../../src/engine/wasm/codegen/regex.js";
import { compileRegex } from "../../../src/engine/builtins/regex.js";
import { hostBuiltins } from "../../../src/engine/builtins/index.js";

const host = (p: string, s: string) => compileRegex(p).matcher(s).find();

// Patterns of the Gatekeeper library and common policy shapes.
const REAL = [
  "^[0-9]+(\\.[0-9]+)?$",
  "@[a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+",
  "^(extensions|networking.k8s.io)/",
  "^(extensions|networking.k8s.io)/.+$",
  "^(extensions|networking.k8s.io)$",
  "^[0-9]+[.][0-9]+$",
  "^[0-9]+$",
  "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
  "^https?://",
  ":latest$",
  "[^:]+$",
  "\\d{1,3}\\.\\d{1,3}",
  "a{2,}b{0,1}c{3}",
  "x{01}",
  "[]a-]+",
  "[^\\]]",
  "\\w+\\s*=\\s*\\S+",
  "a*?b+?c??",
  "",
  "|",
  "()",
  "$^",
  "^$",
  "a^b",
  "a$b",
  "\\.\\*\\_\\ ",
  "[\\t\\n]",
];

test("the subset is recognised; anything else is left to the host", () => {
  for (const p of REAL) assert.ok(regexDfa(p), p);
  for (const p of ["(?i)abc", "\\bword", "é+", "\\x41", "\\pL", "[[:alpha:]]", "a**", "a*{2}", "*a", "(a", "a)", "[a", "\\", "a{2000}", "(?P<n>x)", "^*", "[z-a]"]) {
    assert.is(regexDfa(p), undefined, p);
  }
});

const ascii = fc.string({ unit: fc.constantFrom(..."abcxyz019.-_:/@ \n\t[]{}|^$*+?\\".split("")), maxLength: 12 });

/** Random patterns of the subset's constructs (some of them invalid, which must be refused). */
const piece: fc.Arbitrary<string> = fc.letrec<{ p: string; atom: string }>((tie) => ({
  atom: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom("a", "b", "x", "0", ".", "\\.", "\\d", "\\w", "\\s", "\\S", "[a-c]", "[^ab]", "[0-9.]", "[-a]", "[a-]", "^", "$", "-", ":", "@", "/", "\\n", "{", "}", "]"),
    tie("p").map((p) => `(${p})`),
    tie("p").map((p) => `(?:${p})`),
  ),
  p: fc
    .array(
      fc.tuple(tie("atom"), fc.constantFrom("", "", "", "*", "+", "?", "*?", "+?", "{2}", "{1,3}", "{0,}", "{,2}")).map(([a, q]) => a + q),
      { maxLength: 4 },
    )
    .chain((xs) => fc.constantFrom(xs.join(""), xs.join("|"))),
})).p;

test("the DFA answers what RE2 answers on ASCII text", () => {
  let compiled = 0;
  fc.assert(
    fc.property(piece, fc.array(ascii, { minLength: 1, maxLength: 8 }), (p, texts) => {
      const dfa = regexDfa(p);
      if (!dfa) return;
      compiled++;
      for (const s of texts) assert.is(dfaMatches(dfa, s), host(p, s), `${JSON.stringify(p)} on ${JSON.stringify(s)}`);
    }),
    { numRuns: 3000, seed: 11 },
  );
  assert.ok(compiled > 1500, `only ${compiled} patterns compiled`);
  for (const p of REAL) {
    const dfa = regexDfa(p)!;
    for (const s of ["", "1", "1.5", "1.", "nginx@sha256:abc", "a@b:c", "extensions/v1beta1", "networking.k8s.io", "networking.k8s.io/v1", "networkingxk8s.io/", "my-app.example", "-x", "https://x", "img:latest", "aab", "aaabccc", "x{01}", "]", "a]-", "a = b", "\t", "\n", "a\nb", "_ .*"]) {
      assert.is(dfaMatches(dfa, s), host(p, s), `${JSON.stringify(p)} on ${JSON.stringify(s)}`);
    }
  }
});

test("the generated module answers what the host answers, and calls the host only for non-ASCII text", () => {
  const real = hostBuiltins()["policyc.regex.match"]!;
  let hostCalls = 0;
  const rules = REAL.map((p, i) => `fast${i} := regex.match(${JSON.stringify(p)}, input.s)\nslow${i} := regex.match(input.p[${i}], input.s)\n`).join("");
  const entrypoints = REAL.flatMap((_, i) => [`r/fast${i}`, `r/slow${i}`]);
  const m = loadModule(compile({ modules: [{ file: "r.rego", text: `package r\n\n${rules}` }], entrypoints }), {
    builtins: { "policyc.regex.match": (...args: unknown[]) => (hostCalls++, real(...args)) },
  });
  for (const s of ["", "1.5", "nginx@sha256:abc", "networking.k8s.io/v1", "é1.5", "1.5é", "a\u0000b", 7, null, ["x"]]) {
    for (let i = 0; i < REAL.length; i++) {
      const before = hostCalls;
      const fast = m.evaluateJsonText({ p: REAL, s }, `r/fast${i}`);
      const fastCalls = hostCalls - before;
      assert.is(fast, m.evaluateJsonText({ p: REAL, s }, `r/slow${i}`), `${REAL[i]} on ${JSON.stringify(s)}`);
      if (typeof s === "string" && /^[\x00-\x7f]*$/.test(s)) assert.is(fastCalls, 0, `${REAL[i]} on ${JSON.stringify(s)} called the host`);
    }
  }
});

test.run();
