/**
 * The emitter contract: a pure function from the IR to files (and diagnostics). Emitters never touch
 * the disk; the build validates what they return and the writer writes it.
 */
import type { Diagnostic } from "../diagnostics/index.js";
import type { ConfigIR, Origin, ProjectIR } from "../ir/ir.js";

export interface GeneratedFile {
  /** POSIX path relative to the output directory, e.g. `manifests/k8sallowedrepos-prod-repo.yaml`. */
  path: string;
  content: string;
  /** The object serialized in `content`, for validation. */
  object?: unknown;
  /** Schema in `schemas/` (relative path) the object must satisfy. */
  schema?: string;
  /** The definition the file came from, so validation errors point at the user's line. */
  origin?: Origin;
}

export interface EmitResult {
  files: GeneratedFile[];
  diagnostics: Diagnostic[];
}

export interface Emitter {
  id: string;
  emit(project: ProjectIR, config: ConfigIR): EmitResult;
}
