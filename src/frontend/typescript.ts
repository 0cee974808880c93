/**
 * The TypeScript compiler API, loaded with `require`. Importing the 9 MB CommonJS bundle from an ES
 * module makes Node scan its source for export names (cjs-module-lexer), which costs about as much as
 * loading it; every build pays that before doing any work. Types come from `import type`.
 */
import { createRequire } from "node:module";
import type * as TS from "typescript";

const ts: typeof TS = createRequire(import.meta.url)("typescript");
export default ts;
