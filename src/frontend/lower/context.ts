/**
 * What a lowering sees: the project being built, the checker, a way to report, and where the
 * definition was written. One lowering per definition kind (see index.ts).
 */
import type * as TS from "typescript";
import type { Definition } from "../../api/definition.js";
import type { Diagnostic } from "../../diagnostics/index.js";
import type { CheckIR, ConfigIR, FieldOrigins, Origin, ProjectIR } from "../../ir/ir.js";

export interface Located {
  /** The call site (or the config file when unknown). */
  origin: Origin;
  /** Spans of the properties written in the call's object literals, by dotted path. */
  fields: FieldOrigins;
  /** The call expression, when it was found in the program. */
  call?: TS.CallExpression;
  sourceFile?: TS.SourceFile;
  /** Absolute path of the file that made the call. */
  absFile?: string;
}

export interface LowerContext {
  root: string;
  config: ConfigIR;
  project: ProjectIR;
  checker: TS.TypeChecker;
  program: TS.Program;
  report(d: Diagnostic): void;
  /** Check definitions already lowered, so constraints can find theirs. */
  checks: Map<Definition, CheckIR>;
  /** Span of a node in a user file (undefined for library files). */
  originOf(node: TS.Node | undefined): Origin | undefined;
}

export type Lowering = (def: Definition, ctx: LowerContext, at: Located) => void;
