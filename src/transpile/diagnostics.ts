/**
 * The transpiler's diagnostic catalog (PC7xxx): TypeScript in a check body that has no faithful Rego
 * translation. Every message says what to write instead. Codes are stable: never renumber, only add.
 */
import type { MessageDef } from "../diagnostics/index.js";

const error = (code: string, text: string): MessageDef => ({ code, text });

export const T = {
  noViolation: error("PC7001", "check {0} needs exactly one body, a TypeScript `violation(review, params, report)` or a `rego` template; it has {1}"),
  notAFunction: error("PC7002", "`violation` must be written as a method, function or arrow function in the defineCheck call"),
  unsupportedStatement: error("PC7003", "{0} is not supported in a check body; use const, if/else, for...of, return, continue and report(...)"),
  unsupportedExpression: error("PC7004", "{0} is not supported in a check body; {1}"),
  mutation: error("PC7005", "{0} changes state; check bodies must be pure: compute values with const, filter/map/some/every instead"),
  letBinding: error("PC7006", "`{0}` declarations are not supported; use `const` (values never change in Rego)"),
  returnInLoop: error("PC7007", "`return` inside for...of stops at the first element, which Rego cannot express; use `continue` (or test with .some()/.find() before the loop)"),
  unknownMethod: error("PC7008", "`.{0}()` on {1} is not supported; supported: {2}"),
  anyType: error("PC7009", "`{0}` has type `any`; give it a concrete type (e.g. from kubernetes-types) so policyc can compile it"),
  recursion: error("PC7010", "`{0}` calls itself; recursion has no Rego equivalent, rewrite it with for...of or array methods"),
  notRe2: error("PC7011", "this regular expression is not RE2-compatible ({0}); Rego's regex.match uses RE2: remove look-arounds and back-references"),
  regexFlags: error("PC7012", "regular expression flag(s) `{0}` are not supported; use `i`, `m` or `s`"),
  messageUndefined: error("PC7013", "`${{0}}` may be undefined: TypeScript would print \"undefined\" while Rego would report nothing; write `${{0} ?? \"\"}` or test it first"),
  messageType: error("PC7014", "`${{0}}` of type `{1}` prints differently in TypeScript and Rego; {2}"),
  objectEquality: error("PC7015", "comparing {0} with `{1}` compares references in TypeScript but values in Rego; compare their fields instead"),
  unknownCall: error("PC7016", "`{0}` cannot be called from a check body; call built-in string/array methods, podSpecOf, regoString, or a function declared in a policy file"),
  reportArgs: error("PC7017", "report(message, details?) takes one or two arguments"),
  helperBody: error("PC7018", "helper function `{0}` must consist of `if (...) return ...;` statements and a final `return ...;`"),
  sliceArgs: error("PC7019", "`.slice()` needs non-negative number literals here (Rego's substring counts from the start)"),
  badPackage: error("PC7025", "regoPackage `{0}` is not a Rego package path; write dot-separated identifiers such as `d8.operation_policies`"),
  detailsUndefined: error("PC7020", "`{0}` may be undefined: TypeScript would leave the field out of the details while Rego would report nothing; write `{0} ?? null` or test it first"),
  celBlocked: { code: "PC7021", severity: "info", text: "check {0} stays Rego-only: {1} has no faithful CEL form (set `cel: \"off\"` to silence this, or rewrite it, see docs/cel.md)" },
  celRequired: error("PC7022", "check {0} asks for `cel: \"required\"`, but {1} has no faithful CEL form; rewrite it (see docs/cel.md) or drop `cel: \"required\"`"),
  celInvalid: error("PC7023", "CEL `{0}` does not type-check: {1}"),
  celMisplaced: error("PC7024", "check {0}: {1}"),
} as const;
