/**
 * Command-line options for every command, declared once per command and checked here: node's
 * `util.parseArgs` for the syntax, then each option's declared value kind (a choice, a duration,
 * a whole number, a percentage, a regular expression). A mistake is a PC109x diagnostic naming the
 * option, the bad value and what is accepted (with the nearest accepted value or option), exit 1;
 * `-h/--help` prints the command's usage (exit 0). A command receives either the parsed values or
 * the exit code to return, so no command validates an option value itself.
 */
import { parseArgs } from "node:util";
import { closest, diag, type Diagnostic } from "../diagnostics/index.js";
import type { CommandIO } from "./command.js";
import { PC109 } from "./diagnostics.js";
import { reporterNames } from "../testing/report/index.js";
import { printDiagnostics } from "./report.js";

/** One option: node's parseArgs fields plus what its value must be. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** The accepted values; `ignoreCase` accepts any case (the value is then given as listed). */
  choices?: readonly string[];
  ignoreCase?: boolean;
  /**
   * duration: seconds (`90`, `1.5`) or Go-style units (`500ms`, `90s`, `2m`, `1m30s`), > 0 unless
   * `min: 0`; integer: a whole number (`min`/`max`); number: any number (`min`/`max`);
   * regex: a JavaScript regular expression; filter: `TEST//CASE`, each side a regular expression.
   */
  kind?: "duration" | "integer" | "number" | "regex" | "filter";
  min?: number;
  max?: number;
  /** What the value is, for "needs a value" (e.g. `DIR`). */
  placeholder?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

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
  const all: OptionSpecs = { ...options, ...helpOption };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: nodeOptions(all), allowPositionals: positionals, strict: true });
  } catch (e) {
    return usageError(io, command.name, syntaxProblem(e, argv, command.name, all));
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  const values = parsed.values as Record<string, string | boolean | (string | boolean)[] | undefined>;
  for (const [name, spec] of Object.entries(options)) {
    const given = values[name];
    for (const v of Array.isArray(given) ? given : given === undefined ? [] : [given]) {
      if (typeof v !== "string") continue;
      const checked = checkValue(`--${name}`, v, spec);
      if (typeof checked !== "string") return usageError(io, command.name, checked);
      // A choice given in another case is passed on as listed (`--operation update` → UPDATE).
      if (Array.isArray(given)) given[given.indexOf(v)] = checked;
      else values[name] = checked;
    }
  }
  return parsed as unknown as ParsedCommandArgs<O>;
}

/** Prints a usage diagnostic (PC1095 for a message) with the pointer to the command's help; returns 1. */
export function usageError(io: CommandIO, command: string, problem: Diagnostic | string): number {
  const d = typeof problem === "string" ? diag(PC109.usage, [problem]) : problem;
  printDiagnostics(io, [{ ...d, notes: [...(d.notes ?? []), `\`policyc ${command} --help\` lists the options`] }], io.cwd);
  return 1;
}

function nodeOptions(all: OptionSpecs) {
  return Object.fromEntries(
    Object.entries(all).map(([k, s]) => [k, { type: s.type, ...(s.short ? { short: s.short } : {}), ...(s.multiple ? { multiple: true } : {}) }]),
  );
}

/** node's parseArgs error as a diagnostic: which option or argument, and the nearest known option. */
function syntaxProblem(e: unknown, argv: string[], command: string, all: OptionSpecs): Diagnostic {
  const err = e as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(err.message ?? "")?.[1] ?? "";
  // node names an option with a short form as '-f, --filter <value>': keep the long name.
  const flag = quoted.replace(/ <value>$/, "").split(", ").pop()!;
  const longs = Object.keys(all).map((k) => `--${k}`);
  switch (err.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const name = flag.split("=")[0]!;
      const byPrefix = name.startsWith("--") ? longs.filter((l) => l.startsWith(name)) : [];
      const near = byPrefix.length === 1 ? byPrefix[0] : name.startsWith("--") ? closest(name, longs) : undefined;
      return diag(PC109.unknownOption, [name, command, near ? `; did you mean \`${near}\`?` : ""]);
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const spec = specOf(flag, all);
      if (spec?.type === "boolean") {
        const given = argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1) ?? "";
        return diag(PC109.takesNoValue, [flag, given]);
      }
      const what = spec ? accepted(spec) : "";
      const at = argv.findIndex((a) => a === flag || (spec?.short !== undefined && a === `-${spec.short}`));
      const next = at >= 0 ? argv[at + 1] : undefined;
      const long = flag.startsWith("--") ? flag : `--${Object.keys(all).find((k) => all[k] === spec) ?? flag}`;
      const hint = next?.startsWith("-") ? ` (\`${next}\` is taken as the next option; write \`${long}=${next}\` for a value that starts with -)` : "";
      return diag(PC109.missingValue, [flag, what ? `: ${what}${hint}` : hint]);
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return diag(PC109.unexpectedArgument, [quoted, command]);
    default:
      return diag(PC109.usage, [err.message ?? String(e)]);
  }
}

