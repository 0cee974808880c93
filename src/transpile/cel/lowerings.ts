/**
 * The CEL emitter's lowerings whose meaning matters most, kept in one replaceable table like the Rego
 * emitter's (src/transpile/lowerings.ts): tests swap an entry for a deliberately wrong one (a flipped
 * comparison, a dropped negation) and assert that the golden cases, run on the emitted CEL, catch it.
 */
import type { CelValue } from "./context.js";
import * as c from "./syntax.js";
import type { Cel } from "./syntax.js";

export const celLowerings = {
  /** TypeScript's `!x`. */
  not(x: Cel): Cel {
    return c.not(x);
  },
  /** `a < b` etc. on numbers (both defined). */
  order(op: "<" | "<=" | ">" | ">=", a: Cel, b: Cel): Cel {
    return c.compare(op, a, b);
  },
  /** `a !== b`, given `a === b` (with undefinedness) already spelled out. */
  notEqual(equal: Cel, _a: CelValue, _b: CelValue): Cel {
    return c.not(equal);
  },
};
