/**
 * A check's CEL in the IR: hand-written `k8sNativeValidation` beside a `rego` body (or carried over
 * by `policyc import`), and the type-checks every CEL source gets before it is emitted, compiled or
 * written (PC7023 at the TypeScript `report` line, or at the property of the written source): at
 * lowering with the roots untyped, then, once every constraint is known, with the roots typed as
 * the API server types them (`checkProjectCel`: the object by the kinds the check's constraints
 * match, the parameters by the check's schema, the request as an AdmissionRequest).
 */
import type * as TS from "typescript";
import type { CheckSpec } from "../../api/check.js";
import { diag, type Diagnostic } from "../../diagnostics/index.js";
import { checkK8sNativeValidation } from "../../engine/cel/check.js";
import { objectShapes, shapeOfSchema, type CelSchemaEnv } from "../../engine/cel/schema-types.js";
import type { CelIR, CheckIR, Origin, ProjectIR } from "../../ir/ir.js";
import { TranspileDiagnostics as T } from "../../transpile/index.js";
import ts from "../typescript.js";
import type { LowerContext, Located } from "./context.js";

/**
 * Written expressions that are one-line string literals, by their path in the source: where the
 * literal starts and its text, so an error's offset in the expression becomes its column.
 */
const literals = new WeakMap<CelIR, Record<string, { origin: Origin; text: string }>>();

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
  if (at.call) literals.set(cel, expressionLiterals(at.call, ctx));
  checkCelSource(cel, ctx);
  return cel;
}

/** The one-line string literals written as `k8sNativeValidation` expressions in the call. */
function expressionLiterals(call: TS.CallExpression, ctx: LowerContext): Record<string, { origin: Origin; text: string }> {
  const out: Record<string, { origin: Origin; text: string }> = {};
  const prop = (o: TS.Node | undefined, name: string): TS.Expression | undefined => {
    if (!o || !ts.isObjectLiteralExpression(o)) return undefined;
    for (const p of o.properties) if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return p.initializer;
    return undefined;
  };
  const source = prop(call.arguments[0], "k8sNativeValidation");
  for (const list of ["variables", "matchConditions", "validations"]) {
    const items = prop(source, list);
    if (!items || !ts.isArrayLiteralExpression(items)) continue;
    items.elements.forEach((el, i) => {
      for (const field of ["expression", "messageExpression"]) {
        const lit = prop(el, field);
        if (!lit || !(ts.isStringLiteral(lit) || ts.isNoSubstitutionTemplateLiteral(lit))) continue;
        const text = lit.getText();
        const origin = ctx.originOf(lit);
        if (origin && !text.includes("\n")) out[`${list}.${i}.${field}`] = { origin, text: text.slice(1, -1) };
      }
    });
  }
  return out;
}

/**
 * Type-checks every expression of `cel` (the roots typed by `env`, else `dyn`); each error is PC7023
 * at the expression's origin, with `notes`.
 */
export function checkCelSource(cel: CelIR, ctx: Pick<LowerContext, "report">, env?: CelSchemaEnv, notes: string[] = []): boolean {
  const errors = checkK8sNativeValidation(cel.source as Parameters<typeof checkK8sNativeValidation>[0], env);
  // A validation's expression and message compiled from one `report` fail alike: said once.
  const said = new Set<string>();
  for (const e of errors) {
    const lit = literals.get(cel)?.[e.path];
    const expr = e.path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], cel.source);
    // The column of the offending part when the literal's text is the expression's, up to it (no escapes).
    const exact = lit && typeof expr === "string" && lit.text.startsWith(expr.slice(0, e.offset)) ? { ...lit.origin, col: lit.origin.col + 1 + e.offset } : undefined;
    const origin = exact ?? cel.origins[e.path] ?? cel.origins[e.path.replace(/\.(expression|messageExpression)$/, "")] ?? cel.origin;
    const key = `${origin.file}:${origin.line}:${origin.col}\0${e.message}`;
    if (said.has(key)) continue;
    said.add(key);
    ctx.report(diag(T.celInvalid, [`${e.path}`, e.message], origin, notes));
  }
  return errors.length === 0;
}

/**
 * The schema environment of a check's CEL in a project: the object typed by the kinds of every
 * constraint of the check (any Kubernetes object when there is none, or for a kind policyc has no
 * schema of), the parameters by the check's schema.
 */
export function celSchemaEnv(check: Pick<CheckIR, "kind" | "parameters">, project: Pick<ProjectIR, "constraints">): { env: CelSchemaEnv; kinds: string[] } {
  const matches = project.constraints.filter((c) => c.kind === check.kind).map((c) => c.match.kinds);
  const object = objectShapes(matches);
  const kinds = [...new Set(matches.flatMap((m) => (m ?? []).flatMap((k) => k.kinds.map((x) => `${k.apiGroups.filter((g) => g !== "").join(",") || "core"}/${x}`))))];
  return { env: { object, parameters: shapeOfSchema(check.parameters) }, kinds };
}

/** The build's typed check of every check's CEL (a project stage: it needs the constraints). */
export function checkProjectCel(project: ProjectIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const check of project.checks) {
    if (!check.cel) continue;
    const { env, kinds } = celSchemaEnv(check, project);
    const notes = kinds.length > 0 ? [`\`object\` is typed by the kinds check ${check.kind}'s constraints match: ${kinds.join(", ")}`] : [];
    checkCelSource(check.cel, { report: (d) => out.push(d) }, env, notes);
  }
  return out;
}
