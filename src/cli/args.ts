/**
 * Command-line options for every command: node's `util.parseArgs` plus the conventions all
 * policyc commands share, so each command only declares its options. `-h/--help` prints the
 * command's usage (exit 0); an unknown option or a missing value prints the message and the usage
 * (exit 1). A command receives either the parsed values or the exit code to return.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { CommandIO } from "./command.js";

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;

const helpOption = { help: { type: "boolean", short: "h" } } as const;

type ValueOf<S> = S extends { type: "string"; multiple: true }
  ? string[]
  : S extends { type: "string" }
    ? string
    : S extends { multiple: true }
      ? boolean[]
      : boolean;

export interface ParsedCommandArgs<O extends OptionSpecs> {
  values: { [K in keyof O]?: ValueOf<O[K]> };
  positionals: string[];
}

export function parseCommandArgs<const O extends OptionSpecs>(
  command: { name: string; usage: string },
  argv: string[],
  io: CommandIO,
  options: O,
  { positionals = false }: { positionals?: boolean } = {},
): ParsedCommandArgs<O> | number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, ...helpOption }, allowPositionals: positionals, strict: true });
  } catch (e) {
    io.stderr(`policyc ${command.name}: ${(e as Error).message}\n\n${command.usage}\n`);
    return 1;
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  return parsed as unknown as ParsedCommandArgs<O>;
}

/** The report options `policyc test` and `policyc verify` share (see src/testing/report). */
export const reportOptions = {
  reporter: { type: "string" },
  output: { type: "string", short: "o" },
  verbose: { type: "boolean", short: "v" },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
} as const;

/** `--color` / `--no-color`, else colour on a terminal unless NO_COLOR is set. */
export function wantsColor(values: { color?: boolean; "no-color"?: boolean }): boolean {
  if (values.color) return true;
  if (values["no-color"]) return false;
  return process.stdout.isTTY === true && !process.env.NO_COLOR;
}

/**
 * A `--timeout` value in milliseconds: seconds as a plain number (`90`, `1.5`) or with a unit
 * (`500ms`, `90s`, `2m`); undefined when it is not a positive duration.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * (m[2] === "ms" ? 1 : m[2] === "m" ? 60_000 : 1000);
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
}
