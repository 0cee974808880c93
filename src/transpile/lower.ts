/**
 * The front end's entry into the transpiler: finds the `violation` function in the defineCheck
 * call, compiles it, and returns the check's `typescript` body (the emitted module plus what the
 * differential generators need). Called from src/frontend/lower/check.ts.
 */
import { diag } from "../diagnostics/index.js";
import type { CheckSpec } from "../api/check.js";
import type { LowerContext, Located } from "../frontend/lower/context.js";
import type { CelIR, Origin, TypeScriptBodyIR } from "../ir/ir.js";
import { emitCel } from "./cel/index.js";
import { checkCelSource } from "../frontend/lower/cel.js";
import { T } from "./diagnostics.js";
import { findViolationFunction, isFunctionNode, transpileViolation } from "./index.js";

/** A package path: dot-separated identifiers, none a Rego keyword. */
const REGO_PACKAGE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const REGO_KEYWORDS = new Set(["as", "contains", "default", "else", "every", "false", "if", "import", "in", "not", "null", "package", "some", "true", "with"]);

/**
 * Whether lowering records the shapes the differential generators need. A plain build does not need
 * them; `policyc test --differential` turns this on before it loads the project.
 */
export const transpileSettings = { recordShapes: false };

/**
 * Time spent compiling bodies in this process (the bench reports the transpiler's own share of a
 * build with it; two clock reads per check cost nothing measurable).
 */
export const transpileStats = { ms: 0, bodies: 0 };

/** The lowered body, and its CEL when the body has a faithful CEL form. */
export type LoweredBody = TypeScriptBodyIR & { cel?: CelIR };

export function lowerTypeScriptBody(spec: CheckSpec<object, never>, kind: string, regoVersion: "v0" | "v1", ctx: LowerContext, at: Located): LoweredBody {
  const t0 = performance.now();
  try {
    return lowerBody(spec, kind, regoVersion, ctx, at);
  } finally {
    transpileStats.ms += performance.now() - t0;
    transpileStats.bodies++;
  }
}

function lowerBody(spec: CheckSpec<object, never>, kind: string, regoVersion: "v0" | "v1", ctx: LowerContext, at: Located): LoweredBody {
  const empty: TypeScriptBodyIR = {
    kind: "typescript",
    main: { text: "", origin: { ...at.origin, colOffset: 0 } },
    libs: [],
    origin: at.fields.violation ?? at.origin,
    function: at.fields.violation ?? at.origin,
    package: kind.toLowerCase(),
    shapes: { object: { type: "object", props: {} }, params: { type: "object", props: {} } },
  };
  if (spec.violation === undefined) {
    ctx.report(diag(T.noViolation, [kind, "neither"], at.origin));
    return empty;
  }
  if (spec.rego !== undefined) ctx.report(diag(T.noViolation, [kind, "both"], at.fields.rego ?? at.origin));
  const found = at.call && findViolationFunction(at.call);
  if (!found || !isFunctionNode(found)) {
    ctx.report(diag(T.notAFunction, [], (found && ctx.originOf(found)) ?? at.fields.violation ?? at.origin));
    return empty;
  }
  const fnOrigin = ctx.originOf(found) ?? empty.function;
  const pkg = spec.regoPackage ?? kind.toLowerCase();
  if (!REGO_PACKAGE.test(pkg) || pkg.split(".").some((p) => REGO_KEYWORDS.has(p))) {
    ctx.report(diag(T.badPackage, [pkg], at.fields.regoPackage ?? at.origin));
    return empty;
  }
  const out = transpileViolation({
    checker: ctx.checker,
    fn: found,
    packageName: pkg,
    regoVersion,
    file: fnOrigin.file,
    originOf: (n) => ctx.originOf(n),
    recordShapes: transpileSettings.recordShapes,
  });
  out.diagnostics.forEach((d) => ctx.report(d));
  const body: LoweredBody = {
    ...empty,
    main: { text: out.text, origin: { ...fnOrigin, colOffset: 0 } },
    function: fnOrigin,
    package: pkg,
    shapes: out.shapes,
  };
  // CEL only for a body that compiled to Rego: both must come from the same accepted TypeScript.
  if (spec.cel !== "off" && (ctx.config.cel !== false || spec.cel === "required") && !out.diagnostics.some((d) => d.severity === "error")) {
    const cel = emitCel({ checker: ctx.checker, fn: found });
    if (cel.source) {
      const origins: Record<string, Origin> = {};
      cel.validationNodes?.forEach((n, i) => {
        const o = ctx.originOf(n);
        if (o) origins[`validations.${i}.expression`] = origins[`validations.${i}.messageExpression`] = o;
      });
      cel.variableNodes?.forEach((n, i) => {
        const o = ctx.originOf(n);
        if (o) origins[`variables.${i}.expression`] = o;
      });
      const ir: CelIR = { source: cel.source, from: "typescript", origins, origin: fnOrigin };
      // Emitted CEL that does not check is a defect of the emitter; it is reported at the report line.
      if (checkCelSource(ir, ctx)) body.cel = ir;
    } else if (cel.blocked) {
      const where = ctx.originOf(cel.blocked.node) ?? fnOrigin;
      ctx.report(diag(spec.cel === "required" ? T.celRequired : T.celBlocked, [kind, cel.blocked.construct], where));
    }
  }
  return body;
}
