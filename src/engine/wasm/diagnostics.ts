/**
 * Diagnostics of the Wasm back end (PC53xx: problems in the planned IR that cannot be turned into
 * a module; PC54xx: the runtime library is missing or does not match the contract).
 */
import type { MessageDef } from "../../diagnostics/index.js";

export const WasmDiagnostics = {
  tooManyHostArgs: { code: "PC5301", text: "built-in {0} is called with {1} arguments; host built-ins take at most 4" },
  funcArity: { code: "PC5302", text: "function {0} is called with {1} arguments but takes {2}" },
  unknownStmt: { code: "PC5303", text: "unsupported IR statement {0}" },
  badOperand: { code: "PC5304", text: "invalid IR operand {0}" },
  duplicateFunc: { code: "PC5305", text: "function {0} is planned twice" },
  badBreak: { code: "PC5306", text: "BreakStmt index {0} leaves more blocks than are open" },
  runtimeMissing: { code: "PC5401", text: "the Wasm runtime library is missing: {0}" },
  runtimeContract: { code: "PC5402", text: "the Wasm runtime library does not match the back end: {0}" },
} satisfies Record<string, MessageDef>;
