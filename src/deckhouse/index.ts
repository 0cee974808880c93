/**
 * Deckhouse's admission-policy-engine, evaluated offline: the policy pack's templates, the mapping
 * from SecurityPolicy / OperationPolicy / PSS settings to Constraints, SecurityPolicyException
 * semantics and the built-in exemptions.
 */
export * from "./cluster.js";
export * from "./kinds.js";
export * from "./constraints.js";
export * from "./pss.js";
export * from "./exceptions.js";
export * from "./exemptions.js";
export * from "./pack.js";
export * from "./policy-set.js";
export { evaluateDeckhouse, type Finding, type Skipped } from "./evaluate.js";
export { comparePack, schemaDifferences, type KindComparison } from "./compare.js";
export { deckhouseRenderer, configureDeckhouseSource, clusterFromModuleConfig, type DeckhouseSourceOptions } from "./renderer.js";
