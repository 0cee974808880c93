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
import { hit, messages, walkBody, type Frame } from "./statements.js";
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
    const framed = reports.map((r) => {
      const frames = r.message.defined.length > 0 ? [...r.frames, { kind: "cond" as const, cel: c.and(r.message.defined) }] : r.frames;
      return { r, frames, loops: frames.filter((f): f is Extract<Frame, { kind: "loop" }> => f.kind === "loop") };
    });
    const names = listNames(framed.map((f) => f.loops));
    for (const [i, { r, frames, loops }] of framed.entries()) {
      if (loops.length === 0) {
        validations.push({ expression: c.not(hit(frames)).text, messageExpression: r.message.cel.text });
        continue;
      }
      const name = cx.hoist(names[i]!, messages(frames, r.message.cel), r.node);
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

type Loop = Extract<Frame, { kind: "loop" }>;

/**
 * The list variable of each report inside loops, named after what its outermost loop iterates, as
 * the library names them: `badContainers`. Reports over the same items are told apart by what
 * their inner loop iterates (`badContainerRequests`, `badContainerLimits`), not by a number.
 */
function listNames(loopsOf: readonly (readonly Loop[])[]): (string | undefined)[] {
  const base = loopsOf.map((loops) => (loops.length > 0 ? `bad${capital(loops[0]!.label)}` : undefined));
  const refined = loopsOf.map((loops, i) => (loops.length > 1 ? `bad${capital(singular(loops[0]!.label))}${capital(loops[loops.length - 1]!.label)}` : base[i]));
  const count = (names: (string | undefined)[], n: string | undefined) => names.filter((x) => x === n).length;
  return base.map((n, i) => {
    if (n === undefined || count(base, n) === 1) return n;
    // Refined only when that tells every report of the group apart; else the context numbers them.
    const group = base.flatMap((m, j) => (m === n ? [refined[j]] : []));
    return group.every((r) => count(group, r) === 1) ? refined[i] : n;
  });
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `containers` → `container`, `policies` → `policy`; a name that is not an English plural stays. */
function singular(s: string): string {
  if (/[^aeiou]ies$/.test(s)) return `${s.slice(0, -3)}y`;
  if (/[^s]s$/.test(s)) return s.slice(0, -1);
  return s;
}
