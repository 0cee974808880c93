/**
 * The front end as one call: config → one ts.Program (TypeScript errors stop here) → execute the
 * policy files → lower each registered definition to the ProjectIR.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type * as TS from "typescript";
import ts from "./typescript.js";
import { DEFINITION, type Definition } from "../api/definition.js";
import { diag, hasErrors, renderDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import type { ConfigIR, Origin, ProjectIR } from "../ir/ir.js";
import { D } from "../ir/diagnostics.js";
import { findConfig, normalizeConfig } from "./config.js";
import { executeFiles, prefetchExecution, type ExecuteOptions, type ExecutionResult } from "./execute.js";
import { reportAndExit } from "./watchdog.js";
import { expandGlobs } from "./glob.js";
import { fieldOriginsOf, findCall, spanOf } from "./locate.js";
import { lowerings, prepareLowerings, type Located, type LowerContext } from "./lower/index.js";
import { finishKyverno } from "../emit/kyverno/lower.js";
import { relativeTo } from "./paths.js";
import { createPolicyProgram, createUncheckedProgram, isUserFile, programDiagnostics } from "./program.js";
import { evaluateDeclarative, type DefinitionCalls } from "./static-eval.js";

export interface LoadOptions {
  cwd: string;
  /** `--config`, relative to cwd. */
  configPath?: string;
  /** `--timeout`: how long the config and policy files may run, in ms (else the config's, else 60 s). */
  timeoutMs?: number;
}

export interface LoadResult {
  /** The directory of the config file; every origin is relative to it. */
  root?: string;
  project?: ProjectIR;
  diagnostics: Diagnostic[];
}

function timing(stage: string, since: number): void {
  if (process.env.POLICYC_TIMINGS === "1") process.stderr.write(`policyc timing:   ${stage} ${(performance.now() - since).toFixed(0)} ms\n`);
}

/** The project's config, found and evaluated as a build does; without `config` on failure. */
export async function loadConfig(options: LoadOptions): Promise<{ root?: string; configFile?: string; config?: ConfigIR; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const configFile = findConfig(options.cwd, options.configPath);
  if (!configFile) {
    return { diagnostics: [diag(D.configNotFound, [options.configPath ?? options.cwd])] };
  }
  const root = path.dirname(configFile);
  const configRel = relativeTo(root, configFile);

  const t00 = performance.now();
  const configRun = evaluateConfig(configFile) ?? (await executeFiles([configFile], bounded(root, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)));
  timing("config", t00);
  for (const f of configRun.failures) diagnostics.push(failureDiagnostic(root, f.file, f.error));
  if (hasErrors(diagnostics)) return { root, configFile, diagnostics };
  const configProblems: Diagnostic[] = [];
  const config = normalizeConfig(defaultExport(configRun.modules.get(configFile)), configRel, configProblems);
  if (hasErrors(configProblems)) {
    // A type error in the config usually explains the problem at its exact position.
    const typeErrors = createPolicyProgram(root, [configFile]).diagnostics.filter((d) => d.span?.file === configRel);
    diagnostics.push(...(hasErrors(typeErrors) ? typeErrors : configProblems));
    return { root, configFile, diagnostics };
  }
  diagnostics.push(...configProblems);
  return { root, configFile, config, diagnostics };
}

