/**
 * `policyc verify PATH...`: discover gator Suites under the paths and run them. This is the library
 * entry point behind the CLI command (and the bench): paths in, `RunResult` out.
 */
import { performance } from "node:perf_hooks";
import { diag, type Diagnostic } from "../diagnostics/index.js";
import { PC4 } from "./diagnostics.js";
import type { RegoBackend } from "./gatekeeper/backend.js";
import type { RunResult } from "./run/results.js";
import { runSuites } from "./run/verify.js";
import { parseFilter, type Filter } from "./suite/filter.js";
import { discoverSuiteFiles, readSuite } from "./suite/load.js";
import type { Suite } from "./suite/model.js";

export interface VerifyOptions {
  cwd: string;
  run?: string;
  backend?: RegoBackend;
  /** Wall-clock limit of each template evaluation in ms (default: Gatekeeper's webhook timeout, 3 s). */
  timeoutMs?: number;
  /** Run `K8sNativeValidation` code on CEL, as gator's `--enable-k8s-native-validation` does. */
  k8sNativeValidation?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export function loadSuites(paths: readonly string[], cwd: string): { suites: Suite[]; diagnostics: Diagnostic[] } {
  const found = discoverSuiteFiles(paths, cwd);
  const suites: Suite[] = [];
  for (const f of found.files) {
    const s = readSuite(f, cwd, found.explicit.has(f));
    if (s) suites.push(s);
  }
  const diagnostics = [...found.diagnostics];
  if (suites.length === 0 && found.diagnostics.length === 0)
    diagnostics.push(diag(PC4.noSuites, [paths.join(" "), " (files with apiVersion test.gatekeeper.sh/v1alpha1, kind Suite)"]));
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
  const loaded = loadSuites(paths, opts.cwd);
  diagnostics.push(...loaded.diagnostics);
  const suites = await runSuites(loaded.suites, {
    cwd: opts.cwd,
    filter,
    ...(opts.backend ? { backend: opts.backend } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.k8sNativeValidation ? { k8sNativeValidation: true } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  return { suites, diagnostics, durationMs: performance.now() - t0 };
}
