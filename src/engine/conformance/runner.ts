/**
 * Runs OPA's conformance cases in-process and reports per case, per category and in total. Each
 * case's modules and query are compiled into one Wasm module (cached by modules + query), loaded
 * through the SDK with our host built-ins, and evaluated; results are judged as OPA's Wasm runner
 * judges them (see compare.ts and `judge` below). Every skip carries a reason.
 */
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { loadCases, defaultCorpusDir, type ConformanceCase } from "./cases.js";
import { compareResultSets, describeMismatch, type Row } from "./compare.js";
import { inputTermToJson } from "./input-term.js";
import { parseQuery } from "../rego/index.js";
import { classifyCategory, type CategoryKind } from "./categories.js";

export type Status = "pass" | "fail" | "skip";

export interface CaseResult {
  category: string;
  file: string;
  note: string;
  status: Status;
  reason?: string;
  ms: number;
}

export interface Tally {
  pass: number;
  fail: number;
  skip: number;
  total: number;
}

export interface CategoryTally extends Tally {
  category: string;
  kind: CategoryKind;
}

export interface ConformanceReport {
  corpus: string;
  results: CaseResult[];
  categories: CategoryTally[];
  total: Tally;
  ms: number;
}

/** What the runner needs from an engine: compile once, then evaluate with data and input. */
export interface CaseEngine {
  prepare(modules: string[], query: string): { evaluate(data: unknown, input: unknown): Row[] };
}

export interface RunOptions {
  corpusDir?: string;
  /** Only cases whose `category/note` matches. */
  filter?: RegExp;
  engine?: CaseEngine;
  /** Called after each case (progress output). */
  onCase?: (r: CaseResult) => void;
}

export async function runConformance(opts: RunOptions = {}): Promise<ConformanceReport | undefined> {
  const corpus = opts.corpusDir ?? defaultCorpusDir();
  if (!corpus || !existsSync(corpus)) return undefined;
  const engine = opts.engine ?? (await defaultEngine());
  const started = performance.now();
  let cases = loadCases(corpus);
  if (opts.filter) cases = cases.filter((c) => opts.filter!.test(`${c.category}/${c.note}`) || opts.filter!.test(c.file));
  const cache = new Map<string, ReturnType<CaseEngine["prepare"]> | Error>();
  const results: CaseResult[] = [];
  for (const c of cases) {
    const t0 = performance.now();
    const verdict = runCase(c, engine, cache);
    const r: CaseResult = { category: c.category, file: c.file, note: c.note, status: verdict.status, ms: Math.round((performance.now() - t0) * 10) / 10 };
    if (verdict.reason) r.reason = verdict.reason;
    results.push(r);
    opts.onCase?.(r);
  }
  return { corpus, results, ...tallies(results), ms: Math.round(performance.now() - started) };
}

interface Verdict {
  status: Status;
  reason?: string;
}

function runCase(c: ConformanceCase, engine: CaseEngine, cache: Map<string, ReturnType<CaseEngine["prepare"]> | Error>): Verdict {
  // No exception list: the cases OPA's own Wasm runner skips (OPA issues 2445, 3711, 5311) pass
  // here, so every case runs.
  let input: unknown = c.input;
  let query = c.query;
  if (c.inputTerm !== undefined) {
    const t = inputTermToJson(c.inputTerm);
    if (t.ok) input = t.value;
    else {
      // The SDK passes input as JSON only; a set (or non-string key) input is supplied in the
      // query itself with `with input as <term>`, which OPA evaluates identically.
      const rewritten = withInputQuery(c.query, c.inputTerm);
      if (!rewritten) return { status: "skip", reason: `${t.reason}, and the query cannot take it by \`with\`` };
      query = rewritten;
      input = undefined;
    }
  }
  if (!c.wantResult && !c.wantErrorCode && !c.wantError) return { status: "fail", reason: "case has no expectation" };

  const key = JSON.stringify([c.modules, query]);
  let prepared = cache.get(key);
  if (!prepared) {
    try {
      prepared = engine.prepare(c.modules, query);
    } catch (e) {
      prepared = e instanceof Error ? e : new Error(String(e));
    }
    cache.set(key, prepared);
  }
  if (prepared instanceof Error) return { status: "fail", reason: `compile: ${firstLine(prepared.message)}` };

  let rows: Row[] | undefined;
  let error: Error | undefined;
  try {
    rows = prepared.evaluate(c.data ?? {}, input);
  } catch (e) {
    error = e instanceof Error ? e : new Error(typeof e === "string" ? e : JSON.stringify(e));
  }
  return judge(c, rows, error);
}

