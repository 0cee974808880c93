/**
 * The Rego fuzzer: mutated real programs (OPA's conformance modules, the Gatekeeper library's
 * Rego) through the whole engine — parse, compile, plan, Wasm, instantiate, evaluate — sorted into
 * outcome classes. Rejections with diagnostics and evaluation limits are expected outcomes; an
 * exception that is not a diagnostic, a stack overflow, an invalid Wasm module or a Wasm trap is
 * a crash. Program i of a run is a pure function of (seed, i), so every crash reproduces.
 * Used by `npm run fuzz` (cli.ts) and, bounded, by the test suite.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { DiagnosticError } from "../../diagnostics/index.js";
import { compile, loadModule } from "../index.js";
import { EvalError } from "../runner/errors.js";
import { loadCases } from "../conformance/cases.js";

export interface Seed {
  origin: string;
  modules: string[];
  query: string;
  input?: unknown;
  data?: unknown;
}

export type Outcome =
  | "evaluated"
  | "diagnostic"
  | "limit"
  | "eval-error"
  | "crash:exception"
  | "crash:stack-overflow"
  | "crash:invalid-wasm"
  | "crash:trap";

export interface Program extends Seed {
  index: number;
  mutations: string[];
}

export interface Result {
  program: Program;
  outcome: Outcome;
  detail?: string;
}

/** Conformance cases (v1) and Gatekeeper library templates with their libs, when present. */
export function loadSeeds(conformanceDir: string | undefined, libraryDir: string | undefined): Seed[] {
  const seeds: Seed[] = [];
  if (conformanceDir && existsSync(conformanceDir)) {
    for (const c of loadCases(conformanceDir)) {
      if (c.modules.length === 0) continue;
      seeds.push({ origin: c.file, modules: c.modules, query: c.query, input: toPlain(c.input), data: toPlain(c.data) });
    }
  }
  if (libraryDir && existsSync(libraryDir)) {
    for (const file of templates(libraryDir)) {
      let doc: { spec?: { targets?: { rego?: string; libs?: string[] }[] } } | undefined;
      try {
        doc = YAML.parse(readFileSync(file, "utf8")) as typeof doc;
      } catch {
        continue; // a template the YAML parser rejects is no seed
      }
      const t = doc?.spec?.targets?.[0];
      if (!t?.rego) continue;
      seeds.push({ origin: path.relative(libraryDir, file), modules: [t.rego, ...(t.libs ?? [])], query: "x := data", input: { review: {}, parameters: {} } });
    }
  }
  return seeds;
}

function templates(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) templates(p, out);
    else if (f === "template.yaml") out.push(p);
  }
  return out;
}

/** The cases keep big integers as BigInt; the SDK takes JSON values. */
function toPlain(v: unknown): unknown {
  if (v === undefined) return undefined;
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? Number(x) : x)));
}

/** mulberry32: small, fast, and the same on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  "{", "}", "[", "]", "(", ")", ",", ";", ":", ":=", "=", "==", "!=", "<", ">=", "|", "&", "+", "-", "*", "/", "%",
  ".", '"', "`", "_", "x", "1", "0.5", "-1", "1e400", "true", "null", "input", "data", "not ", "some ", "some x in ",
  "every x in input ", "if ", "else ", "else := 1 ", "with input as 1 ", "default ", "contains ", "in ", "{x | ",
  "[x | ", "f(", "data.", "input.", "set()", "{}", "[]", "count(", "walk(", "sprintf(", "bits.lsh(", "[_]", "[x]",
];

/** One edit of a module's text; returns the new text and a short description. */
function mutate(text: string, rnd: () => number): [string, string] {
  const pick = (n: number) => Math.floor(rnd() * n);
  const lines = text.split("\n");
  const at = pick(text.length + 1);
  switch (pick(9)) {
    case 0: {
      const i = pick(lines.length);
      lines.splice(i, 1);
      return [lines.join("\n"), `drop line ${i + 1}`];
    }
    case 1: {
      const i = pick(lines.length);
      lines.splice(i, 0, lines[i]!);
      return [lines.join("\n"), `duplicate line ${i + 1}`];
    }
    case 2: {
      const i = pick(lines.length);
      const j = pick(lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return [lines.join("\n"), `swap lines ${i + 1} and ${j + 1}`];
    }
    case 3: {
      const tok = TOKENS[pick(TOKENS.length)]!;
      return [text.slice(0, at) + tok + text.slice(at), `insert ${JSON.stringify(tok)} at ${at}`];
    }
    case 4: {
      const len = 1 + pick(8);
      return [text.slice(0, at) + text.slice(at + len), `delete ${len} at ${at}`];
    }
    case 5: {
      // Amplify: a span repeated many times (long chains, deep nesting, huge literals).
      const len = 1 + pick(24);
      const times = 2 + pick(300);
      return [text.slice(0, at) + text.slice(at, at + len).repeat(times) + text.slice(at), `repeat ${len} chars at ${at} ×${times}`];
    }
    case 6: {
      const from = pick(text.length + 1);
      const len = 1 + pick(40);
      return [text.slice(0, at) + text.slice(from, from + len) + text.slice(at), `copy ${len} from ${from} to ${at}`];
    }
    case 7: {
      // A number or string literal replaced by an extreme one.
      const extreme = ["0", "-0", "1e308", "1e-400", "123456789012345678901234567890", '""', '"\\u0000"', "[]", "{}", "null"][pick(10)]!;
      const m = [...text.matchAll(/-?\d+(\.\d+)?|"(?:[^"\\\n]|\\.)*"/g)];
      if (m.length === 0) return [text, "no literal"];
      const hit = m[pick(m.length)]!;
      return [text.slice(0, hit.index) + extreme + text.slice(hit.index! + hit[0].length), `literal at ${hit.index} → ${extreme}`];
    }
    default: {
      const i = pick(lines.length);
      return [lines.slice(0, i).join("\n"), `truncate at line ${i + 1}`];
    }
  }
}

/** Program `index` of a run with `seed`: a seed program with 1–3 edits of one of its modules. */
export function program(seeds: Seed[], seed: number, index: number): Program {
  const rnd = prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const base = seeds[Math.floor(rnd() * seeds.length)]!;
  const modules = [...base.modules];
  const m = Math.floor(rnd() * modules.length);
  const mutations: string[] = [];
  const edits = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < edits; k++) {
    const [text, what] = mutate(modules[m]!, rnd);
    modules[m] = text;
    mutations.push(`module ${m + 1}: ${what}`);
  }
  return { ...base, modules, index, mutations };
}

