/**
 * A check's CEL in the IR: hand-written `k8sNativeValidation` beside a `rego` body (or carried over
 * by `policyc import`), and the type-check every CEL source gets before it is emitted, compiled or
 * written (PC7023 at the TypeScript `report` line, or at the property of the written source).
 */
import type { CheckSpec } from "../../api/check.js";
import { diag } from "../../diagnostics/index.js";
import { checkK8sNativeValidation } from "../../engine/cel/check.js";
import type { CelIR, Origin } from "../../ir/ir.js";
import { TranspileDiagnostics as T } from "../../transpile/index.js";
import type { LowerContext, Located } from "./context.js";

export function lowerWrittenCel(spec: CheckSpec<object>, kind: string, ctx: LowerContext, at: Located, hasTypeScriptBody: boolean): CelIR | undefined {
  const src = spec.k8sNativeValidation as unknown;
  if (src === undefined) return undefined;
  const where = at.fields.k8sNativeValidation ?? at.origin;
  if (hasTypeScriptBody) {
    ctx.report(diag(T.celMisplaced, [kind, "`k8sNativeValidation` belongs to a check with a `rego` body; a TypeScript `violation` body's CEL is compiled from it (use `cel: \"off\"` to emit none)"], where));
    return undefined;
  }
  if (!src || typeof src !== "object" || Array.isArray(src) || !Array.isArray((src as { validations?: unknown }).validations)) {
    ctx.report(diag(T.celMisplaced, [kind, "`k8sNativeValidation` must be an object with a `validations` list"], where));
    return undefined;
  }
  const origins: Record<string, Origin> = {};
  for (const [path, origin] of Object.entries(at.fields)) {
    if (path.startsWith("k8sNativeValidation.")) origins[path.slice("k8sNativeValidation.".length)] = origin;
  }
  const cel: CelIR = { source: structuredClone(src) as CelIR["source"], from: "written", origins, origin: where };
  checkCelSource(cel, ctx);
  return cel;
}

/** Type-checks every expression of `cel`; each error is PC7023 at the expression's origin. */
export function checkCelSource(cel: CelIR, ctx: Pick<LowerContext, "report">): boolean {
  const errors = checkK8sNativeValidation(cel.source as Parameters<typeof checkK8sNativeValidation>[0]);
  for (const e of errors) {
    const origin = cel.origins[e.path] ?? cel.origins[e.path.replace(/\.(expression|messageExpression)$/, "")] ?? cel.origin;
    ctx.report(diag(T.celInvalid, [`${e.path}`, e.message], origin));
  }
  return errors.length === 0;
}
