/**
 * Kyverno PolicyExceptions for the "policyc" DSL.
 */
export { policyException, kyvernoPolicy, type KyvernoPolicy, type PolicyExceptionInput } from "./builders.js";
export type * from "./types.js";
