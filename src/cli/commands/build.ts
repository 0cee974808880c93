/** `policyc build [--config F] [--out DIR] [--check]`: compiles the project into its output directory. */
import path from "node:path";
import { build } from "../../build/stages.js";
import { parseCommandArgs } from "../args.js";
import type { Command } from "../command.js";
import { exitCodeFor, printDiagnostics } from "../report.js";

const usage = `policyc build [--config FILE] [--out DIR] [--check]

Compiles the policies matched by policyc.config.ts (found from the current directory upwards)
into the output directory (config outDir, default generated/): Gatekeeper ConstraintTemplates and
Constraints under manifests/ with a kustomization.yaml, and kubeconform schemas under schemas/.
The output is replaced atomically; a failed build leaves it untouched.

  --config FILE   use this config file instead of searching for policyc.config.ts
  --out DIR       write here instead of the config's outDir (relative to the current directory)
  --check         build in memory and compare with the output on disk; exit 1 and list the
                  changed, added and removed files when it is out of date (CI drift check)
  -h, --help      show this help`;

export const command: Command = {
  name: "build",
  summary: "compile policies into manifests (or --check that the output is up to date)",
  usage,
  async run(argv, io) {
    const args = parseCommandArgs({ name: "build", usage }, argv, io, {
      config: { type: "string" },
      out: { type: "string" },
      check: { type: "boolean" },
    });
    if (typeof args === "number") return args;
    const { values } = args;
    const result = await build({
      cwd: io.cwd,
      ...(values.config ? { configPath: values.config } : {}),
      ...(values.out ? { outDir: values.out } : {}),
      ...(values.check ? { check: true } : {}),
    });
    printDiagnostics(io, result.diagnostics, result.root);
    const code = exitCodeFor(result.diagnostics);
    if (code !== 0 || !result.files || !result.outDir) return code || 1;
    const shown = path.relative(io.cwd, result.outDir) || ".";
    if (result.changes) {
      const { added, changed, removed } = result.changes;
      if (added.length + changed.length + removed.length === 0) {
        io.stdout(`${shown}/ is up to date (${result.files.length} files)\n`);
        return 0;
      }
      const lines = [`${shown}/ is out of date; run \`policyc build\` to update it:`];
      for (const f of changed) lines.push(`  changed: ${f}`);
      for (const f of added) lines.push(`  added:   ${f}`);
      for (const f of removed) lines.push(`  removed: ${f}`);
      io.stderr(`${lines.join("\n")}\n`);
      return 1;
    }
    const p = result.project!;
    if (result.unchanged) {
      io.stdout(`${shown}/ is up to date (${result.files.length} files); nothing written\n`);
      return 0;
    }
    io.stdout(
      `wrote ${result.files.length} files to ${shown}/ (${p.checks.length} templates, ${p.constraints.length} constraints, ${p.resources.length} other resources)\n`,
    );
    return 0;
  },
};
