/**
 * The compiler's diagnostic catalog (PC51xx: module structure, imports, rules and the rule tree;
 * PC52xx: bodies: safety, locals, calls, recursion, `with`). Messages follow OPA's wording where
 * OPA has one (e.g. `var x is unsafe`) so users can search for them.
 */
import type { MessageDef, Span } from "../../diagnostics/index.js";
import type { Location } from "../rego/ast.js";

export const CompilerMessages = {
  unknownImport: { code: "PC5101", text: "unknown import form {0}: imports must start with data., input., future.keywords or rego.v1" },
  duplicateImport: { code: "PC5102", text: "import {0} is declared twice" },
  reservedRuleName: { code: "PC5103", text: "rule name {0} is reserved: rules must not be named input or data" },
  defaultWithBody: { code: "PC5104", text: "default rule {0} must not have a body" },
  defaultWithVars: { code: "PC5105", text: "default rule {0} value must be ground, found var {1}" },
  multipleDefaults: { code: "PC5106", text: "multiple default rules {0} found" },
  conflictFunctionRule: { code: "PC5107", text: "conflicting rules {0} found: function and non-function definitions" },
  conflictSingleMulti: { code: "PC5108", text: "conflicting rules {0} found: single-value and multi-value definitions" },
  conflictArity: { code: "PC5109", text: "conflicting rules {0} found: function definitions with {1} and {2} arguments" },
  conflictPrefix: { code: "PC5110", text: "rule {0} conflicts with rule {1}: a complete rule cannot have rules below it" },
  defaultFunctionVars: { code: "PC5111", text: "default function {0} arguments must be vars" },
  dataConflict: { code: "PC5112", text: "conflicting rule for data path {0} found" },
  unsafeVar: { code: "PC5201", text: "var {0} is unsafe" },
  recursion: { code: "PC5202", text: "rego_recursion_error: rule {0} is recursive: {1}" },
  unknownFunction: { code: "PC5203", text: "undefined function {0}" },
  wrongArity: { code: "PC5204", text: "function {0} has arity {1}, got {2} arguments" },
  assignedAbove: { code: "PC5205", text: "var {0} assigned above" },
  referencedAbove: { code: "PC5206", text: "var {0} referenced above" },
  shadowGlobal: { code: "PC5207", text: "variables must not shadow {0} (use a different variable name)" },
  assignToNonVar: { code: "PC5208", text: "cannot assign to {0}" },
  withTarget: { code: "PC5209", text: "with keyword target {0} must be input, data, or a function" },
  someMisuse: { code: "PC5210", text: "{0}" },
  everyMisuse: { code: "PC5211", text: "{0}" },
  withOnFunctionValue: { code: "PC5212", text: "with keyword cannot replace {0}: {1}" },
  declaredUnused: { code: "PC5213", text: "declared var {0} unused" },
  deprecatedBuiltin: { code: "PC5214", text: "deprecated built-in function {0} is not available in Rego v1" },
  withPartialVirtual: { code: "PC5215", text: "with keyword cannot partially replace virtual document(s)" },
} satisfies Record<string, MessageDef>;

export function spanOf(loc: Location | undefined): Span | undefined {
  if (!loc) return undefined;
  return { file: loc.file, line: loc.row, col: loc.col };
}
