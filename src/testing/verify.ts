/**
 * `policyc verify PATH...`: discover gator Suites under the paths and run them. This is the library
 * entry point behind the CLI command (and the bench): paths in, `RunResult` out.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { diag, type Diagnostic } from "../diagnostics/index.js";
import { PC4 } from "./diagnostics.js";
import type { RegoBackend } from "./gatekeeper/backend.js";
import type { RunResult } from "./run/results.js";
import { runSuites } from "./run/verify.js";
import { parseFilter, type Filter } from "./suite/filter.js";
import { discoverSuiteFiles, readSuite, suitesBelow, type DiscoverOptions } from "./suite/load.js";
import type { Suite } from "./suite/model.js";

export interface VerifyOptions {
  cwd: string;
  run?: string;
  backend?: RegoBackend;
  /** Wall-clock limit of each template evaluation in ms (default: Gatekeeper's webhook timeout, 3 s). */
  timeoutMs?: number;
  /** Run `K8sNativeValidation` code on CEL, as gator's `--enable-k8s-native-validation` does. */
  k8sNativeValidation?: boolean;
  /** Run every case of a template with both Rego and CEL code on both engines (as `policyc test` does). */
  bothEngines?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Read directories as `gator verify` does (the CLI): only their own files unless given as `DIR/...`. */
  gatorPaths?: boolean;
}

export function loadSuites(paths: readonly string[], cwd: string, opts: DiscoverOptions = {}): { suites: Suite[]; diagnostics: Diagnostic[] } {
  const found = discoverSuiteFiles(paths, cwd, opts);
  const suites: Suite[] = [];
  for (const f of found.files) {
    const s = readSuite(f, cwd, found.explicit.has(f));
    if (s) suites.push(s);
  }
  const diagnostics = [...found.diagnostics];
  if (suites.length === 0 && found.diagnostics.length === 0) {
    const d = diag(PC4.noSuites, [paths.join(" "), " (files with apiVersion test.gatekeeper.sh/v1alpha1, kind Suite)"]);
    // gator reads a directory's own files only; say so when the suites are one level or more down.
    const below = found.flatDirs.map((dir) => ({ dir, n: suitesBelow(dir) })).filter((x) => x.n > 0);
    if (below.length > 0)
      d.notes = below.map(({ dir, n }) => {
        const rel = path.relative(cwd, dir) || ".";
        return `${n} suite file${n === 1 ? "" : "s"} below '${rel}': as in gator, a directory is read without its subdirectories; run '${rel}/...' to include them`;
      });
    diagnostics.push(d);
  } else if (suites.length > 0 && diagnostics.length === 0 && suites.every((s) => s.tests.length === 0 && s.diagnostics.length === 0 && !s.skip)) {
    // gator reads a file of the group and kind as a Suite whatever else it says (its reader ignores
    // unknown fields), so a Suite written in another shape runs nothing and passes: say so instead.
    const d = diag(PC4.noTests, [paths.join(" ")]);
    d.notes = suites.map((s) => {
      const ignored = s.warnings.filter((w) => w.code === "PC4020").map((w) => w.message.replace(/^unknown field '([^']*)'.*$/, "$1"));
      return `${s.display} has no 'tests'${ignored.length > 0 ? ` (gator ignores its ${ignored.map((f) => `'${f}'`).join(", ")})` : ""}`;
    });
    diagnostics.push(d);
  }
  return { suites, diagnostics };
}

export async function verify(paths: readonly string[], opts: VerifyOptions): Promise<RunResult> {
  const t0 = performance.now();
  const diagnostics: Diagnostic[] = [];
  let filter: Filter | undefined;
  try {
    filter = parseFilter(opts.run);
  } catch (e) {
    diagnostics.push(diag(PC4.badFilter, [opts.run, (e as Error).message]));
    return { suites: [], diagnostics, durationMs: performance.now() - t0 };
  }
  const loaded = loadSuites(paths, opts.cwd, opts.gatorPaths ? { gatorPaths: true } : {});
  diagnostics.push(...loaded.diagnostics);
  const suites = await runSuites(loaded.suites, {
    cwd: opts.cwd,
    filter,
    ...(opts.backend ? { backend: opts.backend } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.k8sNativeValidation ? { k8sNativeValidation: true } : {}),
    ...(opts.bothEngines ? { bothEngines: true } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  return { suites, diagnostics, durationMs: performance.now() - t0 };
}
