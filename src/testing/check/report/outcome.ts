/**
 * What a check run means for CI: which violations fail it (`--fail-on deny|warn|none`) and the
 * exit code. Reporters use the same predicate, so a report's failures are the exit code's.
 */
import { hasErrors } from "../../../diagnostics/index.js";
import { STDIN_DISPLAY } from "../inputs.js";
import type { CheckViolation } from "../evaluate.js";
import type { CheckRun } from "../run.js";

export type FailOn = "deny" | "warn" | "none";

export function failsRun(v: CheckViolation, failOn: FailOn): boolean {
  if (failOn === "none") return false;
  return v.action === "deny" || (failOn === "warn" && v.action === "warn");
}

/** 2 for an internal failure, 1 for an input error or a violation that fails the run, else 0. */
export function checkExitCode(run: CheckRun, failOn: FailOn): number {
  if (run.diagnostics.some((d) => d.severity === "error" && d.code.startsWith("PC9"))) return 2;
  if (hasErrors(run.diagnostics)) return 1;
  // By the run's counts (a streamed run keeps no results): failsRun's actions.
  const v = run.summary.violations;
  if (failOn === "none") return 0;
  return v.deny > 0 || (failOn === "warn" && v.warn > 0) ? 1 : 0;
}

/** `Kind namespace/name` (or `Kind name` for cluster-scoped objects). */
export function objectLabel(r: { kind: string; namespace: string; name: string }): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name || "<unnamed>"}`;
}

/**
 * Where the object is: `file:line`, or the helm template it was rendered from. A stream on stdin
 * (`kustomize build | policyc check -`) also gives the document's index in the stream.
 */
export function locationLabel(r: { origin: { file: string; line: number; source?: string; document?: number } }): string {
  const at = `${r.origin.file}:${r.origin.line}`;
  if (r.origin.source) return `${r.origin.source} (${at})`;
  return r.origin.file === STDIN_DISPLAY && r.origin.document ? `${at} (document ${r.origin.document})` : at;
}
