/**
 * From the IR to the checked list of output files: project checks → emitters → carried goldens →
 * kustomization → path checks → validation against `schemas/`. A function of the IR and of the
 * output directory (read only for golden snapshots to carry over).
 */
import { hasErrors, type Diagnostic } from "../diagnostics/index.js";
import type { Emitter, GeneratedFile } from "../emit/emitter.js";
import { docsEmitter } from "../emit/docs/emitter.js";
import { constraintsEmitter } from "../emit/gatekeeper/constraints.js";
import { expansionEmitter } from "../emit/gatekeeper/expansion.js";
import { kubeconformEmitter } from "../emit/gatekeeper/kubeconform.js";
import { checkGatekeeperRules } from "../emit/gatekeeper/rules.js";
import { templatesEmitter } from "../emit/gatekeeper/templates.js";
import { resourcesEmitter } from "../emit/resources.js";
import { checkPolicyResources } from "../emit/deckhouse/checks.js";
import { checkProjectCel } from "../frontend/lower/cel.js";
import { checkDeckhouseNames } from "../emit/deckhouse/reserved.js";
import { kyvernoFiltersEmitter } from "../emit/kyverno/filters.js";
import { vapEmitter } from "../emit/vap/emitter.js";
import { checkUntested, testsEmitter } from "../emit/tests/emitter.js";
import { carryGoldens } from "../emit/tests/golden-carry.js";
import type { ProjectIR } from "../ir/ir.js";
import { kubeconformSchemaFiles } from "../emit/kubeconform-schemas.js";
import { kustomizationFile } from "./kustomization.js";
import { compileProjectRego } from "./rego.js";
import { openRegoCache } from "./rego-cache.js";
import { validateFiles } from "./validate.js";
import { checkPaths } from "./write.js";

/** What a project check may use besides the IR. */
export interface CheckContext {
  /** The project root (absolute), for caches kept in the project. */
  root?: string;
}

/** Checks over the whole project that run before emission, in order. */
export const projectChecks: { name: string; run: (project: ProjectIR, ctx: CheckContext) => Diagnostic[] }[] = [
  { name: "gatekeeper-rules", run: checkGatekeeperRules },
  { name: "cel-types", run: checkProjectCel },
  { name: "rego-compile", run: (project, ctx) => compileProjectRego(project, openRegoCache(ctx.root)) },
  { name: "policy-resources", run: checkPolicyResources },
  { name: "untested-checks", run: checkUntested },
  { name: "deckhouse-names", run: checkDeckhouseNames },
];

/** Every emitter, in order. Add yours here (docs/architecture.md, "Adding an emitter"). */
export const emitters: Emitter[] = [
  templatesEmitter,
  constraintsEmitter,
  resourcesEmitter,
  expansionEmitter,
  vapEmitter,
  kubeconformEmitter,
  testsEmitter,
  kyvernoFiltersEmitter,
  docsEmitter,
];

export interface Emission {
  diagnostics: Diagnostic[];
  /** Sorted by path; absent when an error stopped the emission. */
  files?: GeneratedFile[];
}

/** `lap(stage)` is called after each stage (POLICYC_TIMINGS). */
export function emitProject(project: ProjectIR, outDir: string, lap: (stage: string) => void = () => {}, ctx: CheckContext = {}): Emission {
  const diagnostics: Diagnostic[] = [];
  for (const check of projectChecks) {
    diagnostics.push(...check.run(project, ctx));
    lap(check.name);
  }
  if (hasErrors(diagnostics)) return { diagnostics };

  const files: GeneratedFile[] = [];
  for (const emitter of emitters) {
    const out = emitter.emit(project, project.config);
    files.push(...out.files);
    diagnostics.push(...out.diagnostics);
    lap(`emit ${emitter.id}`);
  }
  files.push(...kubeconformSchemaFiles(files, project.config));
  // golden.json snapshots are owned by `policyc test --update`; the build keeps them.
  files.push(...carryGoldens(outDir, files));
  files.push(kustomizationFile(files));
  diagnostics.push(...checkPaths(files));
  if (hasErrors(diagnostics)) return { diagnostics };
  diagnostics.push(...validateFiles(files));
  lap("validate");
  if (hasErrors(diagnostics)) return { diagnostics };
  return { diagnostics, files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}
