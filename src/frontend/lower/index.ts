/**
 * The lowering table: definition kind → lowering. Builders elsewhere add a kind by adding one line
 * here (see docs/architecture.md, "Adding a definition kind").
 */
import type { Definition } from "../../api/definition.js";
import { lowerCheck, prepareCheckLowering } from "./check.js";
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

/** Loads what the lowerings of `defs` need and only some projects use; awaited before lowering. */
export async function prepareLowerings(defs: readonly Definition[]): Promise<void> {
  await prepareCheckLowering(defs);
}

export type { Located, LowerContext, Lowering } from "./context.js";
