/**
 * The catalog of Rego parser diagnostics (PC50xx). Messages name what was expected and what was
 * found, so that a user can fix the source from the message alone.
 */
import type { MessageDef } from "../../diagnostics/index.js";

export const RegoParseMessages = {
  /** A token that cannot start or continue the construct being parsed. */
  unexpected: { code: "PC5001", text: "expected {0}, found {1}" },
  /** A bracket, brace or parenthesis that is never closed. */
  unclosed: { code: "PC5002", text: "expected {0} to close the {1} opened at {2}, found {3}" },
  /** Lexical errors: bad strings, numbers, characters. */
  lexical: { code: "PC5003", text: "{0}" },
  /** Import statements OPA's parser rejects. */
  badImport: { code: "PC5004", text: "{0}" },
  /** Rego v1 requires `if` before rule bodies and `contains` for multi-value rules. */
  v1Keyword: { code: "PC5005", text: "{0}" },
  /** Rule heads that cannot define a rule (default without value, else on multi-value rules, ...). */
  badRule: { code: "PC5006", text: "{0}" },
  /** References whose head cannot be dereferenced (`"a".b`, `1[0]`). */
  badRef: { code: "PC5007", text: "{0}" },
  /** A missing, repeated or misplaced `package` declaration. */
  badPackage: { code: "PC5008", text: "{0}" },
  /** Expressions that are not allowed inside `$"...{expr}..."`. */
  badTemplate: { code: "PC5009", text: "{0}" },
  /** Malformed `some` and `every` declarations. */
  badQuantifier: { code: "PC5010", text: "{0}" },
  /** Malformed `# METADATA` annotation blocks. */
  badAnnotation: { code: "PC5012", text: "{0}" },
  /** Nesting deeper than the parser's limit (protects the process stack). */
  tooDeep: { code: "PC5011", text: "expression nested deeper than {0} levels" },
} satisfies Record<string, MessageDef>;