/** `QUERY with input as TERM` for single-expression queries without their own `with`. */
export function withInputQuery(query: string, term: string): string | undefined {
  let body;
  try {
    body = parseQuery(query, { file: "query", regoVersion: "v1" });
  } catch {
    return undefined;
  }
  if (body.length !== 1 || body[0]!.with.length > 0) return undefined;
  return `${query} with input as ${term}`;
}

/** OPA's Wasm runner rules: strict errors relax to "no result", conflicts must raise, other errors must throw. */
export function judge(c: ConformanceCase, rows: Row[] | undefined, error: Error | undefined): Verdict {
  const wantsError = c.wantErrorCode !== undefined || c.wantError !== undefined;
  if (wantsError && c.strictError) {
    if (error) return { status: "fail", reason: `strict_error case raised instead of being undefined: ${firstLine(error.message)}` };
    // Without strict errors the failing call is undefined; a case that also gives want_result
    // states what the rest of the evaluation yields then.
    if (c.wantResult) {
      const mismatch = compareResultSets(rows ?? [], c.wantResult, { sortBindings: c.sortBindings, ignoreGeneratedVars: c.ignoreGeneratedVars });
      return mismatch ? { status: "fail", reason: `strict_error case (non-strict result): ${describeMismatch(mismatch)}` } : { status: "pass" };
    }
    if (rows && rows.length > 0) return { status: "fail", reason: `strict_error case must be undefined, got ${rows.length} row(s)` };
    return { status: "pass" };
  }
  if (wantsError) {
    if (!error) return { status: "fail", reason: `expected error ${c.wantErrorCode ?? c.wantError}, got ${rows?.length ?? 0} row(s)` };
    if (c.wantErrorCode === "eval_conflict_error" && !isConflict(error)) {
      return { status: "fail", reason: `expected eval_conflict_error, got: ${firstLine(error.message)}` };
    }
    return { status: "pass" };
  }
  if (error) return { status: "fail", reason: `error: ${firstLine(error.message)}` };
  const mismatch = compareResultSets(rows ?? [], c.wantResult ?? [], { sortBindings: c.sortBindings, ignoreGeneratedVars: c.ignoreGeneratedVars });
  if (mismatch) return { status: "fail", reason: describeMismatch(mismatch) };
  return { status: "pass" };
}

const CONFLICT = /var assignment conflict|object insert conflict|must not produce multiple outputs|object keys must be unique|eval_conflict_error/;

function isConflict(e: Error): boolean {
  return CONFLICT.test(e.message) || (e as { code?: string }).code === "eval_conflict_error";
}

function firstLine(s: string): string {
  const l = s.split("\n")[0] ?? "";
  return l.length > 240 ? l.slice(0, 240) + "…" : l;
}

export function tallies(results: CaseResult[]): { categories: CategoryTally[]; total: Tally } {
  const byCat = new Map<string, CategoryTally>();
  const total: Tally = { pass: 0, fail: 0, skip: 0, total: 0 };
  for (const r of results) {
    let t = byCat.get(r.category);
    if (!t) {
      t = { category: r.category, kind: classifyCategory(r.category), pass: 0, fail: 0, skip: 0, total: 0 };
      byCat.set(r.category, t);
    }
    t[r.status]++;
    t.total++;
    total[r.status]++;
    total.total++;
  }
  return { categories: [...byCat.values()].sort((a, b) => (a.category < b.category ? -1 : 1)), total };
}

/** The engine used by `npm run conformance`: policyc's compiler and the SDK. */
export async function defaultEngine(): Promise<CaseEngine> {
  const { policycCaseEngine } = await import("./policyc-engine.js");
  return policycCaseEngine();
}
