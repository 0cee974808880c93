/**
 * Parses every template's Rego (main module and libs) with the engine's parser, in the configured
 * Rego version, and moves parse errors from the module's own lines to the user's source: the line
 * inside the `rego` template or the `.rego` file.
 */
import { DiagnosticError, type Diagnostic } from "../diagnostics/index.js";
import { parseModule } from "../engine/rego/parser.js";
import type { ProjectIR, RegoModuleIR } from "../ir/ir.js";

export function parseProjectRego(project: ProjectIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const check of project.checks) {
    if (check.body.kind !== "rego") continue;
    for (const m of [check.body.main, ...check.body.libs]) out.push(...parseOne(m, project.config.regoVersion));
  }
  return out;
}

function parseOne(m: RegoModuleIR, regoVersion: "v0" | "v1"): Diagnostic[] {
  try {
    parseModule(m.text, { file: m.origin.file, regoVersion });
    return [];
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    return e.diagnostics.map((d) => (d.span ? { ...d, span: mapSpan(m, d.span) } : d));
  }
}

/** A 1-based position in the module text → the user's source. */
export function mapSpan(m: RegoModuleIR, s: NonNullable<Diagnostic["span"]>): NonNullable<Diagnostic["span"]> {
  const line = m.origin.line + s.line - 1;
  const col = s.col + m.origin.colOffset;
  const out: NonNullable<Diagnostic["span"]> = { file: m.origin.file, line, col };
  if (s.endLine !== undefined && s.endCol !== undefined) {
    out.endLine = m.origin.line + s.endLine - 1;
    out.endCol = s.endCol + m.origin.colOffset;
  }
  return out;
}
