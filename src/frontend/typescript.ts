/**
 * The TypeScript compiler API, loaded with `require` (see `typescript-api.cts` for why an ES module
 * import of `typescript` is avoided). Types come from `import type * as TS from "typescript"`, or use
 * `typescript-api.cjs` directly, which carries both.
 */
import ts from "./typescript-api.cjs";

export default ts;
