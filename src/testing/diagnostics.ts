/**
 * Catalog of PC4xxx diagnostics: golden tests and gator suites (`policyc test`, `policyc verify`).
 * Codes are stable; messages name the file element at fault and, where possible, the fix.
 */
import type { MessageDef } from "../diagnostics/index.js";

const e = (code: string, text: string): MessageDef => ({ code, text });
const w = (code: string, text: string): MessageDef => ({ code, severity: "warning", text });

export const PC4 = {
  fileMissing: e("PC4001", "{0} file '{1}' does not exist"),
  notYaml: e("PC4002", "{0} is not valid YAML: {1}"),
  fileUnreadable: e("PC4050", "cannot read {0} file '{1}': {2}"),
  notUtf8: e("PC4051", "{0} is not UTF-8 text: {1}"),
  evalTimedOut: e(
    "PC4052",
    "template '{0}' ran longer than the {1} evaluation timeout on case '{2}' and was stopped (Gatekeeper's webhook gives up after 3s; raise the limit with --timeout)",
  ),
  wrongShape: e("PC4003", "'{0}' must be {1}, got {2}"),
  missingField: e("PC4004", "'{0}' is required{1}"),
  multipleObjects: e("PC4005", "object file '{0}' must contain exactly one object, it holds {1}"),
  noObjects: e("PC4006", "'{0}' holds no YAML objects"),
  notATemplate: e("PC4007", "template file '{0}' does not begin with a ConstraintTemplate (its first document is a {1}; gator reads only that one)"),
  badTemplate: e("PC4008", "template '{0}' is not usable: {1}"),
  badConstraint: e("PC4009", "constraint '{0}' is not valid: {1}"),
  badViolations: e("PC4010", "assertion 'violations' must be \"yes\", \"no\" or an integer >= 0, got {0}"),
  emptyAssertions: e("PC4011", "case '{0}' has no assertions; add at least one, e.g. '- violations: no'"),
  invalidWithCases: e("PC4012", "test '{0}' sets 'invalid: true' and also has cases; an invalid test expects the constraint to be rejected, so it cannot have cases"),
  badRegex: e("PC4013", "assertion 'message' is not a valid RE2 regular expression: {0}"),
  badAdmissionReview: e("PC4014", "AdmissionReview '{0}' is not usable: {1}"),
  badInventory: e("PC4015", "inventory object in '{0}' is not usable: {1}"),
  compileFailed: e("PC4016", "the Rego of template '{0}' does not compile: {1}"),
  badFilter: e("PC4017", "--run/--filter '{0}' is not a valid filter: {1}"),
  badPath: e("PC4018", "path '{0}' {1}"),
  noRego: e("PC4019", "template '{0}' has no Rego code (only {1}); policyc evaluates Rego only"),
  unknownField: w("PC4020", "unknown field '{0}' in {1}; it is ignored"),
  goldenUnreadable: e("PC4021", "golden file '{0}' is not valid: {1}"),
  noSuites: e("PC4022", "no test suites found under '{0}'{1}"),
  noTests: e("PC4029", "the suites found under '{0}' hold no tests: nothing would run"),
  notASuite: e("PC4023", "'{0}' is not a gator Suite (apiVersion test.gatekeeper.sh/v1alpha1, kind Suite); found kind {1}"),
  absolutePath: e("PC4024", "'{0}' must be a path relative to the suite file, got absolute path '{1}'"),
  badOption: e("PC4025", "{0}"),
  evalFailed: e("PC4026", "evaluating template '{0}' failed: {1}"),
  goldenMissing: e("PC4027", "no golden entry for case '{0}'; run 'policyc test --update' to record it"),
  badExpansion: e("PC4031", "expansion file '{0}' is not usable: {1}"),
  expansionFailed: e("PC4032", "expanding the object of case '{0}' failed: {1}"),
  regoRejected: e("PC4030", "Gatekeeper would reject the Rego of template '{0}': {1}"),
  badExternalData: e("PC4035", "{0}"),
  externalDataUnmocked: e(
    "PC4036",
    "template '{0}' calls external_data for provider {1}, which case '{2}' does not mock; give the provider's answer in the case's externalData, e.g. externalData: {{3}: {responses: [[\"<key>\", <value>]]}}",
  ),
  outputStale: e("PC4040", "{0} is out of date with the sources ({1}); run 'policyc build' first (or 'policyc test --watch', which builds before every run)"),
  caseFailed: e("PC4041", "test case '{0}' fails (emitted as {1})"),
  untested: w("PC4042", "check {0} has no test cases; add `tests:` to the check or to one of its constraints"),
  goldenStale: w("PC4028", "{0} has an entry for '{1}', which is no longer a case; 'policyc test --update' removes it"),
} as const;

/**
 * PC41xx: `policyc check` (manifests against a policy set) and the policy set's sources. Problems
 * of one document, template, constraint or object never stop the others from being checked.
 */
export const PC41 = {
  badDocument: e("PC4101", "document {0} of '{1}' is not valid YAML: {2}"),
  noInput: e("PC4102", "input '{0}' {1}"),
  notAnObject: w("PC4103", "document {0} of '{1}' is not a Kubernetes object ({2}); it is skipped"),
  badTemplate: e("PC4104", "ConstraintTemplate '{0}' is not usable: {1}; its constraints are not evaluated"),
  compileFailed: e("PC4105", "the Rego of ConstraintTemplate '{0}' does not compile: {1}; its constraints are not evaluated"),
  orphanConstraint: e("PC4106", "constraint {0} '{1}' has no ConstraintTemplate of kind {0}; it is not evaluated"),
  badConstraint: e("PC4107", "constraint {0} '{1}' is not valid: {2}; it is not evaluated"),
  namespaceUnknown: e(
    "PC4108",
    "{0} '{1}' is in namespace '{2}', whose labels constraint {3} '{4}' needs (namespaceSelector), but no input supplies that Namespace",
  ),
  badOption: e("PC4109", "{0}"),
  duplicate: w("PC4110", "{0} is defined more than once; the last definition is used"),
  noRego: w("PC4111", "ConstraintTemplate '{0}' has no Rego code (only {1}); policyc evaluates Rego only, so its constraints are not evaluated"),
  regoRejected: e("PC4112", "Gatekeeper would reject the Rego of ConstraintTemplate '{0}': {1}; its constraints are not evaluated"),
  noPolicies: e("PC4113", "no ConstraintTemplates, Constraints or mutators to check against{0}"),
  badNamespacesFile: e("PC4114", "namespaces file '{0}' is not usable: {1}"),
  admissionFailed: e("PC4117", "the webhook would fail the request for {0} '{1}': {2}"),
  unknownAction: w(
    "PC4118",
    "constraint {0} '{1}' has enforcementAction '{2}', which Gatekeeper does not know (deny, warn, dryrun, scoped): its webhook refuses such a constraint, so its violations are reported but never fail the run (as gator reports them)",
  ),
  noObjects: e("PC4119", "no objects to expand: the inputs hold no Kubernetes objects (give files, folders, or - for stdin)"),
  ignoredConfig: w(
    "PC4120",
    "Gatekeeper reconciles only the Config named 'config'; Config '{0}' is ignored (its excludedNamespaces and syncOnly do not apply): rename it to config",
  ),
  notApplied: w("PC4116", "the policy set has {0} {1}, which this policyc cannot apply yet: objects are validated as written, not as {2}"),
} as const;
