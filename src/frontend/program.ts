/**
 * The one `ts.Program` for the whole project (config plus every policy file): TypeScript's own errors
 * in user files become PC1001 diagnostics, and the checker is kept for schema derivation. The module
 * "policyc" always resolves to the running policyc's API typings.
 */
import path from "node:path";
import type * as TS from "typescript";
import ts from "./typescript.js";
import { diag, type Diagnostic } from "../diagnostics/index.js";
import { D } from "../ir/diagnostics.js";
import { apiTypesFile, ownDirs, relativeTo } from "./paths.js";

export const compilerOptions: TS.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2023.d.ts"],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
  esModuleInterop: true,
  forceConsistentCasingInFileNames: true,
};

export interface PolicyProgram {
  program: TS.Program;
  checker: TS.TypeChecker;
  diagnostics: Diagnostic[];
}

/** `sources` stands in for files by absolute path (the install-time warm-up checks one such file). */
export function createPolicyProgram(root: string, rootFiles: readonly string[], sources?: ReadonlyMap<string, string>): PolicyProgram {
  const { program, checker } = createUncheckedProgram(root, rootFiles, sources);
  return { program, checker, diagnostics: programDiagnostics(root, program) };
}

/**
 * The program and its checker before the full check: creating the checker binds every file (so
 * nodes have parents), and it resolves only the types it is asked for. Run `programDiagnostics`
 * before trusting anything derived from it.
 */
export function createUncheckedProgram(
  root: string,
  rootFiles: readonly string[],
  sources?: ReadonlyMap<string, string>,
): Omit<PolicyProgram, "diagnostics"> {
  const program = buildProgram(root, rootFiles, sources);
  return { program, checker: program.getTypeChecker() };
}

/** TypeScript's errors in the user's files (options, global, syntactic, semantic), in file order. */
export function programDiagnostics(root: string, program: TS.Program): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const convert = (d: TS.Diagnostic) => diagnostics.push(fromTs(root, d));
  program.getOptionsDiagnostics().forEach(convert);
  program.getGlobalDiagnostics().forEach(convert);
  for (const sf of program.getSourceFiles()) {
    if (!isUserFile(sf)) continue;
    program.getSyntacticDiagnostics(sf).forEach(convert);
    program.getSemanticDiagnostics(sf).forEach(convert);
  }
  return diagnostics;
}

/** The program for `rootFiles`; "policyc" resolves to the running policyc's API typings. */
function buildProgram(root: string, rootFiles: readonly string[], sources?: ReadonlyMap<string, string>): TS.Program {
  // No parent-pointer pass after parsing (a walk over every node, lib files included): the checker,
  // created before anything reads the trees, binds every file, and binding sets the parents.
  const host = ts.createCompilerHost(compilerOptions, false);
  const { fileExists } = host;
  host.getSourceFile = (name, version, onError) => {
    const options = { ...(typeof version === "object" ? version : { languageVersion: version }), jsDocParsingMode: jsDocModeOf(name) };
    let text = sources?.get(name);
    if (text === undefined) {
      try {
        text = host.readFile(name);
      } catch (e) {
        onError?.((e as Error).message);
      }
    }
    return text === undefined ? undefined : parsedSourceFile(name, text, options);
  };
  if (sources) host.fileExists = (name) => sources.has(name) || fileExists.call(host, name);
  const apiFile = apiTypesFile();
  const cache = ts.createModuleResolutionCache(root, (f) => f, compilerOptions);
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, options) =>
    literals.map((lit) => {
      if (lit.text === "policyc") {
        const extension = apiFile.endsWith(".d.ts") ? ts.Extension.Dts : ts.Extension.Ts;
        return { resolvedModule: { resolvedFileName: apiFile, extension, isExternalLibraryImport: false } };
      }
      return ts.resolveModuleName(lit.text, containingFile, options, host, cache, redirected);
    });
  return ts.createProgram({ rootNames: [...rootFiles], options: compilerOptions, host });
}

/**
 * Parsed files of earlier programs in this process, reused while their text and parse options are
 * unchanged: parsing and binding belong to the file, not the program (tsc's watch mode and editors
 * share them the same way), so `build --watch` and a process running many builds parse only what
 * changed: TypeScript's lib, policyc's typings and the user's unchanged files are parsed once.
 */
const parsed = new Map<string, { text: string; key: string; sf: TS.SourceFile }>();

function parsedSourceFile(name: string, text: string, options: TS.CreateSourceFileOptions): TS.SourceFile {
  const key = `${options.languageVersion}|${options.jsDocParsingMode}|${options.impliedNodeFormat}`;
  const hit = parsed.get(name);
  if (hit && hit.text === text && hit.key === key) return hit.sf;
  const sf = ts.createSourceFile(name, text, options);
  // Bounded, for processes that build many unrelated projects (the test suite).
  if (parsed.size >= 20_000) parsed.clear();
  parsed.set(name, { text, key, sf });
  return sf;
}

const libDir = path.dirname(ts.getDefaultLibFilePath(compilerOptions)) + path.sep;

/**
 * TSDoc becomes schema descriptions and keywords, so user files and third-party typings keep it.
 * TypeScript's lib and policyc's own API typings are parsed as tsc parses every file (doc comments
 * only where they can affect a type error): their prose is for editors, and parsing it is ~0.1 s
 * of a 1,000-file build.
 */
function jsDocModeOf(file: string): TS.JSDocParsingMode {
  const abs = path.resolve(file);
  return abs.startsWith(libDir) || ownDirs.some((d) => abs.startsWith(d)) ? ts.JSDocParsingMode.ParseForTypeErrors : ts.JSDocParsingMode.ParseAll;
}

const userFiles = new WeakMap<TS.SourceFile, boolean>();

export function isUserFile(sf: TS.SourceFile): boolean {
  let user = userFiles.get(sf);
  if (user === undefined) {
    const file = path.resolve(sf.fileName);
    user = !sf.isDeclarationFile && !file.includes(`${path.sep}node_modules${path.sep}`) && !ownDirs.some((d) => file.startsWith(d));
    userFiles.set(sf, user);
  }
  return user;
}

function fromTs(root: string, d: TS.Diagnostic): Diagnostic {
  const text = `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  const severity = d.category === ts.DiagnosticCategory.Error ? "error" : "warning";
  if (!d.file || d.start === undefined) return { ...diag(D.typescriptError, [text]), severity };
  const start = d.file.getLineAndCharacterOfPosition(d.start);
  const end = d.file.getLineAndCharacterOfPosition(d.start + (d.length ?? 0));
  return {
    ...diag(D.typescriptError, [text], {
      file: relativeTo(root, d.file.fileName),
      line: start.line + 1,
      col: start.character + 1,
      endLine: end.line + 1,
      endCol: end.character + 1,
    }),
    severity,
  };
}
