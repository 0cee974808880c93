/**
 * Source-to-source formatting (`opa fmt` for policyc): parse, then print with the source at hand so
 * that comments and blank lines between expressions survive. Can also convert v0 to v1 and back.
 */
import type { RegoVersion } from "./ast.js";
import { parseModule } from "./parser.js";
import { formatModule } from "./printer.js";

export interface FormatSourceOptions {
  file: string;
  /** The dialect the text is written in. */
  regoVersion: RegoVersion;
  /** The dialect to print (default: the input's). */
  outputVersion?: RegoVersion;
  printWidth?: number;
}

/** Formats Rego text. Throws `RegoParseError` when the text does not parse. */
export function formatSource(text: string, opts: FormatSourceOptions): string {
  const m = parseModule(text, { file: opts.file, regoVersion: opts.regoVersion });
  const out: { regoVersion: RegoVersion; printWidth?: number } = { regoVersion: opts.outputVersion ?? opts.regoVersion };
  if (opts.printWidth !== undefined) out.printWidth = opts.printWidth;
  return formatModule(m, out, text);
}
