/**
 * The TypeScript compiler API as one import that is both the value and the type namespace
 * (`import ts from "../frontend/typescript-api.cjs"`, then `ts.isIdentifier(n)` and `n: ts.Node`).
 *
 * It is a CommonJS module on purpose: importing the 9 MB `typescript` bundle from an ES module makes
 * Node detect its format by compiling it and then scan it for export names (cjs-module-lexer),
 * ~300 ms of CPU on every run before any work is done. `require` skips both. Because the value is
 * assigned through a variable, the lexer does not follow it into `typescript` when this small
 * module is imported. `typescript-cache.cts` is loaded first so that the require below can use the
 * install-time V8 code cache.
 */
import "./typescript-cache.cjs";
import ts = require("typescript");
export = ts;