function specOf(flag: string, all: OptionSpecs): OptionSpec | undefined {
  if (flag.startsWith("--")) return all[flag.slice(2)];
  return Object.values(all).find((s) => `-${s.short}` === flag);
}

/** The value as the command should see it, or the diagnostic saying why it is not accepted. */
export function checkValue(flag: string, value: string, spec: OptionSpec): string | Diagnostic {
  const bad = (hint = "") => diag(PC109.badValue, [flag, value, accepted(spec), hint]);
  if (spec.choices) {
    const hit = spec.choices.find((c) => (spec.ignoreCase ? c.toLowerCase() === value.toLowerCase() : c === value));
    if (hit !== undefined) return hit;
    const near = closest(value, spec.choices);
    return bad(near ? `; did you mean \`${near}\`?` : "");
  }
  switch (spec.kind) {
    case "duration": {
      const ms = parseDuration(value, { allowZero: spec.min === 0 });
      return ms === undefined ? bad() : value;
    }
    case "integer":
    case "number": {
      const text = value.trim();
      const n = Number(text);
      const ok = text !== "" && Number.isFinite(n) && (spec.kind === "number" || /^[-+]?\d+$/.test(text));
      return ok && (spec.min === undefined || n >= spec.min) && (spec.max === undefined || n <= spec.max) ? value : bad();
    }
    case "regex":
    case "filter":
      for (const part of spec.kind === "filter" ? value.split("//") : [value]) {
        try {
          new RegExp(part);
        } catch (e) {
          return bad(`: ${(e as Error).message}`);
        }
      }
      return value;
    default:
      return value;
  }
}

/** What an option accepts, in words: "one of a, b", "a duration …", "a whole number from 1". */
function accepted(spec: OptionSpec): string {
  if (spec.choices) return `one of ${spec.choices.join(", ")}`;
  const range = (what: string) =>
    spec.min !== undefined && spec.max !== undefined
      ? `${what} from ${spec.min} to ${spec.max}`
      : spec.min !== undefined
        ? `${what} >= ${spec.min}`
        : spec.max !== undefined
          ? `${what} <= ${spec.max}`
          : what;
  switch (spec.kind) {
    case "duration":
      return "a duration: seconds (90, 1.5) or with a unit (500ms, 90s, 2m, 1m30s)";
    case "integer":
      return range("a whole number");
    case "number":
      return range("a number");
    case "regex":
      return "a regular expression";
    case "filter":
      return "a regular expression (TEST//CASE: one for the test, one for the case)";
    default:
      return spec.placeholder ?? "";
  }
}

/** The report options `policyc test` and `policyc verify` share (see src/testing/report). */
export const reportOptions = {
  reporter: { type: "string", choices: reporterNames },
  output: { type: "string", short: "o", placeholder: "FILE" },
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

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration in milliseconds: seconds as a plain number (`90`, `1.5`) or Go's notation, a sequence
 * of number+unit (`500ms`, `90s`, `2m`, `1m30s`; units ns, us, ms, s, m, h); undefined when it is
 * neither or not positive (`0` only with `allowZero`).
 */
export function parseDuration(text: string, { allowZero = false }: { allowZero?: boolean } = {}): number | undefined {
  const t = text.trim();
  let ms: number | undefined;
  if (/^\d+(?:\.\d+)?$/.test(t)) ms = Number(t) * 1000;
  else {
    const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
    let total = 0;
    let pos = 0;
    for (let m = re.exec(t); m; m = re.exec(t)) {
      total += Number(m[1]) * UNIT_MS[m[2]!]!;
      pos = re.lastIndex;
    }
    if (pos === t.length && pos > 0) ms = total;
  }
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  return ms > 0 || (allowZero && ms === 0) ? ms : undefined;
}

/**
 * gator's boolean flags take `=true`/`=false` (Go's flag syntax), which node's parser refuses for a
 * boolean: `--enable-k8s-native-validation=false` becomes `--disable-k8s-native-validation`.
 */
export function gatorBooleanFlags(argv: string[]): string[] {
  return argv.map((a) => {
    const m = /^--enable-k8s-native-validation=(.*)$/.exec(a);
    if (!m) return a;
    const v = m[1]!.toLowerCase();
    if (v === "false" || v === "0" || v === "f") return "--disable-k8s-native-validation";
    if (v === "true" || v === "1" || v === "t") return "--enable-k8s-native-validation";
    return a;
  });
}
