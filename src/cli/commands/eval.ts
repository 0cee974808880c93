/**
 * `policyc eval`: the CLI entry of src/engine/eval (evaluate a Rego query, print `opa eval` JSON).
 */
import type { Command } from "../command.js";
import { runEval, usage } from "../../engine/eval/command.js";

export const command: Command = {
  name: "eval",
  summary: "evaluate a Rego query against modules and data (prints `opa eval --format json` output)",
  usage,
  run(argv, io) {
    return runEval(argv, io);
  },
};
