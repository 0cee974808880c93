/**
 * Deckhouse admission-policy-engine resources for the "policyc" DSL.
 */
export { securityPolicy, operationPolicy, securityPolicyException, type ObjectMeta, type SecurityPolicyInput, type OperationPolicyInput, type SecurityPolicyExceptionInput, type DeckhouseTestCase, type DeckhouseTests } from "./builders.js";
export type * from "./types.js";
