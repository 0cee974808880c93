/**
 * Public surface of the Rego front end: parsing modules, queries and terms, and printing ASTs in
 * the style of `opa fmt`.
 */
export type * from "./ast.js";
export { parseModule, parseQuery, parseTerm, RegoParseError, type ParseOptions } from "./parser.js";
export { RegoParseMessages } from "./diagnostics.js";
