/**
 * Loads OPA's conformance cases (`../shared/corpora/opa-conformance/v1/<category>/<file>.yaml`)
 * into plain records. Integers are read as BigInt so expected results beyond 2^53 stay exact (the
 * runner reads actual results exactly too); `data` and `input` get JS numbers for the SDK.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

export interface ConformanceCase {
  category: string;
  /** Path relative to the corpus root, e.g. `aggregates/test-aggregates-0002.yaml`. */
  file: string;
  note: string;
  query: string;
  modules: string[];
  data?: unknown;
  input?: unknown;
  inputTerm?: string;
  wantResult?: Record<string, unknown>[];
  wantErrorCode?: string;
  wantError?: string;
  strictError: boolean;
  sortBindings: boolean;
  ignoreGeneratedVars: boolean;
}

/** The package root (the folder holding package.json), found from this file. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** `../shared/corpora/opa-conformance/v1` beside the package root, or undefined when absent. */
export function defaultCorpusDir(): string | undefined {
  const dir = path.resolve(packageRoot(), "..", "shared", "corpora", "opa-conformance", "v1");
  return existsSync(dir) ? dir : undefined;
}

export function loadCases(corpusDir: string): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const category of readdirSync(corpusDir).sort()) {
    const catDir = path.join(corpusDir, category);
    let files: string[];
    try {
      files = readdirSync(catDir).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"));
    } catch {
      continue;
    }
    for (const f of files.sort()) {
      const rel = `${category}/${f}`;
      const doc = YAML.parse(readFileSync(path.join(catDir, f), "utf8"), { intAsBigInt: true }) as { cases?: Record<string, unknown>[] } | null;
      for (const c of doc?.cases ?? []) out.push(toCase(category, rel, c));
    }
  }
  return out;
}

function toCase(category: string, file: string, c: Record<string, unknown>): ConformanceCase {
  const r: ConformanceCase = {
    category,
    file,
    note: String(c.note ?? ""),
    query: String(c.query ?? ""),
    modules: Array.isArray(c.modules) ? c.modules.map(String) : [],
    strictError: c.strict_error === true,
    sortBindings: c.sort_bindings === true,
    ignoreGeneratedVars: c.ignore_generated_vars === true,
  };
  if ("data" in c) r.data = toNumbers(c.data);
  if ("input" in c) r.input = toNumbers(c.input);
  if (typeof c.input_term === "string") r.inputTerm = c.input_term;
  if (Array.isArray(c.want_result)) r.wantResult = c.want_result as Record<string, unknown>[];
  if (typeof c.want_error_code === "string") r.wantErrorCode = c.want_error_code;
  if (typeof c.want_error === "string") r.wantError = c.want_error;
  return r;
}

/** BigInt → number everywhere in a document (for values handed to the SDK as JSON). */
function toNumbers(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(toNumbers);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: toNumbers(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}
