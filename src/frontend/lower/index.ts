/**
 * The lowering table: definition kind → lowering. Builders elsewhere add a kind by adding one line
 * here (see docs/architecture.md, "Adding a definition kind").
 */
import { lowerCheck } from "./check.js";
import type { Lowering } from "./context.js";
import { lowerConstraint } from "./constraint.js";
import { lowerResource } from "./resource.js";
import { lowerKyvernoPolicy } from "../../emit/kyverno/lower.js";

export const lowerings: Record<string, Lowering> = {
  check: lowerCheck,
  constraint: lowerConstraint,
  resource: lowerResource,
  "kyverno-policy": lowerKyvernoPolicy,
};

export type { Located, LowerContext, Lowering } from "./context.js";
