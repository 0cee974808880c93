/**
 * Where the tests emitter puts things, relative to the output directory. One folder per check,
 * `tests/<template name>/`, outside `manifests/` so Argo CD never syncs it; the suite points at the
 * emitted ConstraintTemplate in `manifests/` so gator and `policyc test` run the shipped Rego.
 */

export const TESTS_DIR = "tests";

export function suiteDir(templateName: string): string {
  return `${TESTS_DIR}/${templateName}`;
}

/** The template manifest as the Gatekeeper templates emitter names it. */
export function templateManifest(templateName: string): string {
  return `manifests/constrainttemplate-${templateName}.yaml`;
}

export function goldenPath(templateName: string): string {
  return `${suiteDir(templateName)}/golden.json`;
}

/** A file-name-safe slug: lowercase letters, digits and dashes. */
export function slug(s: string): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return out === "" ? "case" : out;
}
