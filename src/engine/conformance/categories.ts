/**
 * Which conformance categories exercise the core language and which a built-in family, and which
 * built-in families the Gatekeeper library uses (the 100% targets are stated per group).
 */

export type CategoryKind = "core" | "gatekeeper-builtin" | "builtin";

/** Categories named after language features rather than built-ins. */
export const CORE_CATEGORIES = new Set([
  "assignments",
  "baseandvirtualdocs",
  "completedoc",
  "compositebasedereference",
  "compositereferences",
  "comprehensions",
  "containskeyword",
  "dataderef",
  "defaultkeyword",
  "disjunction",
  "elsekeyword",
  "embeddedvirtualdoc",
  "eqexpr",
  "evaltermexpr",
  "every",
  "example",
  "fix1863",
  "functionerrors",
  "functions",
  "helloworld",
  "indexing",
  "indirectreferences",
  "inputvalues",
  "invalidkeyerror",
  "keywordrefs",
  "negation",
  "nestedreferences",
  "partialdocconstants",
  "partialiter",
  "partialobjectdoc",
  "partialsetdoc",
  "planner-ir",
  "refheads",
  "sets",
  "stringinterpolation",
  "topdowndynamicdispatch",
  "undos",
  "varreferences",
  "virtualdocs",
  "withkeyword",
  "comparisonexpr",
]);

/**
 * Built-in families used by the Gatekeeper library templates (sprintf, object.get, strings,
 * regex.match, count/sort, type checks, to_number, set/array operators).
 */
export const GATEKEEPER_BUILTIN_CATEGORIES = new Set([
  "sprintf",
  "objectget",
  "regexmatch",
  "trim",
  "trimsuffix",
  "aggregates",
  "typebuiltin",
  "casts",
  "arithmetic",
  "intersection",
  "union",
  "strings",
]);

export function classifyCategory(category: string): CategoryKind {
  if (CORE_CATEGORIES.has(category)) return "core";
  if (GATEKEEPER_BUILTIN_CATEGORIES.has(category)) return "gatekeeper-builtin";
  return "builtin";
}
