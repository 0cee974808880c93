/** Lowers `defineCheck<Params>()` to a `CheckIR`, deriving the parameters' schema from `Params`. */
import type * as TS from "typescript";
import { DEFINITION, type Definition } from "../../api/definition.js";
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
import { lowerWrittenCel } from "./cel.js";

type Transpiler = typeof import("../../transpile/lower.js");
let transpiler: Transpiler | undefined;

function hasTypeScriptBody(def: Definition): boolean {
  const spec = def as unknown as CheckSpec<object>;
  return spec.violation !== undefined || spec.rego === undefined;
}

/**
 * Loads the transpiler before lowering when some check has a TypeScript body: it is a good part of
 * the front end's code, and a project of Rego bodies never needs it (~30 ms of start-up).
 */
export async function prepareCheckLowering(defs: readonly Definition[]): Promise<void> {
  if (transpiler || !defs.some((d) => d[DEFINITION].kind === "check" && hasTypeScriptBody(d))) return;
  transpiler = await import("../../transpile/lower.js");
}

export function lowerCheck(def: Definition, ctx: LowerContext, at: Located): void {
  const spec = def as unknown as CheckSpec<object>;
  const kind = typeof spec.kind === "string" ? spec.kind : "";
  const regoVersion = checkRegoVersion(spec, kind, ctx, at);
  let tsBody;
  if (hasTypeScriptBody(def)) {
    if (!transpiler) throw new Error("internal: prepareCheckLowering() was not awaited before lowering a TypeScript check body");
    tsBody = transpiler.lowerTypeScriptBody(spec as never, kind, regoVersion, ctx, at);
  }
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
    regoVersion,
    tests: lowerTests(spec.tests, "tests", ctx, at),
    origin: at.origin,
    fields: at.fields,
  };
  if (tsBody?.cel) {
    check.cel = tsBody.cel;
    delete (check.body as { cel?: unknown }).cel;
  }
  const written = lowerWrittenCel(spec, kind, ctx, at, tsBody !== undefined);
  if (written) check.cel = written;
  if (spec.title !== undefined) check.title = spec.title;
  if (spec.severity !== undefined) check.severity = spec.severity;
  if (spec.remediation !== undefined) check.remediation = spec.remediation;
  if (spec.docsUrl !== undefined) check.docsUrl = spec.docsUrl;
  if (spec.annotations !== undefined) check.annotations = { ...spec.annotations };
  const exportName = at.call && exportNameOf(at.call);
  if (exportName) check.exportName = exportName;
  ctx.project.checks.push(check);
  ctx.checks.set(def, check);
}

/** The check's own `regoVersion`, else the project's. */
function checkRegoVersion(spec: CheckSpec<object>, kind: string, ctx: LowerContext, at: Located): "v0" | "v1" {
  const v: unknown = spec.regoVersion;
  if (v === undefined) return ctx.config.regoVersion;
  if (v === "v0" || v === "v1") return v;
  ctx.report(diag(D.checkRegoVersion, [kind, JSON.stringify(v) ?? String(v)], at.fields.regoVersion ?? at.origin));
  return ctx.config.regoVersion;
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
