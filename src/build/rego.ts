/**
 * Compiles every template's Rego (main module and libs) as Gatekeeper does before it accepts a
 * template: parsed in the template's Rego version, checked against Gatekeeper's own template rules
 * (src/testing/gatekeeper/rego-rules.ts: `violation` required, lib packages, imports, `data` refs,
 * `http.send`), then compiled by the engine's compiler with Gatekeeper's harness (`input.review`,
 * `input.parameters`, libs as `data.lib.…`, `data.inventory`, the `external_data` built-in). Every
 * problem is moved from the module's own lines to the user's source: the line inside the `rego`
 * template or the `.rego` file, secondary positions ("opened at 9:15") included. Results are cached
 * by Rego text, so a rebuild (watch mode, tests) compiles only templates whose Rego changed.
 */
import { DiagnosticError, diag, type Diagnostic } from "../diagnostics/index.js";
import { compileModules } from "../engine/compiler/index.js";
import type { Module } from "../engine/rego/ast.js";
import { parseModule } from "../engine/rego/parser.js";
import type { CheckIR, ProjectIR, RegoModuleIR } from "../ir/ir.js";
import { D } from "../ir/diagnostics.js";
import { gatekeeperModuleProblems } from "../testing/gatekeeper/rego-rules.js";
import { openRegoCache, regoCacheKey, type RegoCache } from "./rego-cache.js";

/** Built-ins Gatekeeper adds to OPA's (frameworks' rego driver): `external_data({provider, keys})`. */
export const GATEKEEPER_BUILTINS = [{ name: "external_data", arity: 1 }];

type Span = NonNullable<Diagnostic["span"]>;

/** A problem in module coordinates: `module` 0 is main, i + 1 is libs[i]. */
interface ModuleDiagnostic {
  diagnostic: Diagnostic;
  module: number;
}

const cache = new Map<string, ModuleDiagnostic[]>();
const CACHE_LIMIT = 5000;

/** The Rego version a check's template is written in. */
export function checkRegoVersion(check: CheckIR, project: ProjectIR): "v0" | "v1" {
  return check.regoVersion ?? project.config.regoVersion;
}

/** `disk` remembers clean templates across builds (src/build/rego-cache.ts). */
export function compileProjectRego(project: ProjectIR, disk: RegoCache = openRegoCache(undefined)): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const check of project.checks) {
    const version = checkRegoVersion(check, project);
    const modules = [check.body.main, ...check.body.libs];
    const texts = modules.map((m) => m.text);
    const key = regoCacheKey(version, texts);
    let found = cache.get(key);
    if (!found && disk.has(key)) found = [];
    if (!found) {
      found = compileTemplate(texts, version);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, found);
    }
    if (found.length === 0) disk.add(key);
    for (const f of found) out.push(placeInSource(check, modules, f));
  }
  disk.save();
  return out;
}

/** Parse, Gatekeeper's rules, compile: the problems of one template, in module coordinates. */
function compileTemplate(texts: string[], regoVersion: "v0" | "v1"): ModuleDiagnostic[] {
  const file = (i: number) => `#${i}`;
  const moduleOf = (d: Diagnostic) => Number(d.span?.file.slice(1) ?? 0);
  const parsed: Module[] = [];
  const problems: ModuleDiagnostic[] = [];
  texts.forEach((text, i) => {
    try {
      parsed.push(parseModule(text, { file: file(i), regoVersion }));
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      const hint = regoVersion === "v1" && parsesAsV0(text) ? V0_HINT : "";
      for (const d of e.diagnostics) problems.push({ diagnostic: { ...d, message: d.message + hint }, module: i });
    }
  });
  if (problems.length > 0) return problems;
  for (const p of gatekeeperModuleProblems(parsed[0]!, parsed.slice(1), texts)) {
    problems.push({ diagnostic: diag(D.gatekeeperRego, [p.message], p.loc ? { file: file(p.module), line: p.loc.row, col: p.loc.col } : undefined), module: p.module });
  }
  if (problems.length > 0) return problems;
  try {
    compileModules(parsed, { regoVersion, extraBuiltins: GATEKEEPER_BUILTINS });
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    for (const d of e.diagnostics) problems.push({ diagnostic: d, module: moduleOf(d) });
  }
  return problems;
}

const V0_HINT =
  " (this module is Rego v0: set `regoVersion: \"v0\"` on the check to keep it, or port it to v1 with `policyc fmt --v0-v1 -w FILE`)";

function parsesAsV0(text: string): boolean {
  try {
    parseModule(text, { file: "v0", regoVersion: "v0" });
    return true;
  } catch (e) {
    if (e instanceof DiagnosticError) return false;
    throw e;
  }
}

/**
 * A template problem at the user's source. Rego written by the user maps line for line; Rego the
 * transpiler wrote from a TypeScript body has no user line of its own, so the problem points at the
 * body and names the line of the emitted Rego.
 */
function placeInSource(check: CheckIR, modules: RegoModuleIR[], f: ModuleDiagnostic): Diagnostic {
  const m = modules[f.module] ?? modules[0]!;
  const d = f.diagnostic;
  if (check.body.kind === "typescript" && f.module === 0) {
    const at = d.span ? ` (line ${d.span.line} of the Rego compiled from this body)` : "";
    return { ...d, message: `${d.message}${at}`, span: { file: check.body.function.file, line: check.body.function.line, col: check.body.function.col } };
  }
  if (!d.span) return { ...d, span: { file: m.origin.file, line: m.origin.line, col: m.origin.col } };
  return { ...d, message: mapSecondaryPositions(m, d.message), span: mapSpan(m, d.span) };
}

/** A 1-based position in the module text → the user's source. */
export function mapSpan(m: RegoModuleIR, s: Span): Span {
  const line = m.origin.line + s.line - 1;
  const col = s.col + m.origin.colOffset;
  const out: Span = { file: m.origin.file, line, col };
  if (s.endLine !== undefined && s.endCol !== undefined) {
    out.endLine = m.origin.line + s.endLine - 1;
    out.endCol = s.endCol + m.origin.colOffset;
  }
  return out;
}

/** Positions the parser writes into a message ("the `[` opened at 9:15") move with the module. */
function mapSecondaryPositions(m: RegoModuleIR, message: string): string {
  return message.replace(/\bopened at (\d+):(\d+)/g, (_, l: string, c: string) => {
    const s = mapSpan(m, { file: m.origin.file, line: Number(l), col: Number(c) });
    return `opened at ${s.line}:${s.col}`;
  });
}