export async function loadProject(options: LoadOptions): Promise<LoadResult> {
  const loaded = await loadConfig(options);
  const { root, configFile, config } = loaded;
  const diagnostics = loaded.diagnostics;
  if (!root || !configFile || !config) return { ...(root ? { root } : {}), diagnostics };
  const configRel = relativeTo(root, configFile);

  const files = expandGlobs(root, config.include, config.exclude).filter((f) => /\.(c|m)?tsx?$/.test(f) && f !== configRel);
  if (files.length === 0) diagnostics.push(diag(D.noInputFiles, [JSON.stringify(config.include)], { file: configRel, line: 1, col: 1 }));
  const absFiles = files.map((f) => path.join(root, f));
  const t0 = performance.now();
  const { program, checker } = createUncheckedProgram(root, [configFile, ...absFiles]);
  timing("typescript program", t0);
  const sourceFiles = absFiles.map((f) => program.getSourceFile(f)).filter((sf) => sf !== undefined);
  // Declarative files are evaluated from their syntax now; others are bundled while the check runs.
  const t1 = performance.now();
  const declared = sourceFiles.length === absFiles.length ? evaluateDeclarative(sourceFiles) : undefined;
  if (declared) timing("evaluate (declarative files)", t1);
  else prefetchExecution(absFiles);
  const t2 = performance.now();
  diagnostics.push(...programDiagnostics(root, program));
  timing("typescript check", t2);
  if (hasErrors(diagnostics)) return { root, diagnostics };

  const t3 = performance.now();
  const run = declared ?? (await executeFiles(absFiles, bounded(root, options.timeoutMs ?? config.timeoutSeconds * 1000)));
  if (!declared) timing("execute", t3);
  for (const f of run.failures) diagnostics.push(failureDiagnostic(root, f.file, f.error));
  if (hasErrors(diagnostics)) return { root, diagnostics };

  const project: ProjectIR = { config, checks: [], constraints: [], resources: [], files };
  const ctx: LowerContext = {
    root,
    config,
    project,
    checker,
    program,
    checks: new Map(),
    report: (d) => diagnostics.push(d),
    originOf: (node) => {
      const sf = node?.getSourceFile();
      if (!node || !sf || !isUserFile(sf)) return undefined;
      return spanOf(relativeTo(root, sf.fileName), sf, node);
    },
  };
  const t4 = performance.now();
  const locator = new Locator(root, program, configRel, declared?.calls);
  await prepareLowerings(run.definitions);
  for (const def of run.definitions) {
    const meta = def[DEFINITION];
    const lower = lowerings[meta.kind];
    if (!lower) {
      diagnostics.push(diag(D.internal, [`no lowering registered for definition kind \`${meta.kind}\``]));
      continue;
    }
    lower(def, ctx, locator.locate(def));
  }
  finishKyverno(ctx);
  timing("lower", t4);
  return { root, project, diagnostics };
}

/**
 * The module's default export. A config in a project without `"type": "module"` runs as CommonJS,
 * and ESM sees its `export default` as `module.default.default`.
 */
function defaultExport(mod: Record<string, unknown> | undefined): unknown {
  const d = mod?.default;
  if (d && typeof d === "object" && "default" in d && Object.keys(d).every((k) => k === "default" || k === "__esModule")) {
    return (d as { default: unknown }).default;
  }
  return d;
}

/** Finds the call each definition was made by. */
class Locator {
  private index: IdentityIndex | undefined;

  constructor(
    private readonly root: string,
    private readonly program: TS.Program,
    private readonly configRel: string,
    /** Known exactly when the files were evaluated declaratively. */
    private readonly calls: DefinitionCalls | undefined,
  ) {}

  locate(def: Definition): Located {
    const { root, program } = this;
    const known = this.calls?.get(def);
    if (known) return located(root, known.sf, known.call);
    // Most definitions are found by their literal kind/name, which avoids formatting a stack trace.
    const id = identityOf(def);
    const candidates = id ? ((this.index ??= identityIndex(program)).get(`${id.key}=${id.value}`) ?? []) : [];
    if (candidates.length === 1) return located(root, candidates[0]!.sf, candidates[0]!.call);
    const site = def[DEFINITION].site;
    const sf = site && program.getSourceFile(site.file);
    const call = sf && isUserFile(sf) ? findCall(sf, site.line, site.col) : undefined;
    if (sf && call) return located(root, sf, call);
    // Without a usable stack frame (e.g. a CommonJS project, whose modules tsx runs without source
    // maps), take the first call with the identifying literal.
    if (candidates[0]) return located(root, candidates[0].sf, candidates[0].call);
    if (!site) return { origin: { file: this.configRel, line: 1, col: 1 }, fields: {} };
    return { origin: { file: relativeTo(root, site.file), line: site.line, col: site.col }, fields: {}, absFile: site.file };
  }
}

