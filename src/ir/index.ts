/** The policy IR (see ir.ts) and the core pipeline's diagnostic catalog. */
export * from "./ir.js";
export * from "./schema.js";
export { D } from "./diagnostics.js";
