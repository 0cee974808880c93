/**
 * The less common built-in families, gathered in one place so `index.ts` stays a short list.
 */
import type { Builtin } from "./tagged.js";
import { printBuiltins } from "./print.js";

export function extraBuiltins(): Record<string, Builtin> {
  return { ...printBuiltins };
}
