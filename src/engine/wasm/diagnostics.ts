/**
 * Diagnostics of the Wasm back end (PC54xx; the planner owns PC53xx): PC540x the runtime library is
 * missing or does not match the contract, PC541x problems in the planned IR that cannot be turned
 * into a module, PC542x the engine API.
 */
import type { MessageDef } from "../../diagnostics/index.js";

export const WasmDiagnostics = {
  tooManyHostArgs: { code: "PC5411", text: "built-in {0} is called with {1} arguments; host built-ins take at most 4" },
  funcArity: { code: "PC5412", text: "function {0} is called with {1} arguments but takes {2}" },
  unknownStmt: { code: "PC5413", text: "unsupported IR statement {0}" },
  badOperand: { code: "PC5414", text: "invalid IR operand {0}" },
  duplicateFunc: { code: "PC5415", text: "function {0} is planned twice" },
  badBreak: { code: "PC5416", text: "BreakStmt index {0} leaves more blocks than are open" },
  tooDeep: { code: "PC5422", text: "the program is nested too deeply to compile (more than a {0} MiB stack holds); split the deepest expression or rule chain" },
  noEntrypoints: { code: "PC5421", text: "nothing to compile: give at least one entrypoint or query" },
  runtimeMissing: { code: "PC5401", text: "the Wasm runtime library is missing: {0}" },
  runtimeContract: { code: "PC5402", text: "the Wasm runtime library does not match the back end: {0}" },
  codegenDefect: { code: "PC9002", text: "internal error in the Wasm code generator (a policyc bug; please report it with the Rego that triggers it): {0}" },
} satisfies Record<string, MessageDef>;
