/**
 * Diagnostics of `policyc eval` (PC558x: loading files and running the query).
 */
import type { MessageDef } from "../../diagnostics/index.js";

export const EvalMessages = {
  noSuchFile: { code: "PC5580", text: "cannot read {0}: no such file or directory" },
  badDocument: { code: "PC5581", text: "cannot parse data document: {0}" },
  dataNotObject: { code: "PC5582", text: "data file {0} must hold an object (it is merged into data at the root)" },
  dataConflict: { code: "PC5583", text: "data files conflict at data.{0}: two files define it with different values" },
  noOpa: { code: "PC5584", text: "--engine opa needs an `opa` binary on PATH; use --engine policyc (the default)" },
  evalError: { code: "PC5585", text: "evaluation failed: {0}" },
  opaBuildFailed: { code: "PC5586", text: "opa build failed: {0}" },
  isDirectory: { code: "PC5587", text: "{0} is a directory: give a JSON or YAML file" },
  notRegularFile: { code: "PC5588", text: "{0} is not a regular file (a FIFO, socket or device): give a JSON or YAML file" },
  documentTooLarge: { code: "PC5589", text: "{0} is {1} MiB, more than the {2} MiB a document may have (the evaluation memory limit)" },
  documentTooDeep: { code: "PC5590", text: "the document nests deeper than {0} levels, the engine's limit" },
  unreadable: { code: "PC5591", text: "cannot read {0}: {1}" },
  timedOut: { code: "PC5592", text: "the query ran longer than --timeout {0} and was stopped (eval_cancel_error)" },
} satisfies Record<string, MessageDef>;
