/**
 * Prints diagnostics for the CLI and maps them to an exit code: the exit-code contract (docs/cli.md)
 * lives here. 1 for a user's mistake (any error diagnostic), 2 only for a policyc defect (PC9xxx).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describeFsError, diag, hasErrors, renderDiagnostic, renderDiagnostics, type Diagnostic } from "../diagnostics/index.js";
import { D } from "../ir/diagnostics.js";
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

/**
 * Runs `write` (files a command writes into a folder the user named: init, import, deckhouse
 * templates) and turns a filesystem refusal (permission denied, a file where a folder should be,
 * a full disk) into PC3002 naming the folder and the reason, exit 1; any other exception is
 * policyc's defect and propagates (exit 2). Returns 0 when all was written.
 */
export function writeUserFiles(io: CommandIO, folder: string, write: () => void): number {
  try {
    write();
    return 0;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code !== "string" || !/^E[A-Z]+$/.test(code)) throw e;
    const where = (e as NodeJS.ErrnoException).path;
    const shown = where ? path.relative(io.cwd, where) || where : folder;
    printDiagnostics(io, [diag(D.outUnwritable, [folder, `${describeFsError(e)} (${shown})`])], io.cwd);
    return 1;
  }
}

export function exitCodeFor(diagnostics: readonly Diagnostic[]): number {
  if (diagnostics.some((d) => d.severity === "error" && d.code.startsWith("PC9"))) return 2;
  return hasErrors(diagnostics) ? 1 : 0;
}

/** Whether stack traces of internal failures are wanted (`--debug` or POLICYC_DEBUG=1). */
let debug = process.env.POLICYC_DEBUG === "1";
export function setDebug(on: boolean): void {
  debug = on || process.env.POLICYC_DEBUG === "1";
}

/**
 * PC9001 for an exception that escaped a command: a policyc defect. It names the real cause (the
 * error's type and message, and where in policyc it was thrown); the stack only in debug mode.
 */
export function internalFailure(e: unknown): string {
  const err = e instanceof Error ? e : undefined;
  const cause = err ? `${err.name}: ${err.message}` : String(e);
  if (debug) return renderDiagnostic(diag(D.internal, [err?.stack ?? cause]));
  const frame = err?.stack?.split("\n").find((l) => /^\s+at /.test(l))?.trim();
  const notes = [...(frame ? [`thrown ${frame}`] : []), "this is a bug in policyc; run again with --debug (or POLICYC_DEBUG=1) for the stack trace and report it"];
  return renderDiagnostic(diag(D.internal, [cause], undefined, notes));
}
