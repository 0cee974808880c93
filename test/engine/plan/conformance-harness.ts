/**
 * TEST-ONLY: runs OPA conformance cases through parser → compiler → planner → the reference IR
 * interpreter, so the planner is measured before the Wasm back end exists. A case whose plan
 * needs a built-in the interpreter lacks is "skipped" with that reason; anything else that does
 * not match the expected result or error is "failed".
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { parseModule, parseQuery, parseTerm } from "../../../src/engine/rego/index.js";
import { compileModules } from "../../../src/engine/compiler/index.js";
import { planPolicy } from "../../../src/engine/plan/planner.js";
import type { Term } from "../../../src/engine/rego/ast.js";
import { EvalError, compare, Interpreter, RObj, RSet, Unsupported, fromJSON, keyOf, type Value } from "./ir-interpreter.js";

export interface Case {
  note: string;
  query: string;
  modules?: string[];
  data?: unknown;
  input?: unknown;
  input_term?: string;
  want_result?: Record<string, unknown>[];
  want_error_code?: string;
  want_error?: string;
  strict_error?: boolean;
  sort_bindings?: boolean;
}

export type Outcome = { status: "pass" } | { status: "fail"; reason: string } | { status: "skip"; reason: string };

export function loadCases(root: string, filter?: (category: string) => boolean): { category: string; c: Case }[] {
  const out: { category: string; c: Case }[] = [];
  for (const cat of readdirSync(root).sort()) {
    if (filter && !filter(cat)) continue;
    const dir = path.join(root, cat);
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith(".yaml")) continue;
      const doc = parseYaml(readFileSync(path.join(dir, f), "utf8"), { intAsBigInt: false }) as { cases: Case[] };
      for (const c of doc.cases ?? []) out.push({ category: cat, c });
    }
  }
  return out;
}

function termValue(t: Term): Value {
  switch (t.type) {
    case "null": return null;
    case "boolean": return t.value;
    case "number": return Number(t.value);
    case "string": return t.value;
    case "array": return t.items.map(termValue);
    case "set": { const s = new RSet(); t.items.forEach((x) => s.add(termValue(x))); return s; }
    case "object": { const o = new RObj(); t.items.forEach(([k, v]) => o.set(termValue(k), termValue(v))); return o; }
    default: throw new Unsupported(`input_term ${t.type}`);
  }
}

function normalize(rows: unknown[], sort: boolean): string[] {
  return rows
    .map((r) => {
      const row = fromJSON(r) as RObj;
      if (sort && row instanceof RObj) {
        for (const [k, [kk, v]] of row.m) if (Array.isArray(v)) row.m.set(k, [kk, [...v].sort(compare)]);
      }
      return keyOf(row);
    })
    .sort();
}

export function runCase(c: Case): Outcome {
  let policy;
  try {
    const modules = (c.modules ?? []).map((m, i) => parseModule(m, { file: `test-${i}.rego`, regoVersion: "v1" }));
    const compiled = compileModules(modules);
    const query = parseQuery(c.query, { file: "query.rego", regoVersion: "v1" });
    policy = planPolicy(compiled, { entrypoints: [], queries: [{ name: "eval", query }] });
  } catch (e) {
    return { status: "fail", reason: `compile: ${(e as Error).message.split("\n")[0]}` };
  }
  let input: Value | undefined;
  try {
    input = c.input_term !== undefined ? termValue(parseTerm(c.input_term, { file: "input", regoVersion: "v1" })) : c.input === undefined ? undefined : fromJSON(c.input);
  } catch (e) {
    return { status: "skip", reason: `input_term: ${(e as Error).message}` };
  }
  const data = fromJSON(c.data ?? {});
  const wantsError = c.want_error_code !== undefined || c.want_error !== undefined;
  let rows: unknown[];
  try {
    rows = new Interpreter(policy).eval("eval", input, data);
  } catch (e) {
    if (e instanceof Unsupported) return { status: "skip", reason: `needs ${e.message}` };
    if (e instanceof EvalError) {
      if (wantsError && !c.strict_error) return { status: "pass" };
      return { status: "fail", reason: `error ${e.code}: ${e.message}` };
    }
    return { status: "fail", reason: `crash: ${(e as Error).stack?.split("\n").slice(0, 3).join(" ")}` };
  }
  // OPA's Wasm runner: strict-error cases must be undefined instead (no strict built-in errors).
  // A case with both a result and a strict error: without strict errors, the result stands.
  if (wantsError && c.strict_error && c.want_result === undefined) return rows.length === 0 ? { status: "pass" } : { status: "fail", reason: `expected undefined (strict error case), got ${JSON.stringify(rows)}` };
  if (wantsError && c.want_result === undefined) return { status: "fail", reason: `expected error ${c.want_error_code ?? c.want_error}, got ${JSON.stringify(rows)}` };
  const want = normalize(c.want_result ?? [], false);
  const got = normalize(rows, !!c.sort_bindings);
  if (JSON.stringify(want) === JSON.stringify(got)) return { status: "pass" };
  return { status: "fail", reason: `want ${JSON.stringify(c.want_result)} got ${JSON.stringify(rows)}` };
}

/** Core-language categories (not built-in families): the planner must get these exactly right. */
export const CORE_CATEGORIES = [
  "assignments", "baseandvirtualdocs", "completedoc", "compositebasedereference", "compositereferences",
  "comprehensions", "containskeyword", "dataderef", "defaultkeyword", "disjunction", "elsekeyword",
  "embeddedvirtualdoc", "eqexpr", "evaltermexpr", "every", "example", "fix1863", "functionerrors",
  "functions", "helloworld", "indexing", "indirectreferences", "inputvalues", "invalidkeyerror",
  "negation", "nestedreferences", "partialdocconstants", "partialiter", "partialobjectdoc",
  "partialsetdoc", "refheads", "undos", "varreferences", "virtualdocs", "withkeyword",
  "topdowndynamicdispatch", "keywordrefs", "planner-ir",
];
