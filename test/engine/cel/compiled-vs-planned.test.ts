/**
 * The compiled CEL evaluator (src/engine/cel/compile.ts) against @bufbuild/cel's planner
 * (`compileCelPlanned`) as the oracle: generated expressions over generated JSON objects, and every
 * expression of CEL's conformance suite, must give the same value (with its CEL type: int, uint and
 * double apart) or the same error message on both. One difference is deliberate and tested on its
 * own: `has()` and `in` on a JSON object's key whose value is null (present, as CEL says; the
 * planner's maps miss such keys), so the generated objects hold no nulls.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { getConformanceSuite, type IncrementalTestSuite } from "@bufbuild/cel-spec/testdata/tests.js";
import { isCelList, isCelMap, isCelType, isCelUint, type CelValue } from "@bufbuild/cel";
import { compileCel, compileCelPlanned, CelCompileError, toCel, type CelOutcome } from "../../../src/engine/cel/index.js";

/** A rendering that tells CEL's types apart (and sorts map entries). */
function show(v: CelValue): string {
  if (typeof v === "bigint") return `int(${v})`;
  if (typeof v === "number") return `double(${Object.is(v, -0) ? "-0" : String(v)})`;
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean" || v === null) return String(v);
  if (v instanceof Uint8Array) return `b[${[...v].join(",")}]`;
  if (isCelUint(v)) return `uint(${v.value})`;
  if (isCelList(v)) return `[${[...v].map(show).join(",")}]`;
  if (isCelMap(v)) return `{${[...v].map(([k, x]) => `${show(k as CelValue)}:${show(x)}`).sort().join(",")}}`;
  if (isCelType(v)) return `type(${v.name})`;
  const m = v as { desc?: { typeName: string }; message?: { value?: unknown } };
  if (m.desc && m.message) return `${m.desc.typeName}(${JSON.stringify(m.message.value ?? null)})`;
  return `?${String(v)}`;
}

function outcome(run: () => CelOutcome): string {
  try {
    const r = run();
    return "error" in r ? `error: ${r.error}` : show(r.value);
  } catch (e) {
    if (e instanceof CelCompileError) return "compile error";
    throw e;
  }
}

function both(source: string, bindings: Record<string, unknown> = {}): [string, string] {
  const b = Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, toCel(v)]));
  let compiled: string;
  let planned: string;
  try {
    const c = compileCel(source);
    compiled = outcome(() => c.eval(b));
  } catch (e) {
    if (!(e instanceof CelCompileError)) throw e;
    compiled = "compile error";
  }
  try {
    const p = compileCelPlanned(source);
    // The planner reads the same bindings, converted its own (eager) way.
    planned = outcome(() => p.eval(b));
  } catch (e) {
    if (!(e instanceof CelCompileError)) throw e;
    planned = "compile error";
  }
  return [compiled, planned];
}

// ---------------------------------------------------------------- generated programs

const KEYS = ["a", "b", "items", "name"] as const;
const key = fc.constantFrom(...KEYS);

const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; obj: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom(1.5, -0.25, 2.0e10),
    fc.constantFrom("", "a", "ab", "b-1", "A"),
    fc.boolean(),
    fc.array(tie("value"), { maxLength: 3 }),
    tie("obj"),
  ),
  obj: fc.dictionary(key, tie("value"), { maxKeys: 3 }),
})).obj;

const literal = fc.constantFrom("0", "1", "-2", "3u", "1.5", "0.0", "'a'", "''", "'b-1'", "true", "false", "null", "[]", "{}", "9223372036854775807", "b'ab'");

