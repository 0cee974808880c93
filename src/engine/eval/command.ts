/**
 * `policyc eval`: evaluates a Rego query against modules and data files and prints what
 * `opa eval --format json` prints (`{"result":[{"expressions":[...],"bindings":{...}}]}`, `{}` when
 * undefined), or a human-readable form with `--format pretty`. The policy runs as a Wasm module
 * built by policyc (default) or by a real `opa build -t wasm` (`--engine opa`), both through the SDK.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { isDiagnostic, parseYamlText } from "../../testing/yaml-files.js";
import { DiagnosticError, describeFsError, renderDiagnostics, diag, type Diagnostic } from "../../diagnostics/index.js";
import { prepareQuery, QUERY_FILE, type Source, type Bindings } from "./engine.js";
import { opaAvailable } from "../index.js";
import { QUERY_ENTRYPOINT } from "./compile.js";
import { EvalMessages as M } from "./diagnostics.js";
import { parseJson } from "../builtins/json.js";
import { ExactNum } from "../builtins/value.js";
import { readDocumentText } from "./read-document.js";
import { exactJsonText, exactYamlValue, isRecord, mergeInto, parseJsonExact } from "./documents.js";
import { RawJson } from "../runner/load.js";
import { setPrintSink } from "../builtins/print.js";
import { opaRuntimeInfo, setRuntimeInfo } from "../builtins/misc.js";
import { parseCommandArgs, parseDuration, usageError } from "../../cli/args.js";
import type { WrappedQuery } from "./query.js";
import { EvalTimeout } from "../runner/errors.js";

export interface EvalIO {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
}

export const usage = `policyc eval [-d FILE|DIR]... [-i FILE] [--v0|--v0-compatible] [--engine policyc|opa] [--format json|pretty] QUERY

Evaluates QUERY (Rego) and prints the result in the shape of \`opa eval --format json\`.
print() calls in the modules and the query write to stderr, as with opa eval (with --engine opa the
module comes from opa build, which removes them).

  -d, --data FILE|DIR    a Rego module (.rego) or a data document (.json, .yaml, .yml) merged
                         into data at the root; a directory is searched recursively and a data
                         file in a subfolder a/b lands under data.a.b (repeatable)
  -i, --input FILE       the input document (.json, .yaml, .yml)
      --v0, --v0-compatible
                         parse modules and the query as Rego v0 (default: v1, as OPA 1.x;
                         --v1-compatible is accepted and is the default)
      --engine NAME      policyc (default) or opa (needs an \`opa\` binary on PATH)
  -f, --format NAME      json (default) or pretty
      --timeout DURATION stop the evaluation after DURATION (e.g. 500ms, 5s, 1m; default: none)

Exit status 0 when evaluation ran (also when the query is undefined), 1 on bad usage, bad input or an
evaluation error.`;

interface Args {
  data: string[];
  input?: string;
  v0: boolean;
  engine: "policyc" | "opa";
  format: "json" | "pretty";
  query?: string;
  /** --timeout as given (a duration, checked by the option parser). */
  timeout?: string;
}

/** The options, checked by the CLI's one option parser (src/cli/args.ts). */
const evalOptions = {
  data: { type: "string", short: "d", multiple: true, placeholder: "FILE|DIR" },
  input: { type: "string", short: "i", placeholder: "FILE" },
  v0: { type: "boolean" },
  v1: { type: "boolean" },
  "v0-compatible": { type: "boolean" },
  "v1-compatible": { type: "boolean" },
  engine: { type: "string", choices: ["policyc", "opa"] },
  format: { type: "string", short: "f", choices: ["json", "pretty"] },
  timeout: { type: "string", kind: "duration", min: 0 },
} as const;

