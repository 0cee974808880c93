/**
 * Kyverno PolicyExceptions for the "policyc" DSL.
 */
export { policyException, kyvernoPolicy, type KyvernoPolicy } from "./builders.js";
export type * from "./types.js";
