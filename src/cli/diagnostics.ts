/**
 * Catalog of PC109x diagnostics: the command line itself (options, their values, arguments). Every
 * command's options are checked in one place (src/cli/args.ts), so these codes are the same for
 * every command.
 */
import type { MessageDef } from "../diagnostics/index.js";

const e = (code: string, text: string): MessageDef => ({ code, text });

export const PC109 = {
  unknownCommand: e("PC1089", "unknown command `{0}`{1}"),
  unknownOption: e("PC1090", "unknown option `{0}` for policyc {1}{2}"),
  badValue: e("PC1091", "`{0}` value `{1}` is not {2}{3}"),
  missingValue: e("PC1092", "`{0}` needs a value{1}"),
  takesNoValue: e("PC1093", "`{0}` is a switch and takes no value (got `{1}`)"),
  unexpectedArgument: e("PC1094", "unexpected argument `{0}`: policyc {1} takes no paths"),
  usage: e("PC1095", "{0}"),
  unwritableOutput: e("PC1096", "cannot write the report to `{0}` (--output): {1}"),
} as const;
