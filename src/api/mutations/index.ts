/**
 * Gatekeeper mutators (mutations.gatekeeper.sh) for the "policyc" DSL.
 */
export { assign, assignMetadata, modifySet, assignImage, type MutatorOptions } from "./builders.js";
export type * from "./types.js";
