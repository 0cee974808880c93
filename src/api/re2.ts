/**
 * RE2 regular expressions (Rego's regex semantics) through re2js, loaded on first use as its
 * CommonJS build, synchronously: most builds never compile a regex, and loading it costs ~8 ms.
 */
import { createRequire } from "node:module";
import type { RE2JS } from "re2js";

let re2: typeof RE2JS | undefined;

/** Compiles `pattern` as RE2; throws on a pattern RE2 rejects (lookarounds, backreferences, ...). */
export function compileRe2(pattern: string): RE2JS {
  re2 ??= (createRequire(import.meta.url)("re2js") as { RE2JS: typeof RE2JS }).RE2JS;
  return re2.compile(pattern);
}
