/**
 * Catalog of PC8xxx diagnostics: `policyc import` (existing Gatekeeper YAML → DSL sources). Codes are
 * stable; messages name the template or constraint and, where possible, the fix.
 */
import type { MessageDef } from "../diagnostics/index.js";

const e = (code: string, text: string): MessageDef => ({ code, text });
const w = (code: string, text: string): MessageDef => ({ code, severity: "warning", text });

export const PC8 = {
  noInputs: e("PC8001", "no YAML files found in {0}"),
  noTemplates: e("PC8002", "the inputs hold no Gatekeeper ConstraintTemplate (templates.gatekeeper.sh); nothing to import"),
  noRego: e("PC8003", "template `{0}` has no Rego code; policyc checks are Rego (or TypeScript compiled to Rego), so it is not imported"),
  schemaProblem: w("PC8004", "template `{0}`, parameter `{1}`: {2}; written as `unknown`, which the build rejects until you give it a type"),
  orphanConstraint: w("PC8005", "constraint `{0}` of kind {1} is not imported: its ConstraintTemplate is not among the inputs"),
  fileExists: e("PC8006", "{0} already exists; pass --force to overwrite it"),
  notCarried: w("PC8007", "template `{0}`: {1} is not carried over"),
  notPorted: w("PC8008", "template `{0}` stays Rego v0 (`regoVersion: \"v0\"` on its check): it cannot be ported to v1: {1}"),
  duplicateKind: e("PC8009", "template kind {0} is defined twice (also at {1}); only the first is imported"),
  badShape: e("PC8010", "{0} is not a usable {1}: {2}"),
  celInvalid: e("PC8012", "template `{0}`: its K8sNativeValidation `{1}` does not type-check: {2}"),
  duplicateConstraint: w("PC8011", "constraint `{0}` of kind {1} is defined twice (also at {2}); only the first is imported"),
  suiteCaseDropped: w("PC8020", "suite test `{0}`, case `{1}`: {2}; not carried over into the check's test cases"),
  suiteTestDropped: w("PC8021", "suite test `{0}`: {1}; its cases are not carried over"),
} as const;
