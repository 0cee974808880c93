/**
 * `policyc build [--config F] [--out DIR] [--check | --watch]`: compiles the project into its output
 * directory, once or on every change.
 */
import path from "node:path";
import { build, type BuildResult } from "../../build/stages.js";
import { parseCommandArgs, parseDuration, usageError } from "../args.js";
import type { Command, CommandIO } from "../command.js";
import { exitCodeFor, printDiagnostics } from "../report.js";
import { runWatching } from "../watch.js";
import { diag, renderDiagnostic } from "../../diagnostics/index.js";
import { D } from "../../ir/diagnostics.js";

const usage = `policyc build [--config FILE] [--out DIR] [--timeout SECONDS] [--check | --watch]

Compiles the policies matched by policyc.config.ts (found from the current directory upwards)
into the output directory (config outDir, default generated/): Gatekeeper ConstraintTemplates and
Constraints under manifests/ with a kustomization.yaml, and kubeconform schemas under schemas/.
policyc writes only into an output folder it owns (marked by its .policyc-output file); a
failed or killed build leaves the previous output or one the next run completes (docs/cli.md).

  --config FILE   use this config file instead of searching for policyc.config.ts
  --out DIR       write here instead of the config's outDir (relative to the current directory)
  --timeout T     stop when the policy files run longer than T (seconds, or 500ms/90s/2m/1m30s;
                  default: the config's timeout, else 60 s)
  --check         build in memory and compare with the output on disk; exit 1 and list the
                  changed, added and removed files when it is out of date (CI drift check)
  -w, --watch     build, then rebuild whenever a file of the project changes, until interrupted
                  (Ctrl-C); a failed rebuild prints its diagnostics and leaves the output as it was
  -h, --help      show this help`;

export const command: Command = {
  name: "build",
  summary: "compile policies into manifests (or --check that the output is up to date)",
  usage,
  async run(argv, io) {
    const args = parseCommandArgs({ name: "build", usage }, argv, io, {
      config: { type: "string", placeholder: "FILE" },
      out: { type: "string", placeholder: "DIR" },
      check: { type: "boolean" },
      watch: { type: "boolean", short: "w" },
      timeout: { type: "string", kind: "duration" },
    });
    if (typeof args === "number") return args;
    const { values } = args;
    const timeoutMs = values.timeout === undefined ? undefined : parseDuration(values.timeout);
    const options = {
      cwd: io.cwd,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(values.config ? { configPath: values.config } : {}),
      ...(values.out ? { outDir: values.out } : {}),
    };
    if (values.watch) {
      if (values.check) return usageError(io, "build", "--watch and --check cannot be combined");
      return watchBuilds(options, io);
    }
    const result = await build({ ...options, ...(values.check ? { check: true } : {}) });
    return report(result, io);
  },
};

/** Prints a build's diagnostics and summary; returns its exit code. */
function report(result: BuildResult, io: CommandIO): number {
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
    // The diagnostic line (its code for CI logs), then the files, one per line.
    const lines = [renderDiagnostic(diag(D.outStale, [shown]))];
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
  const written = result.written;
  const delta = written ? (["changed", "added", "removed"] as const).filter((k) => written[k].length > 0).map((k) => `${written[k].length} ${k}`) : [];
  io.stdout(
    `wrote ${result.files.length} files to ${shown}/ (${p.checks.length} templates, ${p.constraints.length} constraints, ${p.resources.length} other resources${delta.length ? `; ${delta.join(", ")}` : ""})\n`,
  );
  return 0;
}

/** `--watch`: the first build, then one build per burst of changes (see `runWatching`). */
function watchBuilds(options: { cwd: string; configPath?: string; outDir?: string; timeoutMs?: number }, io: CommandIO): Promise<number> {
  const ignore = options.outDir ? [path.resolve(options.cwd, options.outDir)] : [];
  return runWatching(
    io,
    async () => {
      const started = performance.now();
      const result = await build(options);
      const code = report(result, io);
      const summary = `${code === 0 ? "built" : "build failed"} in ${(performance.now() - started).toFixed(0)} ms`;
      return { ...(result.root ? { root: result.root } : {}), ...(result.outDir ? { outDir: result.outDir } : {}), summary };
    },
    ignore,
  );
}