/** The part of the WebAssembly API the fuzzer needs (the project compiles without DOM typings). */
const wasmApi = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

/** Evaluation limits per program: small, so a run of thousands stays fast. */
const FUEL = 5_000_000;
const MEMORY_PAGES = 1024;
const TRAP = /unreachable|out of bounds|divide by zero|integer overflow|null function|table index|indirect call|RuntimeError/i;

export function runProgram(p: Program): Result {
  let wasm: Uint8Array;
  try {
    wasm = compile({ modules: p.modules.map((text, i) => ({ file: `m${i + 1}.rego`, text })), queries: [{ name: "q", text: p.query }] });
  } catch (e) {
    if (e instanceof DiagnosticError) return { program: p, outcome: "diagnostic", detail: e.diagnostics[0]?.code };
    return crash(p, e);
  }
  if (!wasmApi.validate(wasm)) return { program: p, outcome: "crash:invalid-wasm" };
  try {
    const loaded = loadModule(wasm, { fuel: FUEL, memoryLimitPages: MEMORY_PAGES });
    if (p.data !== undefined) loaded.setData(p.data);
    loaded.evaluate(p.input);
    return { program: p, outcome: "evaluated" };
  } catch (e) {
    if (e instanceof EvalError) {
      if (e.code === "eval_budget_exceeded" && /call stack/.test(e.message)) return { program: p, outcome: "limit", detail: "recursion depth" };
      if (e.code === "eval_budget_exceeded" || e.code === "eval_memory_limit") return { program: p, outcome: "limit", detail: e.code };
      if (e.code === "eval_internal_error" && TRAP.test(e.message)) return { program: p, outcome: "crash:trap", detail: e.message };
      return { program: p, outcome: "eval-error", detail: e.code };
    }
    if (e instanceof DiagnosticError) return { program: p, outcome: "eval-error", detail: e.diagnostics[0]?.code };
    return crash(p, e);
  }
}

function crash(p: Program, e: unknown): Result {
  const overflow = e instanceof RangeError && /call stack/i.test(e.message);
  const detail = e instanceof Error ? (e.stack ?? e.message).split("\n").slice(0, 4).join(" | ") : String(e);
  return { program: p, outcome: overflow ? "crash:stack-overflow" : "crash:exception", detail };
}

export interface Summary {
  programs: number;
  ms: number;
  outcomes: Record<string, number>;
  crashes: Result[];
}

export function fuzz(seeds: Seed[], opts: { seed: number; count: number; start?: number; onResult?: (r: Result) => void }): Summary {
  const started = Date.now();
  const outcomes: Record<string, number> = {};
  const crashes: Result[] = [];
  const from = opts.start ?? 0;
  for (let i = from; i < from + opts.count; i++) {
    const r = runProgram(program(seeds, opts.seed, i));
    outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    if (r.outcome.startsWith("crash")) crashes.push(r);
    opts.onResult?.(r);
  }
  return { programs: opts.count, ms: Date.now() - started, outcomes, crashes };
}
