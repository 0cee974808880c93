/** Lowers `defineCheck<Params>()` to a `CheckIR`, deriving the parameters' schema from `Params`. */
import type * as TS from "typescript";
import type { Definition } from "../../api/definition.js";
import type { CheckSpec } from "../../api/check.js";
import { diag, type Diagnostic } from "../../diagnostics/index.js";
import type { CheckIR, RegoModuleIR } from "../../ir/ir.js";
import type { JsonSchema } from "../../ir/schema.js";
import { D } from "../../ir/diagnostics.js";
import { exportNameOf } from "../locate.js";
import { schemaOfParams } from "../schema.js";
import type { LowerContext, Located } from "./context.js";
import { lowerRego } from "./rego.js";
import { lowerTests } from "./tests.js";
import { lowerTypeScriptBody } from "../../transpile/lower.js";

export function lowerCheck(def: Definition, ctx: LowerContext, at: Located): void {
  const spec = def as unknown as CheckSpec<object>;
  const kind = typeof spec.kind === "string" ? spec.kind : "";
  const tsBody = spec.violation !== undefined || spec.rego === undefined ? lowerTypeScriptBody(spec as never, kind, ctx, at) : undefined;
  const main = tsBody ? undefined : lowerRego(spec.rego, "rego", ctx, at);
  const libs: RegoModuleIR[] = [];
  (spec.libs ?? []).forEach((lib, i) => {
    const m = lowerRego(lib, `libs.${i}`, ctx, at);
    if (m) libs.push(m);
  });
  const check: CheckIR = {
    kind,
    name: kind.toLowerCase(),
    description: typeof spec.description === "string" ? spec.description : "",
    shortNames: [...(spec.shortNames ?? [])],
    parameters: paramsSchema(kind, ctx, at),
    body: tsBody ?? { kind: "rego", main: main ?? { text: "", origin: { ...at.origin, colOffset: 0 } }, libs, origin: at.fields.rego ?? at.origin },
    tests: lowerTests(spec.tests, "tests", ctx, at),
    origin: at.origin,
    fields: at.fields,
  };
  if (spec.title !== undefined) check.title = spec.title;
  if (spec.severity !== undefined) check.severity = spec.severity;
  const exportName = at.call && exportNameOf(at.call);
  if (exportName) check.exportName = exportName;
  ctx.project.checks.push(check);
  ctx.checks.set(def, check);
}

/** The `Params` type argument (explicit, or read back from the `Check<P>` the call returns). */
function paramsSchema(kind: string, ctx: LowerContext, at: Located): JsonSchema {
  const call = at.call;
  if (!call) {
    ctx.report(diag(D.definitionUnlocated, [`check ${kind}`, "its Params type cannot be read"], at.origin));
    return { type: "object" };
  }
  const { checker } = ctx;
  const typeArg = call.typeArguments?.[0];
  let type: TS.Type | undefined = typeArg ? checker.getTypeFromTypeNode(typeArg) : undefined;
  if (!type) {
    const ret = checker.getTypeAtLocation(call);
    const prop = checker.getPropertyOfType(ret, "__params");
    type = prop ? checker.getNonNullableType(checker.getTypeOfSymbol(prop)) : undefined;
  }
  if (!type) return { type: "object" };
  const fallback = ctx.originOf(typeArg ?? call) ?? at.origin;
  const diagnostics: Diagnostic[] = [];
  const schema = schemaOfParams({ checker, originOf: ctx.originOf, fallback, diagnostics }, type, kind);
  diagnostics.forEach((d) => ctx.report(d));
  return schema;
}