/** The config evaluated from its syntax when it is declarative (see static-eval.ts), else undefined. */
function evaluateConfig(configFile: string): ExecutionResult | undefined {
  let text: string;
  try {
    text = readFileSync(configFile, "utf8");
  } catch {
    return undefined;
  }
  const sf = ts.createSourceFile(configFile, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  return evaluateDeclarative([sf]);
}

function located(root: string, sf: TS.SourceFile, call: TS.CallExpression): Located {
  const file = relativeTo(root, sf.fileName);
  return { origin: spanOf(file, sf, call), fields: fieldOriginsOf(file, sf, call), call, sourceFile: sf, absFile: path.resolve(sf.fileName) };
}

/** The string that names a definition in its source: a check's `kind`, otherwise its `name`. */
function identityOf(def: Definition): { key: string; value: string } | undefined {
  const d = def as unknown as Record<string, unknown>;
  const get = (o: unknown, k: string) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined);
  if (def[DEFINITION].kind === "check" && typeof d.kind === "string") return { key: "kind", value: d.kind };
  const name = get(d.spec, "name") ?? get(get(d.object, "metadata"), "name") ?? d.name;
  return typeof name === "string" ? { key: "name", value: name } : undefined;
}

type IdentityIndex = Map<string, { sf: TS.SourceFile; call: TS.CallExpression }[]>;

/**
 * Every call in the user's files whose object-literal argument carries a string literal `kind` or
 * `name` (also one level down, e.g. `metadata.name`), keyed `kind=K8sX` / `name=prod-repo`.
 */
function identityIndex(program: TS.Program): IdentityIndex {
  const index: IdentityIndex = new Map();
  const keysOf = (node: TS.Node, depth: number, out: Set<string>): void => {
    if (!ts.isObjectLiteralExpression(node) || depth > 1) return;
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) continue;
      const key = p.name.text;
      if ((key === "kind" || key === "name") && ts.isStringLiteralLike(p.initializer)) out.add(`${key}=${p.initializer.text}`);
      else keysOf(p.initializer, depth + 1, out);
    }
  };
  for (const sf of program.getSourceFiles()) {
    if (!isUserFile(sf)) continue;
    const visit = (n: TS.Node): void => {
      if (ts.isCallExpression(n)) {
        const keys = new Set<string>();
        for (const a of n.arguments) keysOf(a, 0, keys);
        for (const k of keys) {
          const list = index.get(k);
          if (list) list.push({ sf, call: n });
          else index.set(k, [{ sf, call: n }]);
        }
      }
      n.forEachChild(visit);
    };
    visit(sf);
  }
  return index;
}

const FRAME = /(?:\(|\s)((?:file:\/\/)?\/[^()\s]*?):(\d+):(\d+)\)?\s*$/;

/** The first frame of `stack` that lies in the user's project (not in node_modules). */
function userFrame(root: string, stack: string): Origin | undefined {
  for (const line of stack.split("\n")) {
    const m = FRAME.exec(line);
    if (!m) continue;
    let f = m[1]!.replace(/\?.*$/, "");
    if (f.startsWith("file://")) f = decodeURI(new URL(f).pathname);
    if (!f.startsWith(root + path.sep) || f.includes(`${path.sep}node_modules${path.sep}`)) continue;
    return { file: relativeTo(root, f), line: Number(m[2]), col: Number(m[3]) };
  }
  return undefined;
}

/** A PC1005 pointing at the deepest frame of the error's stack that lies in the user's project. */
function failureDiagnostic(root: string, file: string, error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const span = userFrame(root, stack) ?? { file: relativeTo(root, file), line: 1, col: 1 };
  return diag(D.executionFailed, [relativeTo(root, file), message], span);
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** The time limit for running the user's files: past it, PC1020 at the line still running, exit 1. */
function bounded(root: string, timeoutMs: number): ExecuteOptions {
  return {
    timeoutMs,
    onTimeout: (file, stack) => {
      const at = userFrame(root, stack.split("\n").slice(1).join("\n"));
      const running = at?.file ?? (file ? relativeTo(root, file) : "a policy file");
      const where = at ? ` (still running at ${at.file}:${at.line}:${at.col})` : " (waiting, not computing: a promise that never settles?)";
      const d = diag(D.executionTimeout, [running, formatSeconds(timeoutMs), where], at ?? (file ? { file: relativeTo(root, file), line: 1, col: 1 } : undefined));
      return reportAndExit(`${renderDiagnostic(d)}\n`, 1);
    },
  };
}

const formatSeconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;
