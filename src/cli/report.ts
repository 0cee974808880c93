/** Prints diagnostics for the CLI and maps them to an exit code (2 for internal PC9xxx, else 1). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { hasErrors, renderDiagnostics, type Diagnostic } from "../diagnostics/index.js";
import type { CommandIO } from "./command.js";

export function printDiagnostics(io: CommandIO, diagnostics: readonly Diagnostic[], root: string | undefined): void {
  if (diagnostics.length === 0) return;
  const base = root ?? io.cwd;
  const text = renderDiagnostics(diagnostics, {
    color: io.isTTY === true && !process.env.NO_COLOR,
    ...(io.isTTY
      ? {
          readSource: (file: string) => {
            try {
              return readFileSync(path.resolve(base, file), "utf8");
            } catch {
              return undefined;
            }
          },
        }
      : {}),
  });
  io.stderr(`${text}\n`);
}

export function exitCodeFor(diagnostics: readonly Diagnostic[]): number {
  if (diagnostics.some((d) => d.severity === "error" && d.code.startsWith("PC9"))) return 2;
  return hasErrors(diagnostics) ? 1 : 0;
}