const expr: fc.Arbitrary<string> = fc.letrec<{ e: string; path: string }>((tie) => ({
  path: fc.oneof(
    { maxDepth: 4 },
    fc.constantFrom("object", "object.a", "object.items", "params.spec.parameters", "params.spec.parameters.a", "x", "y"),
    fc.tuple(tie("path"), key).map(([p, k]) => `${p}.${k}`),
    fc.tuple(tie("path"), fc.constantFrom("0", "1", "-1", "'a'", "1u", "true")).map(([p, i]) => `${p}[${i}]`),
  ),
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true, maxDepth: 4 },
    { arbitrary: literal, weight: 4 },
    { arbitrary: tie("path"), weight: 6 },
    { arbitrary: fc.tuple(tie("path"), key).map(([p, k]) => `has(${p}.${k})`), weight: 3 },
    fc.tuple(fc.constantFrom("!", "-", "size", "string", "int", "double", "type", "dyn"), tie("e")).map(([f, a]) => (f.length === 1 ? `${f}(${a})` : `${f}(${a})`)),
    fc.tuple(tie("e"), fc.constantFrom("==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "in", "&&", "||"), tie("e")).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc.tuple(tie("e"), fc.constantFrom("all", "exists", "exists_one", "map", "filter"), tie("e")).map(([r, m, b]) => `${r}.${m}(x, ${b})`),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([r, f, b]) => `${r}.map(x, ${f}, ${b})`),
    fc.tuple(tie("e"), fc.constantFrom("all", "exists", "existsOne", "transformList", "transformMap"), tie("e")).map(([r, m, b]) => `${r}.${m}(x, y, ${b})`),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => `cel.bind(y, ${a}, ${b})`),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => `[${a}, ${b}]`),
    fc.tuple(tie("e"), tie("e")).map(([k, v]) => `{${k}: ${v}}`),
    fc.tuple(tie("e"), tie("e")).map(([a, i]) => `${a}[${i}]`),
    fc.tuple(tie("e"), key).map(([a, k]) => `${a}.${k}`),
    fc.tuple(tie("e"), key).map(([a, k]) => `${a}.?${k}.orValue(0)`),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => `optional.of(${a}).orValue(${b})`),
    fc.tuple(tie("e"), fc.constantFrom("startsWith('a')", "endsWith('b')", "contains('b')", "matches('^a')", "lowerAscii()", "size()", "join(',')", "split('-')", "sum()", "isSorted()")).map(([a, m]) => `${a}.${m}`),
  ),
})).e;

/**
 * Where the planner's error message is its own internal one: an error in a map literal's key becomes
 * "unsupported key type" (the compiled evaluator keeps the key's error, as cel-go does), and a list
 * indexed by a non-integral double fails inside @bufbuild/cel's list.
 */
function plannerQuirk(compiled: string, planned: string): boolean {
  return compiled.startsWith("error: ") && (planned === "error: unsupported key type" || planned === "error: unsupported input undefined");
}

test("compiled and planned CEL agree on generated expressions over generated objects", () => {
  const outcomes = [0, 0];
  fc.assert(
    fc.property(expr, json, json, (source, object, parameters) => {
      const [compiled, planned] = both(source, { object, params: { spec: { parameters } } });
      outcomes[compiled.startsWith("error") ? 1 : 0]++;
      if (compiled !== planned && !plannerQuirk(compiled, planned)) throw new Error(`${source}\n  object: ${JSON.stringify(object)}\n  params: ${JSON.stringify(parameters)}\n  compiled: ${compiled}\n  planned:  ${planned}`);
    }),
    { numRuns: 2000, seed: 20261207 },
  );
  console.log(`  compiled vs planned: ${outcomes[0] + outcomes[1]} generated expressions agree (${outcomes[0]} values, ${outcomes[1]} errors)`);
  // The generator must reach values, not only errors.
  assert.ok(outcomes[0] > 500, `${outcomes[0]} values, ${outcomes[1]} errors`);
});

test("compiled and planned CEL agree on every expression of CEL's conformance suite", () => {
  const differ: string[] = [];
  let n = 0;
  const walk = function* (s: IncrementalTestSuite): Generator<IncrementalTestSuite["tests"][number]> {
    for (const t of s.tests) yield t;
    for (const x of s.suites) yield* walk(x);
  };
  for (const file of getConformanceSuite().suites) {
    for (const t of walk(file)) {
      const o = t.original;
      if (Object.keys(o.bindings).length > 0) continue;
      const [compiled, planned] = both(o.expr);
      n++;
      // An out-of-range double index is an error on both; the planner's message is an internal one.
      if (compiled !== planned && !plannerQuirk(compiled, planned)) differ.push(`${o.expr}: ${compiled} vs ${planned}`);
    }
  }
  assert.ok(n > 2000, `${n} expressions`);
  assert.equal(differ, []);
});

test("a JSON key with a null value is present to has() and in (as CEL says)", () => {
  const object = { spec: { a: null } };
  const run = (s: string) => outcome(() => compileCel(s).eval({ object: toCel(object) }));
  assert.is(run("has(object.spec.a)"), "true");
  assert.is(run("'a' in object.spec"), "true");
  assert.is(run("object.spec.a == null"), "true");
  assert.is(run("has(object.spec.b)"), "false");
  assert.is(run("size(object.spec)"), "int(1)");
});
test.run();
