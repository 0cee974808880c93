/**
 * What a parsed CEL expression reads from its bindings: the free identifiers (comprehension
 * variables are bound, not free) and, of `variables`, the names it selects. Evaluation is pure, so
 * an expression that reads only some bindings gives the same outcome wherever those are the same:
 * the K8sNativeValidation engine uses this to evaluate a template's parameter-only variables once
 * per constraint instead of once per review.
 */
import type { Expr } from "@bufbuild/cel-spec/cel/expr/syntax_pb.js";

export interface CelReferences {
  /** Free identifiers at the root of the expression's names (`object`, `params`, `variables`, …). */
  readonly idents: ReadonlySet<string>;
  /** The `variables.<name>` it selects; "all" when it reads `variables` otherwise (e.g. `variables["x"]`, `size(variables)`). */
  readonly variables: ReadonlySet<string> | "all";
}

export function celReferences(root: Expr): CelReferences {
  const idents = new Set<string>();
  const variables = new Set<string>();
  let allVariables = false;
  const walk = (e: Expr | undefined, bound: ReadonlySet<string>): void => {
    if (!e) return;
    const k = e.exprKind;
    switch (k.case) {
      case "identExpr":
        if (bound.has(k.value.name)) return;
        idents.add(k.value.name);
        if (k.value.name === "variables") allVariables = true;
        return;
      case "selectExpr": {
        const op = k.value.operand;
        if (op?.exprKind.case === "identExpr" && op.exprKind.value.name === "variables" && !bound.has("variables")) {
          idents.add("variables");
          variables.add(k.value.field);
          return;
        }
        walk(op, bound);
        return;
      }
      case "callExpr":
        walk(k.value.target, bound);
        for (const a of k.value.args) walk(a, bound);
        return;
      case "listExpr":
        for (const x of k.value.elements) walk(x, bound);
        return;
      case "structExpr":
        for (const x of k.value.entries) {
          if (x.keyKind.case === "mapKey") walk(x.keyKind.value, bound);
          walk(x.value, bound);
        }
        return;
      case "comprehensionExpr": {
        const c = k.value;
        walk(c.iterRange, bound);
        walk(c.accuInit, bound);
        const withAccu = new Set(bound).add(c.accuVar);
        const inLoop = new Set(withAccu).add(c.iterVar);
        if (c.iterVar2) inLoop.add(c.iterVar2);
        walk(c.loopCondition, inLoop);
        walk(c.loopStep, inLoop);
        walk(c.result, withAccu);
        return;
      }
      default:
        return;
    }
  };
  walk(root, new Set());
  return { idents, variables: allVariables ? "all" : variables };
}
