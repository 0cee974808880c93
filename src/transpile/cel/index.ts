/**
 * TypeScript check bodies → Gatekeeper's `K8sNativeValidation` source (CEL), the sibling of the
 * Rego emitter in src/transpile: the same `violation(review, params, report)` function, read with the
 * same checker. `review.object` is Gatekeeper's `variables.anyObject`, `params` its `variables.params`,
 * `review.operation`/`userInfo`/... fields of `request`, `review.oldObject` is `oldObject`. Each
 * `report(...)` becomes one validation (statements.ts says how loops map to one message). A construct
 * without a faithful CEL form stops the emission and is named with its node (`blocked`): the check
 * then stays Rego-only.
 */
import ts from "../../frontend/typescript-api.cjs";
import { CelBlocked, CelContext, type CelScope } from "./context.js";
import { plain } from "./expressions.js";
import { hit, messages, walkBody } from "./statements.js";
import * as c from "./syntax.js";

export { celLowerings } from "./lowerings.js";

/** What Gatekeeper reads under `source` of a `K8sNativeValidation` code entry. */
export interface K8sNativeValidationSource {
  [field: string]: unknown;
  variables?: { name: string; expression: string }[];
  validations: { expression: string; messageExpression: string }[];
}

export interface CelEmission {
  source?: K8sNativeValidationSource;
  /** The TypeScript each validation comes from (its `report` call), in order. */
  validationNodes?: ts.Node[];
  /** The TypeScript each variable is computed from, in order. */
  variableNodes?: ts.Node[];
  /** Why there is no CEL: the construct and where it is. */
  blocked?: { construct: string; node: ts.Node };
}

export function emitCel(input: { checker: ts.TypeChecker; fn: ts.FunctionLikeDeclaration }): CelEmission {
  const { fn, checker } = input;
  const sf = fn.getSourceFile();
  const param = (i: number) => {
    const d = fn.parameters[i];
    return d && ts.isIdentifier(d.name) ? checker.getSymbolAtLocation(d.name) : undefined;
  };
  const symbols = { review: param(0), params: param(1), report: param(2) };
  const cx = new CelContext(checker, sf, {
    ...(symbols.review ? { review: symbols.review } : {}),
    ...(symbols.params ? { params: symbols.params } : {}),
    ...(symbols.report ? { report: symbols.report } : {}),
  });
  try {
    if (!fn.body || !ts.isBlock(fn.body)) return { blocked: { construct: "a body that is not a block", node: fn } };
    const scope: CelScope = new Map();
    if (symbols.review) scope.set(symbols.review, { kind: "value", value: { ...plain(c.raw("request")), review: true } });
    if (symbols.params) scope.set(symbols.params, { kind: "value", value: plain(c.raw("variables.params", 8)) });
    const reports = walkBody(cx, fn.body.statements, { scope, loops: new Set() });
    if (reports.length === 0) return { blocked: { construct: "a body without report(...)", node: fn } };
    const validations: K8sNativeValidationSource["validations"] = [];
    for (const r of reports) {
      const frames = r.message.defined.length > 0 ? [...r.frames, { kind: "cond" as const, cel: c.and(r.message.defined) }] : r.frames;
      const loops = frames.filter((f) => f.kind === "loop");
      if (loops.length === 0) {
        validations.push({ expression: c.not(hit(frames)).text, messageExpression: r.message.cel.text });
        continue;
      }
      // Named after what the outermost loop iterates, as the library names it: `badContainers`.
      const label = (loops[0] as { label: string }).label;
      const name = cx.hoist(`bad${label.charAt(0).toUpperCase()}${label.slice(1)}`, messages(frames, r.message.cel), r.node);
      validations.push({ expression: `size(variables.${name}) == 0`, messageExpression: `variables.${name}.join(", ")` });
    }
    const source: K8sNativeValidationSource = { validations };
    if (cx.variables.length > 0) source.variables = cx.variables.map((v) => ({ name: v.name, expression: v.expression.text }));
    return { source, validationNodes: reports.map((r) => r.node), variableNodes: cx.variables.map((v) => v.node) };
  } catch (e) {
    if (e instanceof CelBlocked) return { blocked: { construct: e.construct, node: e.node } };
    throw e;
  }
}
