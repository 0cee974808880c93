/**
 * The public DSL: everything users import from "policyc".
 */
export { defineConfig, type ExpansionConfig, type PolicycConfig, type ValidatingAdmissionPolicyConfig, type WorkloadKind } from "./config.js";
export { defineCheck, type Check, type CheckSpec, type Integer, type K8sNativeValidationSource, type Severity } from "./check.js";
export {
  defineConstraint,
  type Constraint,
  type ConstraintSpec,
  type EnforcementAction,
  type LabelSelector,
  type Match,
  type ScopedEnforcementAction,
} from "./constraint.js";
export { defineResource, type Resource, type ResourceOptions, type ResourceSpec } from "./resource.js";
export * from "./violation.js";
// Both violation.ts (Kubernetes' ObjectMeta) and deckhouse/ (its builders' input) export an
// `ObjectMeta`; the public name is Kubernetes' one.
export type { ObjectMeta } from "./violation.js";
export { rego, regoFile, type RegoFile, type RegoSource, type RegoText } from "./rego.js";
export type { ExpectedViolations, ExternalDataResponse, KubeObject, TestCase, TestUserInfo } from "./tests.js";
export {
  DEFINITION,
  registerDefinition,
  isDefinition,
  type CallSite,
  type Definition,
  type DefinitionMeta,
} from "./definition.js";
export * from "./deckhouse/index.js";
export * from "./mutations/index.js";
export * from "./kyverno/index.js";
