/**
 * `policyc eval`: the CLI entry of src/engine/eval (evaluate a Rego query, print `opa eval` JSON).
 */
import { runEval, usage } from "../../engine/eval/command.js";

export const command = {
  name: "eval",
  summary: "evaluate a Rego query against modules and data (prints `opa eval --format json` output)",
  usage,
  run(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void; cwd: string }): Promise<number> {
    return runEval(argv, io);
  },
};
