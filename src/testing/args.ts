/**
 * A small argv parser shared by `policyc test` and `policyc verify`: `--flag`, `--opt value`,
 * `--opt=value`, short aliases, and positionals. Unknown options are errors with the usage hint.
 */

export interface OptionSpec {
  name: string;
  alias?: string;
  takesValue: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string>;
  flags: Set<string>;
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs | { error: string } {
  const out: ParsedArgs = { positionals: [], values: new Map(), flags: new Set() };
  const find = (tok: string) => specs.find((s) => `--${s.name}` === tok || (s.alias !== undefined && `-${s.alias}` === tok));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const tok = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = find(tok);
    if (!spec) return { error: `unknown option '${tok}'` };
    if (!spec.takesValue) {
      if (eq > 0) return { error: `option '${tok}' takes no value` };
      out.flags.add(spec.name);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return { error: `option '${tok}' needs a value` };
    out.values.set(spec.name, value);
  }
  return out;
}
