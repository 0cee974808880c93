/**
 * Runs a subset of CEL's conformance suite (from @bufbuild/cel-spec) on policyc's CEL engine: the
 * sections Kubernetes admission code relies on (literals, logic, comparisons, lists, macros,
 * strings and the strings extension, integer and floating-point math), restricted to tests that
 * need no bindings, no protobuf message types and no type-check-only result. Used by the tests and
 * the bench; the subset and its pass count are the engine's conformance claim. `macros2`
 * (two-variable comprehensions), `optionals` and `bindings_ext` (`cel.bind`) run through parse.ts's expansion of what
 * @bufbuild/cel 0.6.1 does not parse. Not claimed: protobuf messages, timestamps and durations,
 * and the tests listed in `NOT_CLAIMED`.
 */
import { getConformanceSuite, type IncrementalTestSuite } from "@bufbuild/cel-spec/testdata/tests.js";
import type { Value } from "@bufbuild/cel-spec/cel/expr/value_pb.js";
import { isCelList, isCelMap, type CelValue } from "@bufbuild/cel";
import { compileCel, CelCompileError } from "./index.js";

/** The conformance files in the subset. */
export const CONFORMANCE_FILES = ["basic", "logic", "comparisons", "lists", "macros", "macros2", "optionals", "bindings_ext", "string", "string_ext", "integer_math", "fp_math"] as const;

/** Tests of those files outside the claim, each with the reason. */
export const NOT_CLAIMED: Readonly<Record<string, string>> = {
  "optionals/optionals/type": "`optional_type` as a type value: optionals are a policyc message type on @bufbuild/cel",
  "optionals/optionals/map_optional_select_has":
    "selecting a field of an optional that the syntax does not show (an optional stored in a map): policyc chains optionals where `.?`, `[?]`, `optional.*` or `.or` show them",
};

export interface ConformanceResult {
  name: string;
  expr: string;
  ok: boolean;
  detail?: string;
}

/** A comparable rendering of an expected conformance value (undefined: outside the subset). */
function expected(v: Value): string | undefined {
  const k = v.kind;
  switch (k.case) {
    case "int64Value":
      return `int(${k.value})`;
    case "uint64Value":
      return `uint(${k.value})`;
    case "doubleValue":
      return `double(${Number.isNaN(k.value) ? "NaN" : k.value})`;
    case "stringValue":
      return `string(${JSON.stringify(k.value)})`;
    case "boolValue":
      return `bool(${k.value})`;
    case "nullValue":
      return "null";
    case "bytesValue":
      return `bytes(${[...k.value].join(",")})`;
    case "listValue": {
      const xs = k.value.values.map(expected);
      return xs.some((x) => x === undefined) ? undefined : `[${xs.join(",")}]`;
    }
    case "mapValue": {
      const entries = k.value.entries.map((e) => [e.key && expected(e.key), e.value && expected(e.value)]);
      return entries.some(([a, b]) => a === undefined || b === undefined) ? undefined : `{${entries.map(([a, b]) => `${a}:${b}`).sort().join(",")}}`;
    }
    default:
      return undefined;
  }
}

/** The same rendering of a value the engine produced. */
function actual(v: CelValue): string {
  if (typeof v === "bigint") return `int(${v})`;
  if (typeof v === "number") return `double(${Number.isNaN(v) ? "NaN" : v})`;
  if (typeof v === "string") return `string(${JSON.stringify(v)})`;
  if (typeof v === "boolean") return `bool(${v})`;
  if (v === null) return "null";
  if (v instanceof Uint8Array) return `bytes(${[...v].join(",")})`;
  if (isCelList(v)) return `[${[...v].map(actual).join(",")}]`;
  if (isCelMap(v)) return `{${[...v].map(([k, x]) => `${actual(k as CelValue)}:${actual(x)}`).sort().join(",")}}`;
  if (typeof v === "object" && "value" in v && typeof (v as { value: unknown }).value === "bigint") return `uint(${(v as { value: bigint }).value})`;
  return `other(${String(v)})`;
}

function* tests(suite: IncrementalTestSuite, prefix: string): Generator<[string, IncrementalTestSuite["tests"][number]]> {
  for (const t of suite.tests) yield [`${prefix}/${t.name}`, t];
  for (const s of suite.suites) yield* tests(s, `${prefix}/${s.name}`);
}

/** Runs the subset; each result says whether the engine gave the expected value or error. */
export function runConformanceSubset(): ConformanceResult[] {
  const root = getConformanceSuite();
  const out: ConformanceResult[] = [];
  for (const file of root.suites.filter((s) => (CONFORMANCE_FILES as readonly string[]).includes(s.name))) {
    for (const [name, t] of tests(file, file.name)) {
      const o = t.original;
      if (Object.keys(o.bindings).length > 0 || o.container !== "" || o.checkOnly || o.typeEnv.length > 0 || name in NOT_CLAIMED) continue;
      const m = o.resultMatcher;
      let want: string | undefined;
      if (m.case === "value") want = expected(m.value);
      else if (m.case === "evalError") want = "error";
      else if (m.case === undefined) want = "bool(true)";
      if (want === undefined) continue;
      let got: string;
      try {
        const r = compileCel(o.expr).eval({});
        got = "error" in r ? "error" : actual(r.value);
      } catch (e) {
        if (!(e instanceof CelCompileError)) throw e;
        got = "error";
      }
      out.push({ name, expr: o.expr, ok: got === want, ...(got === want ? {} : { detail: `want ${want}, got ${got}` }) });
    }
  }
  return out;
}
