/**
 * Lowerings whose semantics differ most between TypeScript and Rego, kept in one replaceable table:
 * the differential tests swap an entry for a deliberately wrong one (e.g. `!==` as Rego's `!=`) and
 * assert that the native-vs-Wasm comparison catches it.
 */
import { build, type Body, type Term } from "../engine/rego/index.js";
import { callExpr, isDefined } from "./terms.js";

export const lowerings = {
  /**
   * `a !== b`. Rego's `a != b` is undefined when `a` is missing; TypeScript's `!==` is true. `not a == b`
   * agrees with TypeScript; `!=` is kept where both sides always have a value.
   */
  notEqual(left: Term, right: Term): Body {
    if (isDefined(left) && isDefined(right)) return [callExpr("neq", [left, right])];
    return [build.not(build.call("equal", [left, right]))];
  },
};