function parseEvalArgs(argv: string[], io: EvalIO): Args | number {
  const parsed = parseCommandArgs({ name: "eval", usage }, argv, io, evalOptions, { positionals: true });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 1) return usageError(io, "eval", `give one query, got ${positionals.length}: ${positionals.map((p) => `\`${p}\``).join(", ")}`);
  // --v0 and --v1: the later one wins. OPA's own --v0-compatible takes precedence over
  // --v1-compatible (and over --v1), as `opa eval` reads them.
  const v0 =
    values["v0-compatible"] === true || (values.v0 === true && !(values.v1 === true && argv.lastIndexOf("--v1") > argv.lastIndexOf("--v0")));
  return {
    data: values.data ?? [],
    ...(values.input !== undefined ? { input: values.input } : {}),
    v0,
    engine: (values.engine ?? "policyc") as Args["engine"],
    format: (values.format ?? "json") as Args["format"],
    ...(positionals[0] !== undefined ? { query: positionals[0] } : {}),
    ...(values.timeout !== undefined ? { timeout: values.timeout } : {}),
  };
}

interface Loaded {
  modules: Source[];
  data: unknown;
  /** The same data as a plain value, for the compiler's rule/data conflict check. */
  baseData: unknown;
  input?: unknown;
}

function listFiles(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p)
    .sort()
    .flatMap((f) => listFiles(path.join(p, f)))
    .filter((f) => /\.(rego|json|ya?ml)$/.test(f));
}

/** A file's text, or PC5591 at the file when it cannot be read (permissions, a folder, a broken link). */
function readText(file: string, abs: string, diags: Diagnostic[]): string | undefined {
  try {
    return readFileSync(abs, "utf8");
  } catch (e) {
    diags.push(diag(M.unreadable, [file, describeFsError(e)], { file, line: 1, col: 1 }));
    return undefined;
  }
}

function readDocument(file: string, abs: string, diags: Diagnostic[]): unknown {
  const text = readDocumentText(abs, file, diags);
  if (text === undefined) return undefined;
  try {
    if (file.endsWith(".json")) return parseJsonExact(text);
    // OPA reads YAML data as Kubernetes does (sigs.k8s.io/yaml): the project's one YAML reader.
    const parsed = parseYamlText(text, file, "object");
    if (isDiagnostic(parsed)) {
      diags.push(parsed);
      return undefined;
    }
    const first = parsed.docs[0];
    return first ? exactYamlValue(first.doc) : null;
  } catch (e) {
    diags.push(diag(M.badDocument, [(e as Error).message.split("\n")[0]], { file, line: 1, col: 1 }));
    return undefined;
  }
}

function load(args: Args, cwd: string, diags: Diagnostic[]): Loaded {
  const modules: Source[] = [];
  const data: Record<string, unknown> = {};
  for (const d of args.data) {
    const abs = path.resolve(cwd, d);
    let files: string[];
    try {
      files = listFiles(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      diags.push(code === "ENOENT" && (e as NodeJS.ErrnoException).path === abs ? diag(M.noSuchFile, [d]) : diag(M.unreadable, [path.relative(cwd, (e as NodeJS.ErrnoException).path ?? abs) || d, describeFsError(e)]));
      continue;
    }
    for (const f of files) {
      const rel = path.relative(cwd, f) || f;
      if (f.endsWith(".rego")) {
        const text = readText(rel, f, diags);
        if (text !== undefined) modules.push({ file: rel, text });
        continue;
      }
      const doc = readDocument(rel, f, diags);
      if (doc === undefined) continue;
      // As OPA's loader does, a data file found inside a -d directory lands under its folder's path.
      const prefix = f === abs ? [] : path.relative(abs, path.dirname(f)).split(path.sep).filter(Boolean);
      if (!isRecord(doc) && prefix.length === 0) {
        diags.push(diag(M.dataNotObject, [rel], { file: rel, line: 1, col: 1 }));
        continue;
      }
      const placed = prefix.reduceRight<unknown>((acc, k) => ({ [k]: acc }), doc) as Record<string, unknown>;
      const conflict = mergeInto(data, placed);
      if (conflict) diags.push(diag(M.dataConflict, [conflict], { file: rel, line: 1, col: 1 }));
    }
  }
  const out: Loaded = { modules, data: new RawJson(exactJsonText(data)), baseData: data };
  if (args.input !== undefined) {
    const abs = path.resolve(cwd, args.input);
    const rel = path.relative(cwd, abs) || args.input;
    if (rel.endsWith(".json")) out.input = parseInputJson(rel, abs, diags);
    else {
      const doc = readDocument(rel, abs, diags);
      if (doc !== undefined) out.input = new RawJson(exactJsonText(doc));
    }
  }
  return out;
}

/**
 * The input as its own text, checked but not rebuilt: the module parses it (numbers exact, no
 * JavaScript copy of a large document).
 */
function parseInputJson(file: string, abs: string, diags: Diagnostic[]): unknown {
  const text = readDocumentText(abs, file, diags);
  if (text === undefined) return undefined;
  try {
    JSON.parse(text);
    return new RawJson(text);
  } catch (e) {
    diags.push(diag(M.badDocument, [(e as Error).message], { file, line: 1, col: 1 }));
    return undefined;
  }
}

function isDefect(e: unknown): boolean {
  if (e instanceof TypeError || e instanceof ReferenceError || e instanceof SyntaxError) return true;
  // WebAssembly's own errors (a trap in generated code, a module that does not link).
  const name = e instanceof Error ? e.constructor.name : "";
  return name === "RuntimeError" || name === "CompileError" || name === "LinkError";
}

/** Rewrites spans inside the compiled query text (or the opa wrapper module) to the user's query. */
function mapQuerySpans(diags: Diagnostic[], query: WrappedQuery | undefined): Diagnostic[] {
  return diags.map((d) => {
    if (!d.span || (d.span.file !== QUERY_FILE && d.span.file !== QUERY_ENTRYPOINT)) return d;
    const idx = d.span.file === QUERY_FILE ? d.span.line - 4 : (query?.lineExpr[d.span.line - 1] ?? 0);
    const expr = query?.expressions[Math.max(0, idx)] ?? query?.expressions[0];
    return { ...d, span: { file: "query", line: expr?.row ?? 1, col: expr?.col ?? 1 } };
  });
}

/**
 * Numbers JSON.stringify cannot print as OPA does (OPA keeps big integers exact: `bits.lsh(1, 1100)`
 * has 332 digits, 2^70 is not 1.18e+21) travel as marked strings that `stringify` unquotes.
 */
const RAW = "\u0000num:";
const RAW_QUOTED = /"\\u0000num:([^"\\]+)"/g;

function stringify(v: unknown, indent?: number): string {
  return JSON.stringify(v, null, indent).replace(RAW_QUOTED, "$1");
}

/** OPA prints Go maps with sorted keys. */
function sortKeys(v: unknown): unknown {
  if (v instanceof ExactNum) return RAW + v.text;
  if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) >= 1e21) return RAW + BigInt(v).toString();
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isRecord(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) Object.defineProperty(o, k, { value: sortKeys(v[k]), enumerable: true });
    return o;
  }
  return v;
}

export function toOpaOutput(rows: Bindings[], query: WrappedQuery): unknown {
  if (rows.length === 0) return {};
  const result = rows.map((row) => {
    const expressions = query.expressions.map((e) => ({
      value: e.valueVar ? row[e.valueVar] : true,
      text: e.text,
      location: { row: e.row, col: e.col },
    }));
    const bindings: Record<string, unknown> = {};
    for (const v of query.vars) if (v in row) bindings[v] = row[v];
    return Object.keys(bindings).length > 0 ? { expressions, bindings } : { expressions };
  });
  return { result: result.map((r) => ({ ...r, expressions: r.expressions.map((e) => ({ ...e, value: sortKeys(e.value) })), ...("bindings" in r ? { bindings: sortKeys(r.bindings) } : {}) })) };
}

/**
 * `opa eval` writes JSON with Go's encoder (two-space indent, HTML-safe escapes); those characters
 * only occur inside strings, so escaping them in the text is exact.
 */
export function goIndentedJson(v: unknown): string {
  return stringify(v, 2).replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function pretty(rows: Bindings[], query: WrappedQuery): string {
  if (rows.length === 0) return "undefined";
  if (query.vars.length === 0) {
    // As opa eval: one result without bindings prints the first expression's value.
    const values = query.expressions.map((e) => (e.valueVar ? rows[0]![e.valueVar] : true));
    if (rows.length === 1 && (values.length === 1 || values.every((v) => typeof v === "boolean"))) return goIndentedJson(sortKeys(values[0]));
  }
  if (query.vars.length === 0) {
    const header = query.expressions.map((e) => e.text);
    const cells = rows.map((r) => query.expressions.map((e) => stringify(sortKeys(e.valueVar ? r[e.valueVar] : true))));
    return table(header, cells);
  }
  const header = query.vars;
  return table(
    header,
    rows.map((r) => header.map((v) => stringify(sortKeys(r[v])))),
  );
}

function table(header: string[], cells: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const sep = "+" + widths.map((w) => "-".repeat(w + 2)).join("+") + "+";
  const line = (cs: string[]) => "| " + cs.map((c, i) => c.padEnd(widths[i]!)).join(" | ") + " |";
  return [sep, line(header), sep, ...cells.map(line), sep].join("\n");
}

export async function runEval(argv: string[], io: EvalIO): Promise<number> {
  const args = parseEvalArgs(argv, io);
  if (typeof args === "number") return args;
  if (args.query === undefined) return usageError(io, "eval", "a query is required");
  const diags: Diagnostic[] = [];
  // 0 means none, as OPA's flag.
  const timeoutMs = args.timeout === undefined ? undefined : parseDuration(args.timeout, { allowZero: true });
  const loaded = load(args, io.cwd, diags);
  const readSource = (file: string) => {
    if (file === "query") return args.query;
    try {
      return readFileSync(path.resolve(io.cwd, file), "utf8");
    } catch {
      return undefined;
    }
  };
  if (diags.length > 0) {
    io.stderr(renderDiagnostics(diags, { readSource }) + "\n");
    return 1;
  }
  const regoVersion = args.v0 ? "v0" : "v1";
  if (args.engine === "opa" && !opaAvailable()) {
    io.stderr(renderDiagnostics([diag(M.noOpa, [])]) + "\n");
    return 1;
  }
  const printed: string[] = [];
  const prevSink = setPrintSink((line) => printed.push(line));
  // opa.runtime() as opa eval gives it (environment, version).
  const prevRuntime = setRuntimeInfo(opaRuntimeInfo());
  let query: WrappedQuery | undefined;
  try {
    const prepared = prepareQuery({
      modules: loaded.modules,
      query: args.query,
      regoVersion,
      captureExpressions: true,
      engine: args.engine,
      baseData: loaded.baseData,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    query = prepared.query;
    prepared.setData(loaded.data);
    const rows = prepared.evaluate(loaded.input);
    if (printed.length > 0) io.stderr(printed.join("\n") + "\n");
    io.stdout((args.format === "json" ? goIndentedJson(toOpaOutput(rows, prepared.query)) : pretty(rows, prepared.query)) + "\n");
    return 0;
  } catch (e) {
    if (printed.length > 0) io.stderr(printed.join("\n") + "\n");
    if (e instanceof DiagnosticError) {
      io.stderr(renderDiagnostics(mapQuerySpans(e.diagnostics, query), { readSource }) + "\n");
      return e.diagnostics.some((d) => d.code.startsWith("PC9")) ? 2 : 1;
    }
    // A JavaScript or Wasm fault is policyc's defect (exit 2 from the CLI); what the policy's
    // evaluation raised (a conflict, a built-in error) is the user's, at the query.
    if (isDefect(e)) throw e;
    if (e instanceof EvalTimeout) {
      io.stderr(renderDiagnostics([diag(M.timedOut, [args.timeout], { file: "query", line: 1, col: 1 })], { readSource }) + "\n");
      return 1;
    }
    const msg = e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e);
    io.stderr(renderDiagnostics([diag(M.evalError, [msg], { file: "query", line: 1, col: 1 })]) + "\n");
    return 1;
  } finally {
    setPrintSink(prevSink);
    setRuntimeInfo(prevRuntime);
  }
}
