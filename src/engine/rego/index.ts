/**
 * Public surface of the Rego front end: parsing modules, queries and terms, and printing ASTs in
 * the style of `opa fmt`.
 */
export type * from "./ast.js";
export { parseModule, parseQuery, parseTerm, RegoParseError, type ParseOptions } from "./parser.js";
export { RegoParseMessages } from "./diagnostics.js";
export { formatModule, formatTerm, formatExpr, formatQuery, formatRule, type FormatOptions } from "./printer.js";
export { dumpTerm, dumpExpr, dumpBody, dumpRule, dumpModule, withoutLocations } from "./dump.js";
/** Constructors for ASTs built by code: `build.rule({...})`, `build.call("startswith", [...])`. */
export * as build from "./build.js";
export { moduleToOpaJson, ruleToOpaJson, bodyToOpaJson, termToOpaJson, type Json as OpaJson } from "./opa-json.js";
export { formatSource, type FormatSourceOptions } from "./format.js";
