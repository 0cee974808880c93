/**
 * The build as an ordered list of stages: load (front end) → project checks → emitters →
 * kustomization → path and schema validation (`emit-project.ts`) → write (or compare, for
 * `--check`). Any error stops the build before the output directory is touched.
 */
import path from "node:path";
import { diag, hasErrors, type Diagnostic } from "../diagnostics/index.js";
import type { GeneratedFile } from "../emit/emitter.js";
import { loadProject } from "../frontend/load.js";
import type { ProjectIR } from "../ir/ir.js";
import { D } from "../ir/diagnostics.js";
import { emitProject } from "./emit-project.js";
import { updateOutput, type OutputChanges, type WriteOptions } from "./write.js";
import { lapTimer } from "./timings.js";

export { emitters, projectChecks } from "./emit-project.js";

export interface BuildOptions {
  cwd: string;
  configPath?: string;
  /** Overrides the config's outDir; relative to cwd. */
  outDir?: string;
  /** How long policy files may run (ms); default: the config's `timeout`. */
  timeoutMs?: number;
  /** Compare with the output on disk instead of writing. */
  check?: boolean;
  write?: WriteOptions;
}

export interface BuildResult {
  diagnostics: Diagnostic[];
  root?: string;
  /** Absolute output directory. */
  outDir?: string;
  files?: GeneratedFile[];
  project?: ProjectIR;
  /** With `check`: what differs from the output on disk. */
  changes?: OutputChanges;
  /** The output on disk already equals the build, so nothing was written. */
  unchanged?: boolean;
  /** What the write changed in the output on disk. */
  written?: OutputChanges;
}

/** With POLICYC_TIMINGS=1, each stage's times. */
const lap = lapTimer();
let firstCompile = true;

/** Everything up to (not including) the write: the files a build would produce. */
export async function compile(options: BuildOptions): Promise<BuildResult> {
  // The first build of a process also reports what came before it (module loading).
  lap.restart(firstCompile);
  if (firstCompile) lap("start-up (process start to compile)");
  firstCompile = false;
  const loaded = await loadProject({
    cwd: options.cwd,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const result: BuildResult = { diagnostics: loaded.diagnostics };
  if (loaded.root) result.root = loaded.root;
  if (!loaded.project || !loaded.root || hasErrors(loaded.diagnostics)) return result;
  const project = loaded.project;
  result.project = project;
  result.outDir = options.outDir ? path.resolve(options.cwd, options.outDir) : path.resolve(loaded.root, project.config.outDir);
  lap("load");

  const emitted = emitProject(project, result.outDir, lap, { root: loaded.root });
  result.diagnostics = [...loaded.diagnostics, ...emitted.diagnostics];
  if (emitted.files && !hasErrors(result.diagnostics)) result.files = emitted.files;
  return result;
}

/** A full build: compile, then write (or compare with `check`) through the output writer. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const result = await compile(options);
  if (!result.files || !result.outDir || !result.root || hasErrors(result.diagnostics)) return result;
  const guard = outDirProblem(result.root, result.outDir);
  if (guard) {
    result.diagnostics.push(guard);
    return result;
  }
  const written = await updateOutput(result.outDir, result.files, { ...options.write, ...(options.check ? { check: true } : {}) });
  result.diagnostics.push(...written.diagnostics);
  if (options.check) {
    if (written.changes) result.changes = written.changes;
  } else if (written.unchanged) result.unchanged = true;
  else if (written.changes && !hasErrors(written.diagnostics)) result.written = written.changes;
  lap("write");
  return result;
}

/**
 * The output directory's content is replaced, so it must never be the project or one of its
 * parents (ownership of other folders is the writer's rule, see write.ts).
 */
function outDirProblem(root: string, outDir: string): Diagnostic | undefined {
  const rel = path.relative(outDir, root);
  if (rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))) {
    return diag(D.outContainsSources, [outDir, root]);
  }
  return undefined;
}
