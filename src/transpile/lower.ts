/**
 * The front end's entry into the transpiler: finds the `violation` function in the defineCheck
 * call, compiles it, and returns the check's `typescript` body (the emitted module plus what the
 * differential generators need). Called from src/frontend/lower/check.ts.
 */
import { diag } from "../diagnostics/index.js";
import type { CheckSpec } from "../api/check.js";
import type { LowerContext, Located } from "../frontend/lower/context.js";
import type { TypeScriptBodyIR } from "../ir/ir.js";
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

export function lowerTypeScriptBody(spec: CheckSpec<object, never>, kind: string, regoVersion: "v0" | "v1", ctx: LowerContext, at: Located): TypeScriptBodyIR {
  const t0 = performance.now();
  try {
    return lowerBody(spec, kind, regoVersion, ctx, at);
  } finally {
    transpileStats.ms += performance.now() - t0;
    transpileStats.bodies++;
  }
}

function lowerBody(spec: CheckSpec<object, never>, kind: string, regoVersion: "v0" | "v1", ctx: LowerContext, at: Located): TypeScriptBodyIR {
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
  return {
    ...empty,
    main: { text: out.text, origin: { ...fnOrigin, colOffset: 0 } },
    function: fnOrigin,
    package: pkg,
    shapes: out.shapes,
  };
}
