/**
 * `policyc expand [PATH...|-]`: `gator expand` — the objects Gatekeeper's ExpansionTemplates would
 * generate from the input workloads, after the inputs' mutators, printed as gator prints them.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describeFsError, diag, hasErrors } from "../../diagnostics/index.js";
import { PC41 } from "../../testing/diagnostics.js";
import { runExpand } from "../../testing/expand.js";
import { toGoJson, toGoYaml } from "../../testing/go-yaml.js";
import { parseCommandArgs, usageError } from "../args.js";
import type { Command } from "../command.js";
import { printDiagnostics } from "../report.js";
import { stdinBesidePaths } from "../stdin.js";

const usage = `policyc expand [PATH...|-] [options]

Expands generator resources as Gatekeeper does (gator expand): every input object is mutated by the
inputs' mutators (Assign, AssignMetadata, ModifySet, AssignImage), then the inputs'
ExpansionTemplates turn it into the objects it would create (a Deployment's Pod), to which mutators
with match.source Generated or All apply. Namespace objects among the inputs are what mutators'
namespaceSelector sees. The generated objects are printed, sorted as gator sorts them.
Inputs: files, folders (recursively: .yaml, .yml, .json) and stdin (-; also read beside paths when
stdin is a redirected file or a shell pipe, as gator expand reads it).

  -n, --filename PATH     an input, as gator expand takes it (repeatable; same as a positional PATH)
  -f, --format FORMAT     yaml (default) or json, as gator expand prints them
  -o, --outputfile FILE   write the objects to FILE instead of stdout
  -h, --help              show this help

Exit status: 0 expanded, 1 bad input (a refused mutator or ExpansionTemplate, an object whose
mutation or expansion fails, no objects), 2 internal error.`;

export const command: Command = {
  name: "expand",
  summary: "print the objects ExpansionTemplates generate from workloads, after mutation (gator expand)",
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(
      { name: "expand", usage },
      argv,
      io,
      {
        filename: { type: "string", short: "n", multiple: true, placeholder: "PATH" },
        format: { type: "string", short: "f", choices: ["yaml", "json"] },
        outputfile: { type: "string", short: "o", placeholder: "FILE" },
      },
      { positionals: true },
    );
    if (typeof args === "number") return args;
    const { values, positionals } = args;
    let inputs = [...positionals, ...(values.filename ?? [])];
    if (inputs.length === 0) {
      if (process.stdin.isTTY) return usageError(io, "expand", "no objects to expand: give files, folders, or - for stdin");
      inputs = ["-"];
    } else if (!inputs.includes("-") && stdinBesidePaths()) inputs.push("-");
    const run = runExpand({ cwd: io.cwd, inputs });
    printDiagnostics(io, run.diagnostics, io.cwd);
    // YAML: gator's documents joined by `---` lines. JSON: a stream of objects, one after another
    // (jq reads it); gator glues `---` to the closing brace, which no JSON reader accepts.
    const output = values.format === "json" ? run.objects.map(toGoJson).join("\n") : run.objects.map(toGoYaml).join("---\n");
    if (values.outputfile) {
      const file = path.resolve(io.cwd, values.outputfile);
      try {
        writeFileSync(file, output);
      } catch (e) {
        printDiagnostics(io, [diag(PC41.noInput, [values.outputfile, `cannot be written: ${describeFsError(e)}`])], io.cwd);
        return 1;
      }
      io.stdout(`Writing output to file: ${values.outputfile}\n`);
    } else io.stdout(`${output}\n`);
    return hasErrors(run.diagnostics) ? 1 : 0;
  },
};
