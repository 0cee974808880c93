/**
 * The `policyc` executable: argv → a command from the registry. Exit codes: 0 ok, 1 user error,
 * 2 internal failure (an exception escaping a command is a bug in policyc, reported as PC9001).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { closest, diag, DiagnosticError } from "../diagnostics/index.js";
import { PC109 } from "./diagnostics.js";
import { packageRoot } from "../frontend/paths.js";
import { trapExitForever } from "../frontend/contain.js";
import type { CommandIO } from "./command.js";
import { commands } from "./commands/index.js";
import { exitCodeFor, internalFailure, printDiagnostics, setDebug } from "./report.js";
import { processOutput } from "./output.js";

export function version(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
}

export async function help(): Promise<string> {
  const loaded = await Promise.all(commands.map(async (c) => (await c.load()).command));
  const width = Math.max(...loaded.map((c) => c.name.length));
  return [
    "policyc: policy-as-code compiler for Kubernetes admission control",
    "",
    "Usage: policyc <command> [options]",
    "",
    "Commands:",
    ...loaded.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Options:",
    "  -h, --help     show help (policyc <command> --help for a command's options)",
    "  -v, --version  print the version",
    "  --debug        print the stack trace of an internal error (also POLICYC_DEBUG=1)",
  ].join("\n");
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  // `--debug` anywhere: stack traces of internal failures (also POLICYC_DEBUG=1).
  setDebug(argv.includes("--debug"));
  const [first, ...rest] = argv.filter((a) => a !== "--debug");
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    const named = first === "help" && rest[0] ? commands.find((c) => c.name === rest[0]) : undefined;
    io.stdout(`${named ? (await named.load()).command.usage : await help()}\n`);
    return first === undefined ? 1 : 0;
  }
  if (first === "-v" || first === "--version") {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === first);
  if (!entry) {
    const near = closest(first, commands.map((c) => c.name));
    const d = diag(PC109.unknownCommand, [first, near ? `; did you mean \`${near}\`?` : ""], undefined, ["`policyc --help` lists the commands"]);
    printDiagnostics(io, [d], io.cwd);
    return 1;
  }
  try {
    const { command } = await entry.load();
    return await command.run(rest, io);
  } catch (e) {
    // A DiagnosticError that escaped still carries the user's problem; anything else is a defect.
    if (e instanceof DiagnosticError) {
      printDiagnostics(io, e.diagnostics, undefined);
      return exitCodeFor(e.diagnostics) || 1;
    }
    io.stderr(`${internalFailure(e)}\n`);
    return 2;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  trapExitForever();
  const io: CommandIO = {
    ...processOutput,
    cwd: process.cwd(),
    isTTY: process.stderr.isTTY === true,
  };
  process.exitCode = await main(process.argv.slice(2), io);
}
