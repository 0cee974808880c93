/**
 * The core pipeline's diagnostic catalog (front end, Gatekeeper rules, emission and writing). Codes are
 * stable: never renumber, only add. Ranges are described in src/diagnostics/diagnostic.ts.
 */
import type { MessageDef } from "../diagnostics/index.js";

const error = (code: string, text: string): MessageDef => ({ code, text });
const warning = (code: string, text: string): MessageDef => ({ code, text, severity: "warning" });
const info = (code: string, text: string): MessageDef => ({ code, text, severity: "info" });

export const D = {
  // PC1xxx: config and front end
  typescriptError: error("PC1001", "{0}"),
  configNotFound: error("PC1002", "no policyc.config.ts found in {0} or its parents; run `policyc init` or pass --config"),
  configInvalid: error("PC1003", "invalid config: {0}"),
  noInputFiles: warning("PC1004", "the include globs {0} match no policy files"),
  executionFailed: error("PC1005", "running {0} failed: {1}"),
  executionTimeout: error("PC1020", "{0} ran longer than the {1} time limit for policy code{2}; stopped (raise it with --timeout or the config's `timeout`, in seconds)"),
  regoFileMissing: error("PC1006", "cannot read Rego file {0}: {1}"),
  definitionUnlocated: error("PC1007", "cannot locate the {0} definition in the sources: {1}"),
  testObjectInvalid: error("PC1008", "test case {0}: {1}"),
  unsupportedFunction: error("PC1010", "{0}: functions cannot be parameters (a parameter must be JSON data)"),
  unsupportedAny: error("PC1011", "{0}: `{1}` has no schema; give it a concrete type"),
  unresolvedGeneric: error("PC1012", "{0}: unresolved type parameter `{1}`; use a concrete type"),
  recursiveType: error("PC1013", "{0}: recursive type `{1}` cannot become a structural schema"),
  unsupportedType: error("PC1014", "{0}: type `{1}` cannot become an OpenAPI schema ({2})"),
  badDocTag: error("PC1015", "{0}: TSDoc tag @{1} {2}"),
  paramsNotObject: error("PC1016", "the Params of {0} must be an object type, got `{1}`"),
  checkRegoVersion: error("PC1031", "check {0}: `regoVersion` must be \"v0\" or \"v1\", got {1}"),

  // PC2xxx: Gatekeeper's rules on templates and constraints, schema validation
  kindInvalid: error("PC2001", "check kind `{0}` is not valid: lowercase(kind) must be a DNS-1035 label ([a-z]([-a-z0-9]*[a-z0-9])?); use CamelCase letters and digits"),
  kindTooLong: error("PC2002", "check kind `{0}` has {1} characters; Gatekeeper allows at most 59 (kind + \"List\" must fit in 63)"),
  shortNameInvalid: error("PC2003", "short name `{0}` must be a lowercase DNS-1035 label"),
  constraintNameInvalid: error("PC2004", "constraint name `{0}` must be a DNS-1123 subdomain (lowercase letters, digits, `-` and `.`, starting and ending alphanumeric) of at most 63 characters"),
  globInvalid: error("PC2005", "`{0}` in match.{1} is not a Gatekeeper glob: it must match ^\\*?[-:a-z0-9]*\\*?$ (a `*` only at the start or end)"),
  scopedNeedsActions: error("PC2006", "enforcementAction `scoped` needs a non-empty scopedEnforcementActions"),
  duplicateKind: error("PC2007", "check kind `{0}` is already defined at {1}"),
  duplicateConstraint: error("PC2008", "constraint `{0}` of kind {1} is already defined at {2}"),
  unknownCheck: error("PC2009", "constraint `{0}` uses a check that is not part of the project (is its file matched by `include`?)"),
  schemaViolation: error("PC2010", "{0} {1} does not match schema {2}: {3}"),
  actionsWithoutScoped: error("PC2011", "scopedEnforcementActions is only used with enforcementAction `scoped`"),
  parametersInvalid: error("PC2012", "parameters of constraint `{0}` do not match the {1} schema: {2}"),
  selectorInvalid: error("PC2013", "invalid label selector in {0}: {1}"),
  duplicateResource: error("PC2014", "{0} `{1}` is already defined at {2}"),
  kindsApiGroupStar: warning("PC2015", "match.kinds apiGroups: `*` should be the only item"),
  docsUrlInvalid: error("PC2016", "docsUrl `{0}` must be an absolute http:// or https:// URL"),
  unknownSchema: error("PC2017", "`schema: \"{0}\"` names no schema in policyc's schemas/ folder (paths such as `deckhouse/securitypolicy.json`){1}"),
  untestedCheck: warning("PC2041", "check {0} has no test cases, so nothing shows that its Rego does what it should; add `tests:` to the check or to one of its constraints"),
  deckhouseKind: error("PC2042", "kind {0} is a Deckhouse template: its ConstraintTemplate `{1}` belongs to admission-policy-engine, and Argo CD and Deckhouse would overwrite each other's; choose another kind (use a SecurityPolicy or OperationPolicy to configure Deckhouse's check)"),
  deckhousePrefix: warning("PC2043", "kind {0} starts with D8, the prefix of Deckhouse's own templates, where a later Deckhouse release may add one of that name; prefer another prefix"),
  gatekeeperRego: error("PC2040", "Gatekeeper rejects this template: {0}"),
  vapNoCel: info("PC2060", "check {0} has no CEL (`K8sNativeValidation` code), so its constraints get no ValidatingAdmissionPolicy; they are enforced by Gatekeeper only"),
  vapNotEnforced: warning("PC2061", "constraint {0} gets no ValidatingAdmissionPolicy: {1}"),
  vapParamsDirect: error("PC2062", "check {0}'s CEL reads `params` itself, which inline parameters (`validatingAdmissionPolicy.parameters: \"inline\"`) do not provide; read them as `variables.params`, or use `parameters: \"constraint\"`"),

  // PC3xxx: emission and the output directory
  outNotDirectory: error("PC3001", "output path {0} exists and is not a directory"),
  outUnwritable: error("PC3002", "cannot write the output directory {0}: {1}"),
  pathEscapes: error("PC3003", "emitted path `{0}` escapes the output directory"),
  duplicatePath: error("PC3004", "two emitters produce `{0}`"),
  outNotOurs: error("PC3007", "refusing to write into {0}: it holds files policyc did not write ({1}) and no {2} marker; move them away or choose another output directory"),
  outLocked: error("PC3008", "another policyc build ({1}) is writing {0}; gave up after waiting {2} s (if no build is running, delete {3})"),
  outRecovered: warning("PC3009", "{0}: {1}"),
  outStale: error("PC3010", "{0}/ is out of date; run `policyc build` to update it:"),
  outContainsSources: error("PC3006", "output directory {0} would contain the project's own files ({1}); choose a dedicated folder such as `generated`"),

  // PC9xxx: internal failures
  internal: error("PC9001", "internal error: {0}"),
} as const;
